// `npm test`: every test, in the order that fails fastest. Each stage is its own
// process; the stages of a step run side by side (the first one's output live,
// the others' printed when they end), and the run stops after the first step
// with a red stage, saying which one it was.
import { spawn, type ChildProcess } from "node:child_process";

interface Stage {
  name: string;
  script: string;
  env?: Record<string, string>;
  /** A short stage beside the long ones: it yields the CPU to them (nice), as it has time to spare. */
  background?: boolean;
}

// Side by side, since the stages share nothing: the checks only read the sources; the integration tests start their own
// databases and endpoints on OS-chosen ports, and the end-to-end stage its own build, console, database and endpoints.
// The two long stages start with the checks rather than after them: much of their time is waiting (a browser, a
// database, an operation's lease), which the checks fill; a red check still stops them within its first minute.
const steps: Stage[][] = [
  [{ name: "prisma client", script: "db:generate" }],
  [
    // The typecheck stage checks every file beside it: the build need not check them again.
    { name: "end-to-end (production build + Chromium)", script: "test:e2e", env: { NEXT_BUILD_SKIP_TYPECHECK: "1" } },
    { name: "typecheck", script: "typecheck", background: true },
    { name: "lint", script: "lint", background: true },
    { name: "unit", script: "test:unit", background: true },
    { name: "integration (PGlite + PostgreSQL 15)", script: "test:integration" },
  ],
];

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const results: { name: string; seconds: number; ok: boolean; stopped: boolean }[] = [];
const running = new Set<ChildProcess>();
const stopped = new Set<ChildProcess>();

function run(stage: Stage, live: boolean): Promise<{ ok: boolean; stopped: boolean; seconds: number; output: string }> {
  const started = performance.now();
  const nice = stage.background && process.platform === "linux";
  const child = spawn(nice ? "nice" : npm, [...(nice ? ["-n", "10", npm] : []), "run", "--silent", stage.script], {
    stdio: live ? "inherit" : ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...stage.env },
    // Its own process group, so a failing step can stop the rest of it, children included.
    detached: process.platform !== "win32",
  });
  running.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return new Promise((resolve) => {
    child.on("close", (code) => {
      running.delete(child);
      resolve({ ok: code === 0, stopped: stopped.has(child), seconds: (performance.now() - started) / 1000, output });
    });
  });
}

function stopRunning(): void {
  for (const child of running) {
    stopped.add(child);
    try {
      if (child.pid !== undefined) process.kill(process.platform === "win32" ? child.pid : -child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => {
    stopRunning();
    process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
  });

let failedStep = false;
let ran = 0;
for (const step of steps) {
  console.log(`\n▶ ${step.map((stage) => `${stage.name}  (npm run ${stage.script})`).join("\n▶ ")}`);
  const outcomes = await Promise.all(
    step.map(async (stage, index) => {
      const outcome = await run(stage, index === 0);
      if (index > 0) {
        console.log(`\n── ${stage.name} (ran beside ${step[0]!.name}) ──`);
        process.stdout.write(outcome.output);
      }
      if (!outcome.ok && !failedStep) {
        failedStep = true;
        stopRunning();
      }
      return { name: stage.name, seconds: outcome.seconds, ok: outcome.ok, stopped: outcome.stopped };
    }),
  );
  results.push(...outcomes);
  ran++;
  if (failedStep) break;
}

console.log("\nnpm test");
for (const result of results) {
  const mark = result.ok ? "✓" : result.stopped ? "–" : "✘";
  console.log(`  ${mark} ${result.name.padEnd(44)} ${result.seconds.toFixed(1).padStart(6)} s${result.stopped ? " (stopped)" : ""}`);
}
const notRun = steps.slice(ran).flat();
for (const stage of notRun) console.log(`  – ${stage.name.padEnd(44)} not run`);
const passed = results.filter((r) => r.ok).length;
const failed = results.filter((r) => !r.ok && !r.stopped).length;
const stoppedCount = results.filter((r) => r.stopped).length;
console.log(`${passed} stages passed, ${failed} failed, ${stoppedCount + notRun.length} not run`);
process.exit(failed === 0 && stoppedCount === 0 && notRun.length === 0 ? 0 : 1);
