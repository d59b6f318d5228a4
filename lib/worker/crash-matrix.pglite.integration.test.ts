// The crash matrix (lib/worker/__tests__/crash-matrix.ts) on PGlite; the PostgreSQL 15 half is a file of its own, so the two run side by side.
import { testDatabase } from "../db/__tests__/databases";
import { crashMatrixCoverage, crashMatrixOn } from "./__tests__/crash-matrix";

crashMatrixCoverage();
crashMatrixOn(testDatabase("pglite"));
