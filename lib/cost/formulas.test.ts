// The cost formulas on worked examples, each with its arithmetic (docs/costs.md#worked-examples repeats them).
// The month is November 2026 (30 days, 720 hours); "now" is 10 days in (240 hours elapsed, 480 to go); prices are
// the us-east-1 list prices of the table.
import { describe, expect, it } from "vitest";
import { estimateFleet, weekOverWeek, type DayCost, type InstanceWithAge } from "./estimate";
import { backupCost, backupHeld, gbMonths, monthOf, placementCost, rollsPerDay, totalOf, type PlacementUsage } from "./formulas";
import { regionPrices, unitRates } from "./prices";

const hour = 3_600_000;
const monthStart = Date.UTC(2026, 10, 1);
const now = monthStart + 240 * hour;
const rates = unitRates(regionPrices("us-east-1", []));
const period = { hoursInMonth: 720, remainingHours: 480, pointInTime: false, rollsPerDay: rollsPerDay(360) };
const GiB = 2 ** 30;

const usage = (over: Partial<PlacementUsage>): PlacementUsage => ({
  tenantId: "acme",
  storageInstanceId: "silo-acme",
  readUnits: 0,
  writeUnits: 0,
  requests: 0,
  byteHours: 0,
  itemHours: 0,
  coveredHours: 240,
  ...over,
});
const onDemandSilo = {
  id: "silo-acme",
  capacityMode: "on_demand" as const,
  readUnitsPerSec: 12_000,
  writeUnitsPerSec: 4_000,
  region: "us-east-1",
};
const pool = { id: "pool-a", capacityMode: "provisioned" as const, readUnitsPerSec: 80, writeUnitsPerSec: 40, region: "us-east-1" };

describe("the month", () => {
  it("November 2026 has 720 hours; 6-hourly partial rolls make 5 rolls a day", () => {
    expect(monthOf(now)).toMatchObject({ startMs: monthStart, hours: 720, days: 30 });
    // 1 completed-day roll + ceil(1440 / 360) = 4 partial rolls.
    expect(rollsPerDay(360)).toBe(5);
  });
});

describe("on-demand: units × the request-unit prices", () => {
  const cost = placementCost(
    usage({ readUnits: 2_000_000, writeUnits: 400_000 }),
    onDemandSilo,
    { totalReadUnits: 0, totalWriteUnits: 0, capacityHours: 240 },
    rates,
    period,
  );

  it("reads and writes so far", () => {
    // 2,000,000 RRU × $0.125 / 1,000,000 = $0.25; 400,000 WRU × $0.625 / 1,000,000 = $0.25.
    expect(cost.soFar.reads).toBeCloseTo(0.25, 10);
    expect(cost.soFar.writes).toBeCloseTo(0.25, 10);
  });

  it("projected: the measured hourly rate carried over the hours left", () => {
    // 240 measured hours, 480 to go: × (1 + 480 / 240) = × 3 → $0.75 each.
    expect(cost.projected.reads).toBeCloseTo(0.75, 10);
    expect(cost.projected.writes).toBeCloseTo(0.75, 10);
  });
});

describe("storage: bytes plus 100 bytes an item, as GB-months", () => {
  it("5 GiB and 1,000,000 items held 240 hours of a 720-hour month", () => {
    // (5 × 2^30 + 1,000,000 × 100) bytes = 5.0931323 GiB, held 240 / 720 of the month = 1.6977108 GB-months.
    const held = gbMonths(5 * GiB * 240, 1_000_000 * 240, 720);
    expect(held).toBeCloseTo(1.6977108, 6);
    const cost = placementCost(
      usage({ byteHours: 5 * GiB * 240, itemHours: 1_000_000 * 240 }),
      onDemandSilo,
      { totalReadUnits: 0, totalWriteUnits: 0, capacityHours: 240 },
      rates,
      period,
    );
    // × $0.25 per GB-month = $0.4244277; projected × 3 = $1.2732831.
    expect(cost.soFar.storage).toBeCloseTo(0.4244277, 6);
    expect(cost.projected.storage).toBeCloseTo(1.2732831, 6);
    expect(cost.soFar.pointInTime).toBe(0);
  });

  it("point-in-time recovery, when on, prices the same GB-months", () => {
    const cost = placementCost(
      usage({ byteHours: 5 * GiB * 240, itemHours: 1_000_000 * 240 }),
      onDemandSilo,
      { totalReadUnits: 0, totalWriteUnits: 0, capacityHours: 240 },
      rates,
      { ...period, pointInTime: true },
    );
    // 1.6977108 GB-months × $0.20 = $0.3395422.
    expect(cost.soFar.pointInTime).toBeCloseTo(0.3395422, 6);
  });
});

describe("CloudWatch: the metrics the tenant causes", () => {
  it("8 metric series, their datums, and the rollup's reads", () => {
    const cost = placementCost(usage({}), onDemandSilo, { totalReadUnits: 0, totalWriteUnits: 0, capacityHours: 240 }, rates, period);
    // Series: 8 × 240 / 720 = 2.6667 metric-months × $0.30 = $0.80.
    // PutMetricData: 8 metrics × 60 datums an hour × 240 h = 115,200 datums, 1,000 a request = 115.2 × $0.01 / 1,000 = $0.001152.
    // GetMetricData (the rollup): 5 metrics × 5 rolls a day × 10 days = 250 × $0.01 / 1,000 = $0.0025.
    expect(cost.soFar.metrics).toBeCloseTo(0.8 + 0.001152 + 0.0025, 10);
  });
});

describe("provisioned: the instance's capacity apportioned by consumption share", () => {
  const basis = { totalReadUnits: 1_200, totalWriteUnits: 400, capacityHours: 240 };
  const cost = placementCost(usage({ storageInstanceId: "pool-a", readUnits: 300, writeUnits: 300 }), pool, basis, rates, period);

  it("shares of what every tenant on the instance consumed, reads and writes apart", () => {
    // Reads 300 of 1,200 = 25 %; writes 300 of 400 = 75 %.
    expect(cost.readShare).toBe(0.25);
    expect(cost.writeShare).toBe(0.75);
  });

  it("so far: the capacity of the hours passed × the share", () => {
    // 80 RCU × 240 h × $0.00013 = $2.496 × 25 % = $0.624; 40 WCU × 240 h × $0.00065 = $6.24 × 75 % = $4.68.
    expect(cost.soFar.reads).toBeCloseTo(0.624, 10);
    expect(cost.soFar.writes).toBeCloseTo(4.68, 10);
  });

  it("projected: the whole month's capacity × the share", () => {
    // 80 × 720 × $0.00013 = $7.488 × 25 % = $1.872; 40 × 720 × $0.00065 = $18.72 × 75 % = $14.04.
    expect(cost.projected.reads).toBeCloseTo(1.872, 10);
    expect(cost.projected.writes).toBeCloseTo(14.04, 10);
  });
});

describe("backups: the tenant's bytes in each copy × the hours it is kept", () => {
  it("1 GiB copied on day 5, kept 7 days", () => {
    const copy = { bytes: GiB, region: "us-east-1", startedAt: monthStart + 96 * hour, expiresAt: monthStart + 264 * hour };
    const held = backupHeld(copy, { startMs: monthStart, endMs: monthStart + 720 * hour, nowMs: now });
    // Kept from hour 96: 144 hours so far (to hour 240), 168 hours in all (to hour 264).
    expect(held.byteHoursSoFar).toBe(GiB * 144);
    expect(held.byteHoursMonth).toBe(GiB * 168);
    const cost = backupCost([held], () => rates, 720);
    // 144 / 720 = 0.2 GB-months × $0.10 = $0.02; 168 / 720 × $0.10 = $0.0233333.
    expect(cost.soFar).toBeCloseTo(0.02, 10);
    expect(cost.projected).toBeCloseTo(0.0233333, 6);
  });
});

describe("the fleet estimate", () => {
  const instance = (over: Partial<InstanceWithAge>): InstanceWithAge => ({
    ...pool,
    mode: "pool",
    status: "active",
    createdAtMs: 0,
    ...over,
  });
  const estimate = estimateFleet({
    nowMs: now,
    tenants: [
      { id: "a", name: "A", status: "active", planId: "basic", planName: "Basic", planPriceCents: 500 },
      { id: "b", name: "B", status: "active", planId: "basic", planName: "Basic", planPriceCents: 500 },
      { id: "c", name: "C", status: "active", planId: "free", planName: "Free", planPriceCents: null },
    ],
    instances: [instance({}), instance({ id: "pool-idle" })],
    usage: [
      usage({ tenantId: "a", storageInstanceId: "pool-a", readUnits: 300, writeUnits: 300 }),
      usage({ tenantId: "b", storageInstanceId: "pool-a", readUnits: 900, writeUnits: 100 }),
    ],
    backups: new Map(),
    ratesOf: () => rates,
    pointInTime: false,
    rollsPerDay: 5,
  });
  const [a, b, c] = estimate.tenants;

  it("apportions the whole capacity of a pool among its tenants", () => {
    // A: $1.872 + $14.04 + metrics; B: 75 % × $7.488 = $5.616, 25 % × $18.72 = $4.68, + metrics: together the pool's $26.208.
    const metrics = 0.803652 * 3; // the same metrics line, projected × 3
    expect(a!.projected).toBeCloseTo(1.872 + 14.04 + metrics, 6);
    expect(b!.projected).toBeCloseTo(5.616 + 4.68 + metrics, 6);
    expect(a!.projectedLines.reads + b!.projectedLines.reads + a!.projectedLines.writes + b!.projectedLines.writes).toBeCloseTo(26.208, 6);
  });

  it("compares the projection with the plan's price", () => {
    // A: $18.32 projected ÷ $5.00 = 3.66 (under-priced); C has no priced plan.
    expect(a!.againstPlan).toBeCloseTo(a!.projected / 5, 10);
    expect(a!.againstPlan!).toBeGreaterThan(1);
    expect(c!.againstPlan).toBeNull();
    expect(c!.projected).toBe(0);
  });

  it("an idle provisioned instance's capacity is nobody's: unallocated", () => {
    const idle = estimate.instances.find((i) => i.id === "pool-idle")!;
    // 80 × 240 × $0.00013 + 40 × 240 × $0.00065 = $2.496 + $6.24 = $8.736 so far.
    expect(idle.unallocatedSoFar).toBeCloseTo(8.736, 10);
    expect(idle.tenants).toBe(0);
    expect(estimate.soFar).toBeCloseTo(a!.soFar + b!.soFar + 8.736, 10);
    expect(totalOf(a!.soFarLines)).toBeCloseTo(a!.soFar, 12);
  });
});

describe("the trend", () => {
  const day = (d: string, usd: number): DayCost => ({
    day: d,
    usd,
    measuredHours: 24,
    lines: { reads: usd, writes: 0, storage: 0, pointInTime: 0, backups: 0, metrics: 0 },
  });
  it("the last 7 complete days' mean against the 7 before; today is left out", () => {
    const days = [
      ...Array.from({ length: 7 }, (_, i) => day(`2026-11-0${i + 1}`, 1)),
      ...Array.from({ length: 7 }, (_, i) => day(`2026-11-${String(i + 8).padStart(2, "0")}`, 1.5)),
      day("2026-11-15", 100),
    ];
    // (7 × $1.50) / 7 = $1.50 against $1.00: +50 %.
    expect(weekOverWeek(days, "2026-11-15")).toEqual({ last: 1.5, previous: 1, change: 0.5 });
    expect(weekOverWeek(days.slice(0, 3), "2026-11-15")).toBeNull();
  });
});
