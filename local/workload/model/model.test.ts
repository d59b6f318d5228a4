import { describe, expect, it } from "vitest";
import { prng } from "../../../lib/random";
import type { RoutingRecord } from "../../../lib/routing/record";
import { tenantEntities } from "../../../lib/storage/tenant-items";
import { CapacityBudget, burstWindowSeconds, queueingDelayMs } from "./capacity";
import { FleetModel } from "./fleet-model";
import { itemSizeBytes, readUnits, writeUnits } from "../../../lib/data-plane/capacity-units";
import { DailyQuota, TokenBucket } from "./token-bucket";
import { demandRate, type TenantProfile } from "./traffic";
import { defaultKeyScheme } from "../../../lib/storage/key-scheme";

describe("TokenBucket", () => {
  it("lets a full bucket's burst through, then holds to the rate", () => {
    const bucket = new TokenBucket(50, 100);
    expect(bucket.admit(300, 1)).toBe(150); // 100 stored + 50 refilled
    let admitted = 0;
    for (let i = 0; i < 10; i++) admitted += bucket.admit(300, 1);
    expect(admitted).toBe(500);
  });

  it("admits the same over one 60 s step as over sixty 1 s ticks at steady overload", () => {
    const coarse = new TokenBucket(20, 20);
    const fine = new TokenBucket(20, 20);
    const coarseAdmitted = coarse.admit(40 * 60, 60);
    let fineAdmitted = 0;
    for (let i = 0; i < 60; i++) fineAdmitted += fine.admit(40, 1);
    expect(coarseAdmitted).toBe(20 * 60 + 20);
    expect(fineAdmitted).toBe(coarseAdmitted);
  });

  it("admits everything below the rate and refills to the burst, no further", () => {
    const bucket = new TokenBucket(10, 15);
    expect(bucket.admit(5, 1)).toBe(5);
    expect(bucket.admit(0, 100)).toBe(0);
    expect(bucket.admit(1_000, 0)).toBe(15);
  });
});

describe("DailyQuota", () => {
  it("stops at the quota and starts again at midnight UTC", () => {
    const quota = new DailyQuota();
    const morning = Date.UTC(2026, 10, 24, 9);
    expect(quota.admit(800, 1_000, morning)).toBe(800);
    expect(quota.admit(800, 1_000, morning + 1)).toBe(200);
    expect(quota.admit(5, 1_000, morning + 2)).toBe(0);
    expect(quota.admit(5, 1_000, Date.UTC(2026, 10, 25, 0, 0, 1))).toBe(5);
  });
});

describe("CapacityBudget", () => {
  it("absorbs a short burst from unused capacity, then throttles the excess", () => {
    const budget = new CapacityBudget(10);
    expect(budget.consume(10 + 10 * burstWindowSeconds, 1).servedFraction).toBe(1);
    const over = budget.consume(40, 1);
    expect(over.servedFraction).toBeCloseTo(0.25);
    expect(over.utilisation).toBe(4);
  });

  it("queues longer as utilisation rises, and stays finite at saturation", () => {
    expect(queueingDelayMs(4, 0)).toBe(0);
    expect(queueingDelayMs(4, 0.5)).toBeCloseTo(4);
    expect(queueingDelayMs(4, 0.9)).toBeCloseTo(36);
    expect(queueingDelayMs(4, 5)).toBeLessThan(200);
  });
});

describe("DynamoDB item size and capacity units", () => {
  it("counts attribute names and values the way DynamoDB does", () => {
    expect(itemSizeBytes({ pk: { S: "acme#orders" }, n: { N: "12345" }, ok: { BOOL: true } })).toBe(2 + 11 + 1 + 4 + 2 + 1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, false)).toBe(1);
    expect(readUnits(100, false)).toBe(0.5);
  });
});

describe("traffic shapes", () => {
  const base: TenantProfile = { tenantId: "t", shape: { kind: "steady" }, baseRate: 10, readRatio: 0.5, itemBytes: 500, maxItems: 100 };
  const noon = Date.UTC(2026, 10, 24, 12);

  it("peaks a daily cycle at its peak hour and troughs twelve hours later", () => {
    const daily = { ...base, shape: { kind: "daily", amplitude: 0.5, peakHourUtc: 12 } } as const;
    expect(demandRate(daily, noon, 0)).toBeCloseTo(15);
    expect(demandRate(daily, noon + 12 * 3_600_000, 0)).toBeCloseTo(5);
  });

  it("grows by doubling and stops at its cap", () => {
    const growing = { ...base, shape: { kind: "growing", doublingHours: 2, maxFactor: 4 } } as const;
    expect(demandRate(growing, noon + 2 * 3_600_000, noon)).toBeCloseTo(20);
    expect(demandRate(growing, noon + 20 * 3_600_000, noon)).toBeCloseTo(40);
  });

  it("turns a noisy neighbour on for its active part of each period", () => {
    const noisy = { ...base, shape: { kind: "noisy", noisyRate: 100, periodSeconds: 600, activeSeconds: 60, phaseSeconds: 0 } } as const;
    const periodStart = Math.floor(noon / 600_000) * 600_000;
    expect(demandRate(noisy, periodStart + 30_000, 0)).toBe(100);
    expect(demandRate(noisy, periodStart + 120_000, 0)).toBe(10);
  });

  it("bursts about as often as asked, at the burst factor", () => {
    const bursty = { ...base, shape: { kind: "bursty", burstFactor: 5, burstsPerHour: 6, burstSeconds: 60 } } as const;
    const rates = Array.from({ length: 24 * 60 }, (_, m) => demandRate(bursty, noon + m * 60_000, 0));
    const bursts = rates.filter((r) => r === 50).length;
    expect(new Set(rates)).toEqual(new Set([10, 50]));
    expect(bursts).toBeGreaterThan(24 * 6 * 0.6);
    expect(bursts).toBeLessThan(24 * 6 * 1.4);
  });
});

function record(tenantId: string, overrides: Partial<RoutingRecord> = {}): RoutingRecord {
  return {
    tenantId,
    version: 1,
    status: "active",
    deploymentModel: "pool",
    keyPrefix: `${tenantId}#`,
    keyScheme: defaultKeyScheme,
    placement: { storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1" },
    bridge: null,
    ratePerSec: 50,
    burst: 50,
    quotaPerDay: 10_000_000,
    writeFrozen: false,
    frozenSince: null,
    suspendedReason: null,
    journal: null,
    updatedAt: "2026-11-24T00:00:00.000Z",
    ...overrides,
  };
}

const profile = (tenantId: string, baseRate: number, readRatio = 0.5): TenantProfile => ({
  tenantId,
  shape: { kind: "steady" },
  baseRate,
  readRatio,
  itemBytes: 900,
  maxItems: 1_000,
});

describe("FleetModel", () => {
  const now = Date.UTC(2026, 10, 24, 12);
  const run = (
    records: RoutingRecord[],
    profiles: TenantProfile[],
    capacity: { readUnitsPerSec: number; writeUnitsPerSec: number },
    seconds = 120,
  ) => {
    const model = new FleetModel(prng(1), now, tenantEntities);
    const totals = new Map<
      string,
      { requests: number; served: number; planThrottled: number; capacityThrottled: number; writes: number }
    >();
    for (let s = 0; s < seconds; s++) {
      const { tenants } = model.interval(records, new Map(profiles.map((p) => [p.tenantId, p])), () => capacity, now + s * 1000, 1);
      for (const t of tenants) {
        const total = totals.get(t.tenantId) ?? { requests: 0, served: 0, planThrottled: 0, capacityThrottled: 0, writes: 0 };
        total.requests += t.requests;
        total.planThrottled += t.planThrottled;
        total.capacityThrottled += t.capacityThrottled;
        total.served += t.served.reduce((sum, r) => sum + r.reads + r.writes, 0);
        total.writes += t.served.reduce((sum, r) => sum + r.writes, 0);
        totals.set(t.tenantId, total);
      }
    }
    return totals;
  };
  const ample = { readUnitsPerSec: 100_000, writeUnitsPerSec: 100_000 };

  it("serves a tenant above its plan's rate at the plan's rate", () => {
    const totals = run([record("loud", { ratePerSec: 20, burst: 20 })], [profile("loud", 40)], ample);
    const loud = totals.get("loud")!;
    expect(loud.served / 120).toBeGreaterThan(19);
    expect(loud.served / 120).toBeLessThan(21);
    expect(loud.planThrottled).toBeGreaterThan(loud.requests * 0.4);
  });

  it("serves no writes of a frozen tenant and counts them refused", () => {
    const totals = run([record("frozen", { writeFrozen: true })], [profile("frozen", 10)], ample);
    const frozen = totals.get("frozen")!;
    expect(frozen.writes).toBe(0);
    expect(frozen.served).toBeGreaterThan(0);
    expect(frozen.planThrottled).toBeGreaterThan(0);
  });

  it("throttles every tenant on a pool that one tenant pushes over capacity", () => {
    const records = [record("noisy"), record("quiet")];
    const totals = run(records, [profile("noisy", 45, 0.1), profile("quiet", 2, 0.1)], { readUnitsPerSec: 100, writeUnitsPerSec: 20 }, 300);
    expect(totals.get("noisy")!.capacityThrottled).toBeGreaterThan(0);
    const quiet = totals.get("quiet")!;
    expect(quiet.planThrottled).toBe(0);
    expect(quiet.capacityThrottled / quiet.requests).toBeGreaterThan(0.2);
  });

  it("leaves tenants alone on a pool with headroom, and skips tenants that are not serving", () => {
    const totals = run([record("a"), record("b", { status: "suspended" })], [profile("a", 5), profile("b", 5)], ample);
    expect(totals.get("a")!.capacityThrottled + totals.get("a")!.planThrottled).toBe(0);
    expect(totals.has("b")).toBe(false);
  });
});
