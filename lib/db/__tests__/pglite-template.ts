// vitest's global set-up for the integration project: PGlite's initdb and the
// migrations run once, and every test file's embedded database starts from
// that data directory (lib/db/__tests__/databases.ts) rather than running them
// again (4 to 10 s of CPU per file on a busy 2-core machine, against about one
// to load it).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../../local/embedded-postgres";
import { applyMigrations } from "../schema-engine";

/** Where the migrated data directory is, for the test files' processes. */
export const pgliteTemplateVariable = "TEST_PGLITE_TEMPLATE";

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tsc-pglite-template-"));
  const server = await startEmbeddedPostgres();
  try {
    await applyMigrations(server.url);
    const file = path.join(dir, "migrated.tar");
    await writeFile(file, new Uint8Array(await (await server.dump()).arrayBuffer()));
    process.env[pgliteTemplateVariable] = file;
  } finally {
    await server.stop();
  }
  return () => rm(dir, { recursive: true, force: true });
}
