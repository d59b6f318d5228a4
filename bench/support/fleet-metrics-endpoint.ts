// A local CloudWatch endpoint holding the benchmark fleet's 24 h of 1-minute
// metrics, loaded straight into its store (the data plane's PutMetricData path
// is measured by the workload benchmark). Prints {"ready":{...}} when loaded.
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../../lib/metrics/contract";
import { metricsNamespace } from "../../lib/metrics/namespace";
import { startCloudWatchEndpoint } from "../../local/cloudwatch-endpoint/server";
import { sortedDimensions, type Sample } from "../../local/cloudwatch-endpoint/store";
import { benchmarkFleet, historyMinutes, poolCount, poolHistory, tenantsPerPool } from "./benchmark-fleet";

const started = performance.now();
const endMs = Math.floor(Date.now() / 60_000) * 60_000;
const startMs = endMs - historyMinutes * 60_000;
const endpoint = await startCloudWatchEndpoint({ port: 0, retentionMs: 3 * 86_400_000 });
const fleet = benchmarkFleet();
const namespace = metricsNamespace();
let datapoints = 0;

const identity = (name: string, dims: Record<string, string>) => ({
  namespace,
  name,
  dimensions: sortedDimensions(Object.entries(dims).map(([Name, Value]) => ({ Name, Value }))),
});
// Counts as statistic sets (as an aggregating publisher sends them): Sum is exact, and the store keeps no per-bucket histogram.
const count = (timestampMs: number, value: number): Sample => ({
  timestampMs,
  highResolution: false,
  unit: "Count",
  statistics: { sampleCount: 1, sum: value, minimum: value, maximum: value },
});

for (let p = 0; p < poolCount; p++) {
  const pool = fleet.instances[p]!.id;
  const tenants = fleet.tenants.filter((t) => t.storageInstanceId === pool);
  const history = [...poolHistory(p, startMs)];
  const put = (name: string, dims: Record<string, string>, samples: Sample[]) => {
    if (!samples.length) return;
    endpoint.store.putSeries(identity(name, dims), samples, endMs);
    datapoints += samples.length;
  };
  for (let t = 0; t < tenantsPerPool; t++) {
    const dims = { [dimensionTenant]: tenants[t]!.id, [dimensionInstance]: pool };
    put(
      tenantMetrics.requests.name,
      dims,
      history.map((h) => count(h.minuteMs, h.tenants[t]!.requests)),
    );
    put(
      tenantMetrics.consumedReadUnits.name,
      dims,
      history.map((h) => count(h.minuteMs, h.tenants[t]!.readUnits)),
    );
    put(
      tenantMetrics.consumedWriteUnits.name,
      dims,
      history.map((h) => count(h.minuteMs, h.tenants[t]!.writeUnits)),
    );
    // Refusals are published when there are some, as a publisher that skips zero counts does; absent minutes read as 0.
    const refused = history
      .filter((h) => h.tenants[t]!.capacityThrottled > 0)
      .map((h) => count(h.minuteMs, h.tenants[t]!.capacityThrottled));
    put(tenantMetrics.throttled.name, dims, refused);
    put(tenantMetrics.capacityThrottled.name, dims, refused);
    put(
      tenantMetrics.latency.name,
      dims,
      history
        .filter((h) => h.tenants[t]!.latency.counts.some((c) => c > 0))
        .map((h) => ({ timestampMs: h.minuteMs, highResolution: false, unit: "Milliseconds", values: h.tenants[t]!.latency })),
    );
  }
  const totals = { [dimensionInstance]: pool };
  const sum = (h: (typeof history)[number], pick: (m: (typeof history)[number]["tenants"][number]) => number) =>
    h.tenants.reduce((s, m) => s + pick(m), 0);
  put(
    tenantMetrics.requests.name,
    totals,
    history.map((h) =>
      count(
        h.minuteMs,
        sum(h, (m) => m.requests),
      ),
    ),
  );
  put(
    tenantMetrics.consumedReadUnits.name,
    totals,
    history.map((h) =>
      count(
        h.minuteMs,
        sum(h, (m) => m.readUnits),
      ),
    ),
  );
  put(
    tenantMetrics.consumedWriteUnits.name,
    totals,
    history.map((h) =>
      count(
        h.minuteMs,
        sum(h, (m) => m.writeUnits),
      ),
    ),
  );
  const refusedTotals = history
    .filter((h) => sum(h, (m) => m.capacityThrottled) > 0)
    .map((h) =>
      count(
        h.minuteMs,
        sum(h, (m) => m.capacityThrottled),
      ),
    );
  put(tenantMetrics.throttled.name, totals, refusedTotals);
  put(tenantMetrics.capacityThrottled.name, totals, refusedTotals);
}
if (typeof global.gc === "function") global.gc();
const rssMb = Math.round(process.memoryUsage().rss / 1048576);
console.log(JSON.stringify({ ready: { port: endpoint.port, endMs, datapoints, loadMs: Math.round(performance.now() - started), rssMb } }));
process.on("SIGTERM", () => void endpoint.stop().then(() => process.exit(0)));
