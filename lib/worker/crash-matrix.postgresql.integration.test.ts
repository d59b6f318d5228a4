// The crash matrix (lib/worker/__tests__/crash-matrix.ts) on PostgreSQL 15, at every kill point; the PGlite half (a sample) is a file of its own, so the two run side by side.
import { testDatabase } from "../db/__tests__/databases";
import { crashMatrixCoverage, crashMatrixOn } from "./__tests__/crash-matrix";

crashMatrixCoverage();
crashMatrixOn(testDatabase("postgresql-15"));
