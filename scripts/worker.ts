// `npm run worker`: one operations worker, configured by the environment.
// `npm run demo` starts one beside the console; production runs several.
import { expireBackups, queueDueBackups } from "../lib/backup/schedule";
import { queueDueCleanups } from "../lib/migration/cleanup-schedule";
import { operationDepsFromEnv } from "../lib/operations/environment";
import { operationDefinitions } from "../lib/worker/kinds";
import { startWorker } from "../lib/operations/worker";

const positive = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name} must be a positive whole number, got "${raw}"`);
    process.exit(2);
  }
  return value;
};

let deps;
try {
  deps = operationDepsFromEnv();
} catch (error) {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const worker = startWorker({
  deps,
  definitions: operationDefinitions,
  concurrency: positive("WORKER_CONCURRENCY", 2),
  pollMs: positive("WORKER_POLL_MS", 1_000),
  leaseMs: positive("OPERATION_LEASE_MS", 15_000),
});
console.log(`worker ready: ${worker.workerId}`);

// Every minute: queue the clean-up of migrations whose rollback window has ended, scheduled backups that are due,
// and delete backups past their retention.
const every = (what: string, task: () => Promise<string[]>) =>
  task().then(
    (done) => done.length && console.log(`worker ${worker.workerId}: ${what}: ${done.length}`),
    (error: unknown) =>
      console.log(`worker ${worker.workerId}: ${what} failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`),
  );
const schedule = setInterval(() => {
  void every("queued migration clean-ups", () => queueDueCleanups(deps.db));
  void every("queued scheduled backups", () => queueDueBackups(deps.db));
  void every("expired backups", () => expireBackups(deps.db, deps.backupStore));
}, 60_000);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  clearInterval(schedule);
  console.log(`worker ${worker.workerId}: ${signal}, handing running operations back`);
  await worker.stop();
  await deps.db.$disconnect();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
