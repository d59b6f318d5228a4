import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudWatchEndpoint, type CloudWatchEndpoint } from "../../local/cloudwatch-endpoint/server";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "./contract";
import { MetricsReader, onGrid, type MetricQuery } from "./reader";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const minute = 60_000;
const now = Math.floor(Date.now() / minute) * minute;
const range = { startMs: now - 60 * minute, endMs: now };
let endpoint: CloudWatchEndpoint;
let client: CloudWatchClient;

const tenants = Array.from({ length: 600 }, (_, i) => `tenant-${String(i).padStart(3, "0")}`);
const dims = (tenantId: string) => [
  { Name: dimensionTenant, Value: tenantId },
  { Name: dimensionInstance, Value: "pool-a" },
];
// Tenant i makes i + m requests in minute m.
const requestsAt = (i: number, m: number) => i + m;

beforeAll(async () => {
  endpoint = await startCloudWatchEndpoint({ port: 0 });
  client = new CloudWatchClient({
    endpoint: endpoint.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const data: MetricDatum[] = [];
  tenants.forEach((tenantId, i) => {
    for (let m = 0; m < 60; m++)
      data.push({
        MetricName: tenantMetrics.requests.name,
        Dimensions: dims(tenantId),
        Timestamp: new Date(range.startMs + m * minute),
        Value: requestsAt(i, m),
        Unit: "Count",
      });
  });
  for (let i = 0; i < data.length; i += 1000)
    await client.send(new PutMetricDataCommand({ Namespace: "ReaderTest", MetricData: data.slice(i, i + 1000) }));
});
afterAll(async () => {
  await endpoint?.stop();
});

describe("MetricsReader against the local CloudWatch endpoint", () => {
  const queries: MetricQuery[] = tenants.map((tenantId) => ({
    key: tenantId,
    metricName: tenantMetrics.requests.name,
    dimensions: { [dimensionTenant]: tenantId, [dimensionInstance]: "pool-a" },
    stat: "Sum",
  }));

  it("returns exactly the series that were put, in as few calls as the 500-query limit allows", async () => {
    const reader = new MetricsReader(client, "ReaderTest");
    const read = await reader.read(queries, range, 60, now);
    expect(read.cost).toEqual({ calls: 2, metricsRequested: 600 });
    for (const i of [0, 1, 499, 500, 599]) {
      expect(onGrid(read.series.get(tenants[i]!)!, range, 60)).toEqual(Array.from({ length: 60 }, (_, m) => requestsAt(i, m)));
    }
    const hourly = await reader.read(queries.slice(0, 3), range, 3600, now);
    expect(hourly.series.get(tenants[2]!)!.values.reduce((a, b) => a + b, 0)).toBe(
      Array.from({ length: 60 }, (_, m) => requestsAt(2, m)).reduce((a, b) => a + b, 0),
    );
  });

  it("answers a repeated read from its cache without calling CloudWatch", async () => {
    const reader = new MetricsReader(client, "ReaderTest");
    await reader.read(queries.slice(0, 10), range, 60, now);
    const again = await reader.read(queries.slice(0, 10), range, 60, now + 1_000);
    expect(again.cost).toEqual({ calls: 0, metricsRequested: 0 });
    expect(reader.totals).toEqual({ calls: 1, metricsRequested: 10 });
    await reader.read(queries.slice(0, 10), range, 60, now + 60_000);
    expect(reader.totals.calls).toBe(2);
  });

  it("fetches only the metrics a read does not find in its cache, packed into one call", async () => {
    const reader = new MetricsReader(client, "ReaderTest");
    await reader.read(queries.slice(0, 300), range, 60, now);
    const wider = await reader.read(queries.slice(200, 600), range, 60, now + 1_000);
    expect(wider.cost).toEqual({ calls: 1, metricsRequested: 300 });
    expect(onGrid(wider.series.get(tenants[250]!)!, range, 60)).toEqual(Array.from({ length: 60 }, (_, m) => requestsAt(250, m)));
    expect(onGrid(wider.series.get(tenants[550]!)!, range, 60)).toEqual(Array.from({ length: 60 }, (_, m) => requestsAt(550, m)));
  });

  it("returns an empty series for a metric with no data (a new tenant)", async () => {
    const reader = new MetricsReader(client, "ReaderTest");
    const read = await reader.read(
      [{ key: "new", metricName: "Requests", dimensions: { [dimensionTenant]: "brand-new" }, stat: "Sum" }],
      range,
      60,
      now,
    );
    expect(read.series.get("new")).toEqual({ timestamps: [], values: [] });
  });
});
