// Several connections querying the embedded database at once, with different
// parameter counts and large parameters (which arrive in several TCP chunks):
// each gets its own query's answer. pglite-socket's own queue interleaved one
// connection's Parse with another's Bind.
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
