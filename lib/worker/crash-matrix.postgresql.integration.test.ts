// The crash matrix (lib/worker/__tests__/crash-matrix.ts) on PostgreSQL 15; the PGlite half is a file of its own, so the two run side by side.
import { testDatabase } from "../db/__tests__/databases";
import { crashMatrixOn } from "./__tests__/crash-matrix";

crashMatrixOn(testDatabase("postgresql-15"));
