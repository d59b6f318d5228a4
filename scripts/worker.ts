// `npm run worker`: one operations worker, configured by the environment
// (docs/configuration.md). `npm run demo` starts one beside the console;
// production runs several.
import { startWithConfig, type Config } from "../lib/config/config";
import { operationDepsFromConfig } from "../lib/operations/environment";
import { startWorker } from "../lib/operations/worker";
import { startDuties } from "../lib/worker/duties";
import { operationDefinitions } from "../lib/worker/kinds";
import { startFleetWatch } from "../lib/worker/watch";

let settings: Config;
try {
  settings = startWithConfig("worker");
} catch (error) {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const deps = operationDepsFromConfig(settings);
const worker = startWorker({
  deps,
  definitions: operationDefinitions,
  concurrency: settings.WORKER_CONCURRENCY,
  pollMs: settings.WORKER_POLL_MS,
  leaseMs: settings.OPERATION_LEASE_MS,
  frozenLeaseMs: Math.min(settings.OPERATION_FROZEN_LEASE_MS, settings.OPERATION_LEASE_MS),
});
console.log(`worker ready: ${worker.workerId}`);
const log = (line: string) => console.log(`worker ${worker.workerId}: ${line}`);
const duties = startDuties(deps, log);
const watch = startFleetWatch(deps, settings, worker.workerId, log);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  duties.stop();
  watch.stop();
  console.log(`worker ${worker.workerId}: ${signal}, handing running operations back`);
  await worker.stop();
  await deps.db.$disconnect();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
