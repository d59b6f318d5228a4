// The crash matrix (lib/worker/__tests__/crash-matrix.ts) on PGlite, at a sample of its kill points; the PostgreSQL 15 half (every point) is a file of its own, so the two run side by side.
import { testDatabase } from "../db/__tests__/databases";
import { crashMatrixOn } from "./__tests__/crash-matrix";

crashMatrixOn(testDatabase("pglite"));
