// Embedded PostgreSQL: PGlite served over the Postgres wire protocol on
// loopback, so the console, the seed and the tests connect with the same
// DATABASE_URL code path as to a real server.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { assertPortFree, freePort } from "./ports";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory to persist to; in memory when absent. */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port || (await freePort(host));
  await assertPortFree(port, "embedded PostgreSQL", host);
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  // PGlite runs one query at a time; several connections let pools connect, and queries queue.
  const server = new PGLiteSocketServer({ db, port, host, maxConnections: 16 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
