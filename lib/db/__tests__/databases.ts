// The two databases every catalog integration test runs against: embedded
// PGlite (the default) and a real PostgreSQL 15 (production's engine).
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { startEmbeddedPostgres } from "../../../local/embedded-postgres";
import { createDb, type Db } from "../client";
import { applyMigrations } from "../schema-engine";
import { pgliteTemplateVariable } from "./pglite-template";

export interface TestDatabase {
  name: string;
  db: Db;
  url: string;
  stop(): Promise<void>;
}

export const realPostgresUrl = process.env.TEST_DATABASE_URL ?? "postgresql://tsc:tsc@127.0.0.1:5432/tsc_test";

function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`refusing to run tests against a non-local database (${host})`);
  }
}

async function embedded(): Promise<TestDatabase> {
  // Under vitest, from the data directory its global set-up migrated once (./pglite-template.ts); elsewhere (the
  // benchmarks, the soak) from scratch.
  const template = process.env[pgliteTemplateVariable];
  const server = await startEmbeddedPostgres(template ? { loadDataDir: new Blob([await readFile(template)]) } : {});
  if (!template) await applyMigrations(server.url);
  const db = createDb(server.url, 2);
  return {
    name: "pglite",
    db,
    url: server.url,
    async stop() {
      await db.$disconnect();
      await server.stop();
    },
  };
}

/** A throwaway database on the local PostgreSQL 15, dropped afterwards. */
async function realPostgres(): Promise<TestDatabase> {
  assertLocal(realPostgresUrl);
  const name = `tsc_it_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: realPostgresUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL 15 is not reachable at TEST_DATABASE_URL (${new URL(realPostgresUrl).host}). ` +
        "Start it with `pg_ctlcluster 15 main start` and create the role: see docs/testing.md. " +
        `(${error instanceof Error ? error.message : String(error)})`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(realPostgresUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const db = createDb(url.toString(), 4);
  return {
    name: "postgresql-15",
    db,
    url: url.toString(),
    async stop() {
      await db.$disconnect();
      const dropper = new pg.Client({ connectionString: realPostgresUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export interface TestDatabaseTarget {
  name: "pglite" | "postgresql-15";
  start: () => Promise<TestDatabase>;
}

export const testDatabases: TestDatabaseTarget[] = [
  { name: "pglite", start: embedded },
  { name: "postgresql-15", start: realPostgres },
];

/**
 * One of them: the longest suites run each database from a file of its own
 * (e.g. lib/worker/crash-matrix.pglite.integration.test.ts), so the two halves
 * run side by side instead of one after the other in a single file.
 */
export function testDatabase(name: TestDatabaseTarget["name"]): TestDatabaseTarget {
  return testDatabases.find((target) => target.name === name)!;
}
