// Embedded PostgreSQL: PGlite served over the Postgres wire protocol on
// loopback, so the console, the worker, the seed and the tests connect with
// the same DATABASE_URL code path as to a real server.
import { mkdir } from "node:fs/promises";
import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { ProtocolBatchQueue } from "./pglite-protocol-queue";
import { assertPortFree } from "./ports";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** The data directory as it is now (uncompressed), for `loadDataDir`. */
  dump(): Promise<Blob>;
}

export interface EmbeddedPostgresOptions {
  /** Directory to persist to; in memory when absent. */
  dataDir?: string;
  /** A data directory to start from (in memory), as `dump()` gave it: no initdb, and whatever it holds. */
  loadDataDir?: Blob;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

/** PGlite runs one query at a time; several connections let pools connect, and their queries queue. */
const maxConnections = 32;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  // A given port must be free (a clear message if not); without one, the OS picks while listening, so two starting at
  // once (parallel test files) never race for a port probed free a moment before.
  if (options.port) await assertPortFree(options.port, "embedded PostgreSQL", host);
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  // PGLiteSocketHandler with our queue instead of PGLiteSocketServer (whose queue interleaves connections: see the queue's comment).
  const queryQueue = new ProtocolBatchQueue(db) as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"];
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
    handlers.add(handler);
    socket.once("close", () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port || 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await Promise.all([...handlers].map((handler) => handler.detach(true).catch(() => undefined)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
    dump: () => db.dumpDataDir("none"),
  };
}
