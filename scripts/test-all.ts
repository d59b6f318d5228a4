// `npm test`: every test, in the order that fails fastest. Each stage is its own
// process; the run stops at the first red stage and says which one it was.
import { spawnSync } from "node:child_process";

interface Stage {
  name: string;
  script: string;
}

const stages: Stage[] = [
  { name: "prisma client", script: "db:generate" },
  { name: "typecheck", script: "typecheck" },
  { name: "lint", script: "lint" },
  { name: "unit", script: "test:unit" },
  { name: "integration (PGlite + PostgreSQL 15)", script: "test:integration" },
  { name: "end-to-end (production build + Chromium)", script: "test:e2e" },
];

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const results: { name: string; seconds: number; ok: boolean }[] = [];

for (const stage of stages) {
  console.log(`\n▶ ${stage.name}  (npm run ${stage.script})`);
  const started = performance.now();
  const { status } = spawnSync(npm, ["run", "--silent", stage.script], { stdio: "inherit" });
  const seconds = (performance.now() - started) / 1000;
  results.push({ name: stage.name, seconds, ok: status === 0 });
  if (status !== 0) break;
}

console.log("\nnpm test");
for (const result of results)
  console.log(`  ${result.ok ? "✓" : "✘"} ${result.name.padEnd(44)} ${result.seconds.toFixed(1).padStart(6)} s`);
for (const stage of stages.slice(results.length)) console.log(`  – ${stage.name.padEnd(44)} not run`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} stages passed, ${failed} failed, ${stages.length - results.length} not run`);
process.exit(failed === 0 && results.length === stages.length ? 0 : 1);
