// Offboarding under worker deaths (lib/lifecycle/__tests__/offboarding-crash.ts) on PostgreSQL 15; the PGlite half is a file of its own.
import { testDatabase } from "../db/__tests__/databases";
import { offboardingCrashOn } from "./__tests__/offboarding-crash";

offboardingCrashOn(testDatabase("postgresql-15"));
