// `npm run bench`: each benchmark in its own process (no shared warm caches or
// heap), one after another so they do not compete for the two cores.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const only = process.argv.slice(2);
const benches = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !["run.ts", "stats.ts"].includes(file))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`# ${file}`);
  // react-server: benchmarks call the same server-only modules (server actions' logic) the console's server does.
  const { status } = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "--expose-gc", path.join(import.meta.dirname, file)],
    { stdio: "inherit" },
  );
  if (status !== 0) {
    failed++;
    console.error(`# ${file} failed (exit ${status})`);
  }
}
process.exit(failed ? 1 : 0);
