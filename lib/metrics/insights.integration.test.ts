import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudWatchEndpoint, type CloudWatchEndpoint } from "../../local/cloudwatch-endpoint/server";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "./contract";
import { InsightsSpecError, readInsights, type InsightsSpec } from "./insights";
import { MetricsReader, onGrid } from "./reader";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const minute = 60_000;
// A clock 7 minutes past a 5-minute boundary, so a 15-minute range is not on the epoch's 5-minute grid.
const now = Math.floor(Date.UTC(2026, 10, 24, 12) / (5 * minute)) * 5 * minute + 7 * minute + 23_000;
const endMs = Math.floor(now / minute) * minute;
const range = { startMs: endMs - 15 * minute, endMs };
const namespace = "InsightsReaderTest";
const writes = tenantMetrics.consumedWriteUnits.name;
let endpoint: CloudWatchEndpoint;
let reader: MetricsReader;

// On pool-003, tenant-i writes i × (m + 1) units in minute m of the range; pool-004 has one tenant; each pool its total.
const pool = { "pool-003": ["tenant-1", "tenant-2", "tenant-3", "tenant-4"], "pool-004": ["tenant-9"] } as const;
const unitsAt = (tenant: string, m: number) => Number(tenant.split("-")[1]) * (m + 1);

beforeAll(async () => {
  endpoint = await startCloudWatchEndpoint({ now: () => now });
  const client = new CloudWatchClient({
    endpoint: endpoint.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  reader = new MetricsReader(client, namespace);
  const data: MetricDatum[] = [];
  for (const [instance, tenants] of Object.entries(pool))
    for (let m = 0; m < 15; m++) {
      const timestamp = new Date(range.startMs + m * minute + 5_000);
      for (const tenant of tenants)
        data.push({
          MetricName: writes,
          Dimensions: [
            { Name: dimensionTenant, Value: tenant },
            { Name: dimensionInstance, Value: instance },
          ],
          Timestamp: timestamp,
          Value: unitsAt(tenant, m),
        });
      data.push({
        MetricName: writes,
        Dimensions: [{ Name: dimensionInstance, Value: instance }],
        Timestamp: timestamp,
        Value: tenants.reduce((sum, tenant) => sum + unitsAt(tenant, m), 0),
      });
    }
  await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
});
afterAll(async () => {
  await endpoint?.stop();
});

const perTenant: InsightsSpec = {
  metricName: writes,
  function: "SUM",
  schema: [dimensionInstance, dimensionTenant],
  where: { [dimensionInstance]: "pool-003" },
  groupBy: [dimensionTenant],
};

describe("readInsights against the local CloudWatch endpoint", () => {
  it("reads a pool's tenants in one call, one series each on the range's grid, and counts the metrics analyzed", async () => {
    const read = await readInsights(reader, namespace, perTenant, range, 60);
    expect(read.sql).toBe(
      `SELECT SUM(ConsumedWriteCapacityUnits) FROM SCHEMA("InsightsReaderTest", StorageInstance, TenantId) WHERE StorageInstance = 'pool-003' GROUP BY TenantId`,
    );
    expect([...read.series.keys()]).toEqual(pool["pool-003"]);
    for (const tenant of pool["pool-003"])
      expect(onGrid(read.series.get(tenant)!, range, 60)).toEqual(Array.from({ length: 15 }, (_, m) => unitsAt(tenant, m)));
    expect(read.cost).toEqual({ calls: 1, queries: 1, metricsAnalyzed: 4 });
    expect(read.metricsAnalyzedExact).toBe(true);
    expect(read.partial).toBe(false);
    expect(reader.insightsTotals).toEqual({ calls: 1, queries: 1, metricsAnalyzed: 4 });
  });

  it("keeps the top N by an aggregate, counting periods from the range's start at 5 minutes", async () => {
    const read = await readInsights(
      reader,
      namespace,
      { ...perTenant, orderBy: { function: "MAX", direction: "DESC" }, limit: 2 },
      range,
      300,
    );
    expect([...read.series.keys()]).toEqual(["tenant-4", "tenant-3"]);
    const fiveMinutes = (tenant: string) =>
      [0, 1, 2].map((k) => Array.from({ length: 5 }, (_, i) => unitsAt(tenant, 5 * k + i)).reduce((a, b) => a + b, 0));
    expect(read.series.get("tenant-4")).toEqual({
      timestamps: [0, 1, 2].map((k) => range.startMs + k * 5 * minute),
      values: fiveMinutes("tenant-4"),
    });
    expect(onGrid(read.series.get("tenant-3")!, range, 300)).toEqual(fiveMinutes("tenant-3"));
    // A LIMIT that may have cut the answer: the metrics analyzed are a lower bound.
    expect(read.metricsAnalyzedExact).toBe(false);
  });

  it('reads one series under "" without GROUP BY, and a namespace-wide query as a lower bound', async () => {
    const total = await readInsights(reader, namespace, { metricName: writes, function: "SUM", schema: [dimensionInstance] }, range, 900);
    const all = [...pool["pool-003"], ...pool["pool-004"]];
    expect(total.series.get("")!.values).toEqual([
      Array.from({ length: 15 }, (_, m) => all.reduce((sum, tenant) => sum + unitsAt(tenant, m), 0)).reduce((a, b) => a + b, 0),
    ]);
    expect(total.metricsAnalyzedExact).toBe(false);
    const byPool = await readInsights(reader, namespace, { metricName: writes, function: "MAX", groupBy: [dimensionInstance] }, range, 900);
    expect([...byPool.series.keys()]).toEqual(["pool-003", "pool-004"]);
    expect(byPool.cost.metricsAnalyzed).toBe(2);
    expect(byPool.metricsAnalyzedExact).toBe(false);
  });

  it("refuses a spec or a period it cannot query before calling CloudWatch", async () => {
    const before = { ...reader.insightsTotals };
    await expect(readInsights(reader, namespace, { ...perTenant, where: { [dimensionInstance]: "" } }, range, 60)).rejects.toBeInstanceOf(
      InsightsSpecError,
    );
    await expect(readInsights(reader, namespace, perTenant, range, 30)).rejects.toThrow(/multiple of 60/);
    expect(reader.insightsTotals).toEqual(before);
  });
});
