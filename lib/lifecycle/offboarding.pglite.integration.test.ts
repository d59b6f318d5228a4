// Offboarding under worker deaths (lib/lifecycle/__tests__/offboarding-crash.ts) on PGlite; the PostgreSQL 15 half is a file of its own.
import { testDatabase } from "../db/__tests__/databases";
import { offboardingCrashOn, offboardingMatrixCoverage } from "./__tests__/offboarding-crash";

offboardingMatrixCoverage();
offboardingCrashOn(testDatabase("pglite"));
