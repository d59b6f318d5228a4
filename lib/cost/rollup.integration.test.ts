// The usage rollup against the catalog: a completed day rolled once, today in part at most every N minutes, the
// rows it writes, and the estimates the cost pages read from them (the SQL sums, backups held, one tenant's days).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import { testDatabase, type TestDatabase } from "../db/__tests__/databases";
import { pool, tenant } from "../operations/__tests__/migration-fixture";
import type { MetricQuery, MetricsRead, MetricsSource } from "../metrics/reader";
import { daysToRoll, rollUpUsage } from "./rollup";
import { loadFleetEstimate, loadInstanceCost, loadTenantCost } from "./queries";

const now0 = Date.UTC(2026, 11, 2, 12, 0);

/** CloudWatch as the rollup sees it: every tenant published every hour (100 requests, 50 read and 10 write units). */
function fakeCloudWatch(): MetricsSource & { requested: number } {
  const values: Record<string, number> = {
    Requests: 100,
    ConsumedReadCapacityUnits: 50,
    ConsumedWriteCapacityUnits: 10,
    StoredBytes: 1_000_000,
    StoredItems: 1_000,
  };
  const source = {
    requested: 0,
    async read(queries: MetricQuery[], range: { startMs: number; endMs: number }, periodSeconds: number): Promise<MetricsRead> {
      source.requested += queries.length;
      const series = new Map<string, { timestamps: number[]; values: number[] }>();
      for (const query of queries) {
        const timestamps: number[] = [];
        for (let t = range.startMs; t < range.endMs; t += periodSeconds * 1000) timestamps.push(t);
        series.set(query.key, { timestamps, values: timestamps.map(() => values[query.metricName] ?? 0) });
      }
      return { series, cost: { calls: Math.ceil(queries.length / 500), metricsRequested: queries.length }, periodSeconds };
    },
  };
  return source;
}

let database: TestDatabase;
let now = now0;
const cloudWatch = fakeCloudWatch();
const deps = () => ({ db: database.db, metrics: cloudWatch, now: () => now });

beforeAll(async () => {
  database = await testDatabase("pglite").start();
  await seedCatalog(database.db, {
    plans: demoPlans.map((plan) => ({ ...plan, priceCentsPerMonth: plan.id === "basic" ? 100 : null })),
    instances: [{ ...pool("pool-a"), capacityMode: "provisioned", readUnitsPerSec: 80, writeUnitsPerSec: 40 }],
    tenants: [
      { ...tenant("alpha", "pool-a"), planId: "basic" },
      { ...tenant("beta", "pool-a"), planId: "standard" },
    ],
    users: demoUsers,
  });
}, 120_000);

afterAll(async () => {
  await database?.stop();
});

describe("the usage rollup", () => {
  it("rolls the completed days of the month and today so far, then nothing until today is due again", async () => {
    expect(await daysToRoll(database.db, now)).toEqual(["2026-12-01"]);
    const first = await rollUpUsage(deps(), { todayEveryMinutes: 360 });
    expect(first.map((roll) => [roll.day, roll.whole, roll.pairs])).toEqual([
      ["2026-12-01", true, 2],
      ["2026-12-02", false, 2],
    ]);
    const rows = await database.db.tenantUsageDay.findMany({ where: { tenantId: "alpha" }, orderBy: { day: "asc" } });
    expect(rows.map((row) => [row.requests, row.readUnits, row.writeUnits, row.storedBytes, row.coveredHours])).toEqual([
      [2_400, 1_200, 240, 1_000_000, 24],
      [1_200, 600, 120, 1_000_000, 12],
    ]);

    now += 60 * 60_000;
    expect(await rollUpUsage(deps(), { todayEveryMinutes: 360 })).toEqual([]);
    now += 300 * 60_000;
    const later = await rollUpUsage(deps(), { todayEveryMinutes: 360 });
    expect(later.map((roll) => [roll.day, roll.whole])).toEqual([["2026-12-02", false]]);
    const today = await database.db.tenantUsageDay.findFirstOrThrow({ where: { tenantId: "alpha", day: new Date("2026-12-02") } });
    expect(today.coveredHours).toBe(18);
    // 5 metrics × 2 tenants × 3 rolls.
    expect(cloudWatch.requested).toBe(30);
    // A day is rolled whole once it has settled, an hour after its end.
    expect(await daysToRoll(database.db, Date.UTC(2026, 11, 3, 0, 30))).toEqual([]);
    expect(await daysToRoll(database.db, Date.UTC(2026, 11, 3, 1, 0))).toEqual(["2026-12-02"]);
  });

  it("feeds the fleet, tenant and instance estimates", async () => {
    const settings = { pointInTime: false, rollsPerDay: 5 };
    const { estimate, rollup } = await loadFleetEstimate(database.db, settings, now);
    expect(rollup.daysThisMonth).toBe(2);
    const alpha = estimate.tenants.find((t) => t.id === "alpha")!;
    const beta = estimate.tenants.find((t) => t.id === "beta")!;
    // The same consumption: half the pool's capacity each.
    expect(alpha.soFarLines.reads).toBeCloseTo(beta.soFarLines.reads, 10);
    expect(alpha.measuredHours).toBe(42);
    expect(alpha.againstPlan).toBeCloseTo(alpha.projected / 1, 10);
    expect(beta.againstPlan).toBeNull();

    const one = await loadTenantCost(database.db, "alpha", settings, now);
    expect(one!.estimate.projected).toBeCloseTo(alpha.projected, 10);
    expect(one!.days.map((d) => d.day)).toEqual(["2026-12-01", "2026-12-02"]);

    const instance = await loadInstanceCost(database.db, "pool-a", settings, now);
    expect(instance!.tenants.map((t) => t.tenantId).sort()).toEqual(["alpha", "beta"]);
    expect(instance!.instance.soFar).toBeCloseTo(alpha.soFar + beta.soFar, 10);
  });
});
