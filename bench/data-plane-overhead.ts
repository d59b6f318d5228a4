// What the data-plane library costs a service: per-call overhead of a tenant
// client against a raw DynamoDBClient for GetItem and PutItem, both against
// dynalite in its own process (interleaved, p50 of many calls each), and what
// publishing the metric contract costs per recorded request (EMF lines
// written to a sink; PutMetricData batches sent to the CloudWatch endpoint).
// And what a write costs while its tenant is moved with a write journal (one
// journal PutItem before each write: docs/data-plane.md "The write journal").
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { createDataPlane } from "../lib/data-plane";
import { MetricsRecorder } from "../lib/data-plane/metrics";
import { ensureReadersTable } from "../lib/routing/readers";
import type { RoutingContent } from "../lib/routing/record";
import { ensureRoutingTable, putRoutingRecord } from "../lib/routing/routing-table";
import { defaultKeyScheme } from "../lib/storage/key-scheme";
import { ensureTenantTable } from "../lib/storage/tenant-tables";
import { startLocalEndpoints } from "./support/local-endpoints";
import { percentile, report } from "./stats";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const calls = Number(process.env.BENCH_DATA_PLANE_CALLS ?? 2_000);
const recorded = Number(process.env.BENCH_DATA_PLANE_RECORDED ?? 100_000);
const region = "us-east-1";

const endpoints = await startLocalEndpoints(region);
try {
  const { dynamo, cloudWatch } = endpoints;
  const routingTable = "bench-dp-routing";
  const tableName = "bench-dp-pool";
  await ensureRoutingTable(dynamo, routingTable);
  await ensureTenantTable(dynamo, tableName, { capacityMode: "on_demand", readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 });
  const readersTable = "bench-dp-readers";
  await ensureReadersTable(dynamo, readersTable);
  const record = (tenantId: string, moving: boolean): RoutingContent => ({
    tenantId,
    status: moving ? ("restoring" as const) : ("active" as const),
    deploymentModel: "pool",
    keyPrefix: `${tenantId}#`,
    keyScheme: defaultKeyScheme,
    placement: { storageInstanceId: "pool", tableName, region },
    bridge: null,
    ratePerSec: 1_000_000,
    burst: 1_000_000,
    quotaPerDay: 1_000_000_000,
    writeFrozen: false,
    frozenSince: null,
    suspendedReason: null,
    journal: moving ? "bench-operation" : null,
  });
  await putRoutingRecord(dynamo, record("acme", false), 0, routingTable);
  await putRoutingRecord(dynamo, record("moving", true), 0, routingTable);
  // Metrics counted as a service would (EMF to a sink that drops the lines): the cost of counting is in the per-call figure.
  const dataPlane = createDataPlane({
    routingTable,
    readersTable: null,
    region,
    clientFor: () => dynamo,
    metrics: { mode: "emf", write: () => undefined, flushIntervalMs: 0 },
  });
  const tenant = dataPlane.forTenant("acme");
  // The same library taking part in the readers protocol, writing for a tenant being restored staged.
  const journaling = createDataPlane({ routingTable, readersTable, region, clientFor: () => dynamo, metrics: { mode: "off" } });
  const moving = journaling.forTenant("moving");
  const movingItem = (i: number) => ({ pk: "moving#orders", sk: String(i).padStart(8, "0"), payload: "x".repeat(200) });
  const item = (i: number) => ({ pk: "acme#orders", sk: String(i).padStart(8, "0"), tenantId: "acme", payload: "x".repeat(200) });

  const samples = {
    rawGet: [] as number[],
    libGet: [] as number[],
    rawPut: [] as number[],
    libPut: [] as number[],
    journaledPut: [] as number[],
  };
  const time = async (into: number[], work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    into.push(performance.now() - started);
  };
  const warmUp = 200;
  for (let i = 0; i < calls + warmUp; i++) {
    const sink = i < warmUp ? { rawGet: [], libGet: [], rawPut: [], libPut: [], journaledPut: [] } : samples;
    const plain = item(i);
    await time(sink.rawPut, () =>
      dynamo.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: plain.pk },
            sk: { S: plain.sk },
            tenantId: { S: "acme" },
            payload: { S: plain.payload },
            updatedAt: { N: String(Date.now()) },
          },
          ReturnConsumedCapacity: "TOTAL",
        }),
      ),
    );
    await time(sink.libPut, () => tenant.put(item(i + 1_000_000)));
    await time(sink.journaledPut, () => moving.put(movingItem(i)));
    await time(sink.rawGet, () =>
      dynamo.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: plain.pk }, sk: { S: plain.sk } }, ReturnConsumedCapacity: "TOTAL" }),
      ),
    );
    await time(sink.libGet, () => tenant.get({ pk: plain.pk, sk: plain.sk }));
  }
  await dataPlane.close();
  await journaling.close();
  const p50 = (values: number[]) => percentile(values, 50);
  report("data-plane-get-raw-p50", p50(samples.rawGet), "ms");
  report("data-plane-get-library-p50", p50(samples.libGet), "ms");
  report("data-plane-get-overhead-p50", p50(samples.libGet) - p50(samples.rawGet), "ms");
  report("data-plane-put-raw-p50", p50(samples.rawPut), "ms");
  report("data-plane-put-library-p50", p50(samples.libPut), "ms");
  report("data-plane-put-overhead-p50", p50(samples.libPut) - p50(samples.rawPut), "ms");
  report("data-plane-put-journaled-p50", p50(samples.journaledPut), "ms");
  report("data-plane-put-journal-overhead-p50", p50(samples.journaledPut) - p50(samples.libPut), "ms");

  // Publishing: `recorded` served requests over 50 tenants on 5 instances, then one flush.
  for (const mode of ["emf", "put-metric-data"] as const) {
    let bytes = 0;
    const recorder = new MetricsRecorder(
      { mode, namespace: "BenchDataPlane", cloudWatch, flushIntervalMs: 0, write: (line) => (bytes += line.length + 1) },
      region,
      (error) => {
        throw error;
      },
    );
    const started = performance.now();
    for (let i = 0; i < recorded; i++) {
      const tenantId = `tenant-${i % 50}`;
      const instance = `pool-${i % 5}`;
      recorder.served({
        tenantId,
        primaryInstance: instance,
        servedInstance: instance,
        latencyMs: 2 + (i % 97) / 10,
        readUnits: 0.5,
        writeUnits: 0,
      });
    }
    await recorder.flush();
    const perRequestUs = ((performance.now() - started) * 1000) / recorded;
    report(`data-plane-metrics-${mode}-per-request`, perRequestUs, "µs");
    if (mode === "emf") report("data-plane-metrics-emf-bytes-per-request", bytes / recorded, "bytes");
  }
} finally {
  await endpoints.stop();
}
process.exit(0);
