// Offboarding under worker deaths (lib/lifecycle/__tests__/offboarding-crash.ts) on PostgreSQL 15, at every kill point; the PGlite half (a sample) is a file of its own.
import { testDatabase } from "../db/__tests__/databases";
import { offboardingCrashOn, offboardingMatrixCoverage } from "./__tests__/offboarding-crash";

offboardingMatrixCoverage();
offboardingCrashOn(testDatabase("postgresql-15"));
