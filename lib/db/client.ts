// One Prisma client per process, through the pg driver adapter: the same code
// path for embedded PGlite (served on loopback) and real PostgreSQL or Aurora.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { config, ConfigError } from "../config/config";

export function createDb(connectionString: string, poolSize = 5) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: poolSize, connectionTimeoutMillis: 5_000 }),
    // Password hashes leave the database only where a query asks for them by name.
    omit: { user: { passwordHash: true } },
    // Limits, not expectations: embedded PGlite runs one query at a time, so on a busy machine a transaction can wait
    // seconds to start behind others; Prisma's defaults (2 s to start, 5 s to finish) would fail the step that owns it.
    transactionOptions: { maxWait: 15_000, timeout: 30_000 },
  });
}

export type Db = ReturnType<typeof createDb>;

const holder = globalThis as unknown as { __tenantConsoleDb?: Db };

/** The process's client, created on first use so a build never needs a database. */
export function getDb(): Db {
  if (!holder.__tenantConsoleDb) {
    const { DATABASE_URL, DATABASE_POOL_SIZE } = config();
    if (!DATABASE_URL) throw new ConfigError(["DATABASE_URL: is not set (npm run demo sets it to the embedded database)"]);
    holder.__tenantConsoleDb = createDb(DATABASE_URL, DATABASE_POOL_SIZE);
  }
  return holder.__tenantConsoleDb;
}
