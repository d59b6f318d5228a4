// The watcher against the local CloudWatch endpoint (the real SDK over HTTP)
// and the catalog on PGlite: two workers evaluate each period once; a noisy
// neighbour's burst put into the endpoint opens a finding with its evidence,
// victims and the pool's recommendation, and the burst's end resolves it.
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudWatchEndpoint, type CloudWatchEndpoint } from "../../local/cloudwatch-endpoint/server";
import { demoPlans, demoUsers, type DemoFleet } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import { loadConfig } from "../config/config";
import { testDatabase, type TestDatabase } from "../db/__tests__/databases";
import { pool, tenant } from "../operations/__tests__/migration-fixture";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../metrics/contract";
import { readInsights } from "../metrics/insights";
import { MetricsReader } from "../metrics/reader";
import type { PoolRecommendation } from "./shapes";
import { watcherSettings, watchOnce, type WatcherDeps } from "./watcher";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const namespace = "WatcherTest";
const minute = 60_000;
const base = Math.floor(Date.now() / minute) * minute;
const quiet = ["quiet-1", "quiet-2", "quiet-3"];

const fleet: DemoFleet = {
  plans: demoPlans,
  users: demoUsers,
  // 20 write units/s: 1,200 a minute.
  instances: [{ ...pool("pool-a"), writeUnitsPerSec: 20, readUnitsPerSec: 100 }, pool("pool-b")],
  tenants: [tenant("loud", "pool-a"), ...quiet.map((id) => tenant(id, "pool-a")), tenant("elsewhere", "pool-b")],
};

interface Minute {
  writes: number;
  requests: number;
  refused: number;
}

let endpoint: CloudWatchEndpoint;
let client: CloudWatchClient;
let database: TestDatabase;

/** What the data plane publishes for one minute: per tenant, and the instance's totals. */
async function putMinute(atMs: number, instanceId: string, tenants: Record<string, Minute>) {
  const data: MetricDatum[] = [];
  const datum = (name: string, value: number, dimensions: Record<string, string>) =>
    data.push({
      MetricName: name,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      Timestamp: new Date(atMs),
      Value: value,
      Unit: "Count",
    });
  const total = { writes: 0, requests: 0, refused: 0 };
  for (const [tenantId, m] of Object.entries(tenants)) {
    const dims = { [dimensionTenant]: tenantId, [dimensionInstance]: instanceId };
    datum(tenantMetrics.consumedWriteUnits.name, m.writes, dims);
    datum(tenantMetrics.consumedReadUnits.name, 0, dims);
    datum(tenantMetrics.requests.name, m.requests, dims);
    datum(tenantMetrics.throttled.name, m.refused, dims);
    datum(tenantMetrics.capacityThrottled.name, m.refused, dims);
    total.writes += m.writes;
    total.requests += m.requests;
    total.refused += m.refused;
  }
  const dims = { [dimensionInstance]: instanceId };
  datum(tenantMetrics.consumedWriteUnits.name, total.writes, dims);
  datum(tenantMetrics.consumedReadUnits.name, 0, dims);
  datum(tenantMetrics.requests.name, total.requests, dims);
  datum(tenantMetrics.throttled.name, total.refused, dims);
  datum(tenantMetrics.capacityThrottled.name, total.refused, dims);
  await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
}

const calm: Minute = { writes: 100, requests: 100, refused: 0 };
async function putCalm(atMs: number) {
  await putMinute(atMs, "pool-a", Object.fromEntries(["loud", ...quiet].map((id) => [id, calm])));
  await putMinute(atMs, "pool-b", { elsewhere: calm });
}
async function putBurst(atMs: number) {
  const victim: Minute = { writes: 80, requests: 100, refused: 20 };
  await putMinute(atMs, "pool-a", {
    loud: { writes: 1000, requests: 1000, refused: 0 },
    ...Object.fromEntries(quiet.map((id) => [id, victim])),
  });
  await putMinute(atMs, "pool-b", { elsewhere: calm });
}

const settings = watcherSettings(loadConfig({}));
/** As a worker builds them: the pools' tenants read by Metrics Insights through the same reader. */
function deps(nowMs: number): WatcherDeps {
  const reader = new MetricsReader(client, namespace);
  return {
    db: database.db,
    metrics: reader,
    insights: (spec, range, periodSeconds) => readInsights(reader, namespace, spec, range, periodSeconds),
    now: () => nowMs,
  };
}

beforeAll(async () => {
  endpoint = await startCloudWatchEndpoint({ port: 0 });
  client = new CloudWatchClient({
    endpoint: endpoint.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  database = await testDatabase("pglite").start();
  await seedCatalog(database.db, fleet);
  // Calm for 26 minutes, then the loud tenant takes most of pool-a for 14 minutes while its co-tenants are refused.
  for (let m = -40; m < -14; m++) await putCalm(base + m * minute);
  for (let m = -14; m < 0; m++) await putBurst(base + m * minute);
}, 120_000);
afterAll(async () => {
  await database?.stop();
  await endpoint?.stop();
});

describe("the fleet watcher", () => {
  it("evaluates a period once when two workers try at the same moment", async () => {
    const at = base + 5_000;
    const results = await Promise.all([watchOnce(deps(at), settings, "worker-1"), watchOnce(deps(at), settings, "worker-2")]);
    expect(results.map((r) => r.status).sort()).toEqual(["evaluated", "skipped"]);
    expect(await database.db.watchEvaluation.count()).toBe(1);
    // The period's evaluation is done: a third worker later in the same period skips it too.
    expect((await watchOnce(deps(at + 20_000), settings, "worker-3")).status).toBe("skipped");
  });

  it("opened a finding for the burst, with evidence, victims and the pool's recommendation", async () => {
    const finding = await database.db.finding.findFirstOrThrow({
      where: { kind: "noisy_neighbour" },
      include: { events: true },
    });
    expect(finding).toMatchObject({
      tenantId: "loud",
      storageInstanceId: "pool-a",
      status: "open",
      subject: "noisy_neighbour/pool-a/loud",
    });
    expect(finding.sinceAt.getTime()).toBeGreaterThanOrEqual(base - 15 * minute);
    expect(finding.sinceAt.getTime()).toBeLessThanOrEqual(base - 14 * minute);
    expect((finding.victims as { tenantId: string }[]).map((v) => v.tenantId).sort()).toEqual(quiet);
    expect((finding.evidence as { peakRatio: number }).peakRatio).toBeGreaterThan(2);
    const recommendation = finding.recommendation as unknown as PoolRecommendation;
    expect(recommendation.moves.map((m) => m.tenantId)).toEqual(["loud"]);
    expect(recommendation.after.coTenantCapacityThrottled).toBeLessThan(recommendation.before.coTenantCapacityThrottled);
    expect(finding.events.map((e) => e.kind)).toEqual(["opened"]);
    // The pool refused its requests for capacity: a finding about the instance too.
    expect(await database.db.finding.count({ where: { kind: "instance_pressure", storageInstanceId: "pool-a", status: "open" } })).toBe(1);
    const evaluation = await database.db.watchEvaluation.findFirstOrThrow();
    expect(evaluation.metricsRequested).toBeGreaterThan(0);
    expect(evaluation.snapshot).toMatchObject({ openFindings: { major: expect.any(Number) }, pressuredPools: ["pool-a"] });
  });

  it("resolves the finding a few evaluations after the burst ended, with the history to show", async () => {
    for (let m = 0; m < 8; m++) await putCalm(base + m * minute);
    let resolvedAt: number | null = null;
    for (let m = 1; m <= 8 && resolvedAt === null; m++) {
      const at = base + m * minute + 5_000;
      const result = await watchOnce(deps(at), settings, "worker-1");
      expect(result.status).toBe("evaluated");
      const finding = await database.db.finding.findFirstOrThrow({ where: { kind: "noisy_neighbour" } });
      if (finding.status === "resolved") resolvedAt = at;
    }
    expect(resolvedAt).not.toBeNull();
    const finding = await database.db.finding.findFirstOrThrow({
      where: { kind: "noisy_neighbour" },
      include: { events: { orderBy: { at: "asc" } } },
    });
    expect(finding.events.map((e) => e.kind)).toEqual(["opened", "resolved"]);
    expect(finding.resolvedAt!.getTime()).toBe(resolvedAt);
  });
});
