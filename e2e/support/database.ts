// Direct reads of the e2e stack's own in-memory database, to prove what a
// refused request did not change.
import { readFileSync } from "node:fs";
import pg from "pg";

export async function queryE2eDatabase<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const url = readFileSync(".data/e2e-database-url", "utf8").trim();
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`e2e refuses a non-local database (${host})`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
