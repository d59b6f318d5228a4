// Several connections querying the embedded database at once, with different
// parameter counts and large parameters (which arrive in several TCP chunks):
// each gets its own query's answer. pglite-socket's own queue interleaved one
// connection's Parse with another's Bind.
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

let server: EmbeddedPostgres;
beforeAll(async () => {
  server = await startEmbeddedPostgres();
});
afterAll(async () => {
  await server?.stop();
});

it("keeps each connection's extended-query batches and transactions whole", async () => {
  const clients = await Promise.all(
    Array.from({ length: 4 }, async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      return client;
    }),
  );
  try {
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const client = clients[i % clients.length]!;
        const params = Array.from({ length: (i % 3) + 1 }, (_, p) => i * 10 + p);
        const padding = "x".repeat(i % 2 ? 200_000 : 10);
        const sql = `SELECT ${params.map((_, p) => `$${p + 1}::int`).join(" + ")} + length($${params.length + 1}::text) AS total`;
        const { rows } = await client.query<{ total: number }>(sql, [...params, padding]);
        return [rows[0]!.total, params.reduce((a, b) => a + b, 0) + padding.length];
      }),
    );
    for (const [got, expected] of answers) expect(got).toBe(expected);

    // A transaction on one connection is not interleaved with another's statements.
    await clients[0]!.query("CREATE TABLE t (n int)");
    await clients[0]!.query("BEGIN");
    await clients[0]!.query("INSERT INTO t VALUES ($1)", [1]);
    const outside = clients[1]!.query<{ count: string }>("SELECT count(*) FROM t WHERE n = $1", [1]);
    await clients[0]!.query("ROLLBACK");
    expect((await outside).rows[0]!.count).toBe("0");
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
});

// A client process SIGKILLed mid-transaction (idle in it, or with a statement
// still running) must not wedge the one session: its transaction is rolled
// back and every other connection goes on. The client announces each point and
// goes on only when told, so it never commits, however slowly the kill lands.
const require = createRequire(import.meta.url);
const killedClient = `
const pg = require(${JSON.stringify(require.resolve("pg"))});
const readline = require("node:readline");
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const client = new pg.Client({ connectionString: process.env.KILLED_CLIENT_URL });
const say = (line) => process.stdout.write(line + "\\n");
(async () => {
  await client.connect();
  await client.query("BEGIN");
  await client.query("INSERT INTO killed (n) VALUES ($1)", [1]);
  say("idle-in-transaction");
  await lines.next();
  const sleeping = client.query("SELECT pg_sleep(0.5)");
  say("statement-running");
  await sleeping;
  await lines.next();
  await client.query("COMMIT");
  say("committed");
})();
`;

it("survives client processes killed inside a transaction, many times, while another keeps working", async () => {
  const { spawn } = await import("node:child_process");
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("CREATE TABLE killed (n int)");
  let working = true;
  let served = 0;
  const neighbour = (async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    while (working) {
      await client.query("BEGIN; INSERT INTO killed (n) VALUES (-1); COMMIT");
      served++;
    }
    await client.end();
  })();
  try {
    for (let round = 0; round < 8; round++) {
      const killAt = round % 2 === 0 ? "idle-in-transaction" : "statement-running";
      const child = spawn(process.execPath, ["-e", killedClient], {
        stdio: ["pipe", "pipe", "inherit"],
        env: { ...process.env, KILLED_CLIENT_URL: server.url },
      });
      await new Promise<void>((resolve, reject) => {
        child.once("exit", () => reject(new Error("the client exited before its kill point")));
        child.stdout.on("data", (chunk: Buffer) => {
          const said = chunk.toString();
          if (!said.includes(killAt)) {
            if (said.includes("idle-in-transaction")) child.stdin.write("go\n");
            return;
          }
          child.removeAllListeners("exit");
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        });
      });
      // A fresh connection is served, and sees nothing of the dead transaction.
      const fresh = new pg.Client({ connectionString: server.url });
      await fresh.connect();
      try {
        const { rows } = await fresh.query<{ count: string }>("SELECT count(*) FROM killed WHERE n >= 0");
        expect(rows[0]!.count).toBe("0");
      } finally {
        await fresh.end();
      }
    }
  } finally {
    working = false;
    await neighbour;
    await admin.end();
  }
  expect(served).toBeGreaterThan(0);
});
