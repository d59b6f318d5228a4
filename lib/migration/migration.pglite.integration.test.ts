// Migrations while the tenant writes (lib/migration/__tests__/migrations.ts) on PGlite; the PostgreSQL 15 half is a file of its own, so the two run side by side.
import { testDatabase } from "../db/__tests__/databases";
import { migrationsOn } from "./__tests__/migrations";

migrationsOn(testDatabase("pglite"));
