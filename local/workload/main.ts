// The synthetic workload as its own process (started by the local stack):
// backfills history once, then runs the data plane live, publishing metrics
// every WORKLOAD_PUBLISH_MS. Configured by the environment, like a real service.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cloudWatchClient, dynamoDbClient } from "../../lib/aws/clients";
import { metricsNamespace } from "../../lib/metrics/namespace";
import { routingReadersTableName } from "../../lib/routing/readers";
import { routingTableName } from "../../lib/routing/routing-table";
import { backfillHistory } from "./backfill";
import { DataPlane } from "./data-plane";
import { loadScenario } from "./scenario";
import { localConfig } from "../config";

const settings = localConfig();
const tickMs = settings.WORKLOAD_TICK_MS;
const publishMs = settings.WORKLOAD_PUBLISH_MS;
const backfillHours = settings.WORKLOAD_BACKFILL_HOURS;
const seed = settings.WORKLOAD_SEED;
const stateFile = settings.WORKLOAD_STATE_FILE;
const scenario = loadScenario(settings.WORKLOAD_SCENARIO ?? path.join(import.meta.dirname, "scenario.json"));

interface WorkloadState {
  originMs: number;
  publishedUntilMs: number;
}

function readState(now: number): WorkloadState {
  if (stateFile && existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as WorkloadState;
    if (Number.isFinite(state.originMs) && Number.isFinite(state.publishedUntilMs)) return state;
  }
  const originMs = now - backfillHours * 3_600_000;
  return { originMs, publishedUntilMs: originMs };
}

function writeState(state: WorkloadState): void {
  if (!stateFile) return;
  mkdirSync(path.dirname(stateFile), { recursive: true });
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
  renameSync(`${stateFile}.tmp`, stateFile);
}

const startedAt = Date.now();
const state = readState(startedAt);
const cloudWatch = cloudWatchClient();
const namespace = metricsNamespace();
const dataPlane = new DataPlane({
  dynamoDb: dynamoDbClient,
  routingTable: routingTableName(),
  scenario,
  originMs: state.originMs,
  seed,
  reader: { readerId: `workload-${process.pid}`, tableName: routingReadersTableName() },
  // The library publishes the metric contract as PutMetricData (the local endpoint's API), when run() flushes it
  // every WORKLOAD_PUBLISH_MS (the state file records up to when, for the next start's backfill).
  metrics: { mode: "put-metric-data", cloudWatch, namespace, flushIntervalMs: 0 },
});

await dataPlane.refreshRouting(startedAt, true);
await dataPlane.refreshCapacity(startedAt);
await dataPlane.scanStoredData();

// Fill the gap since the last run (at most the backfill horizon), then go live.
const from = Math.max(state.publishedUntilMs, startedAt - backfillHours * 3_600_000);
const backfill = await backfillHistory({
  cloudWatch,
  namespace,
  records: dataPlane.routing(),
  profiles: dataPlane.profilesByTenant(),
  capacityOf: (id) => dataPlane.capacityOf(id),
  originMs: state.originMs,
  fromMs: from,
  toMs: startedAt,
  seed,
});
state.publishedUntilMs = Math.floor(startedAt / 60_000) * 60_000;
writeState(state);
console.log(
  `workload ready: ${dataPlane.routing().length} tenants; backfilled ${backfill.minutes} minutes (${backfill.datums} datapoints) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
);

let stopping = false;
let lastPublish = Date.now();
let operations = 0;
let failures = 0;

async function publish(now: number): Promise<void> {
  await dataPlane.flushMetrics(now);
  state.publishedUntilMs = now;
  writeState(state);
}

async function run(): Promise<void> {
  let next = Date.now() + tickMs;
  while (!stopping) {
    const wait = next - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const now = Date.now();
    try {
      const stats = await dataPlane.tick(now, tickMs / 1000);
      operations += stats.operations;
      failures += stats.failures;
      if (now - lastPublish >= publishMs) {
        lastPublish = now;
        await publish(now);
      }
    } catch (error) {
      console.error(`workload: ${error instanceof Error ? error.message : String(error)}`);
    }
    next += tickMs;
    // Fell behind (the machine is busy): skip ahead rather than bunching ticks.
    if (next < Date.now()) next = Date.now() + tickMs;
  }
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await publish(Date.now());
    await dataPlane.close();
  } catch {
    // the endpoint may already be gone
  }
  const seconds = (Date.now() - startedAt) / 1000;
  console.log(`workload stopped: ${operations} DynamoDB calls (${(operations / seconds).toFixed(0)}/s), ${failures} failed`);
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
await run();
