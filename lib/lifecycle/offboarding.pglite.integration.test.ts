// Offboarding under worker deaths (lib/lifecycle/__tests__/offboarding-crash.ts) on PGlite, at a sample of its kill points; the PostgreSQL 15 half (every point) is a file of its own.
import { testDatabase } from "../db/__tests__/databases";
import { offboardingCrashOn } from "./__tests__/offboarding-crash";

offboardingCrashOn(testDatabase("pglite"));
