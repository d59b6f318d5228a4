// Where the catalog database is for one-off commands (migrate, seed): DATABASE_URL,
// else the embedded database a running demo serves, else the embedded database
// opened here for the duration (never two processes on one PGlite directory).
import { config } from "../lib/config/config";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { pgliteDir, runningEmbeddedUrl } from "./state";

export async function withDatabaseUrl<T>(run: (url: string) => Promise<T>): Promise<T> {
  const configured = config().DATABASE_URL;
  if (configured) return run(configured);
  const served = runningEmbeddedUrl();
  if (served) return run(served);
  const embedded = await startEmbeddedPostgres({ dataDir: pgliteDir });
  try {
    return await run(embedded.url);
  } finally {
    await embedded.stop();
  }
}
