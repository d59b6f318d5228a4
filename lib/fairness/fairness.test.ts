import { describe, expect, it } from "vitest";
import { activeSpread, analyseInstance, fairShares, jainIndex, percentile, type InstanceUsage, type TenantUsage } from "./fairness";
import {
  defaultNoisyOptions,
  detectNoisyNeighbours,
  groupFlagsByTenant,
  hasSustainedOverShare,
  ongoingNoisyNeighbours,
  overShareToWatch,
} from "./noisy";
import { recommend } from "./recommend";
import { predict } from "./what-if";

describe("Jain's fairness index", () => {
  it("is 1 when all are equal and 1/n when one takes everything", () => {
    expect(jainIndex([1, 1, 1, 1])).toBe(1);
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([3, 1])).toBeCloseTo(16 / 20);
    expect(jainIndex([])).toBe(1);
  });

  it("is fair when consumption follows entitlement (weighted by plan)", () => {
    // Plans 50 and 150 requests/s; the second consumes three times as much: fair.
    const fair = fairShares([{ planRatePerSec: 50 }, { planRatePerSec: 150 }]);
    expect(fair).toEqual([0.25, 0.75]);
    expect(jainIndex([0.25 / fair[0]!, 0.75 / fair[1]!])).toBe(1);
    // Equal consumption against unequal plans is not.
    expect(jainIndex([0.5 / fair[0]!, 0.5 / fair[1]!])).toBeCloseTo((2 + 2 / 3) ** 2 / (2 * (4 + 4 / 9)));
  });
});

const period = 60;
const periods = 60;
const start = Date.UTC(2026, 10, 24, 12);

function tenant(
  tenantId: string,
  planRatePerSec: number,
  writesPerPeriod: (p: number) => number,
  extra: Partial<TenantUsage> = {},
): TenantUsage {
  const writes = Array.from({ length: periods }, (_, p) => writesPerPeriod(p));
  return {
    tenantId,
    planRatePerSec,
    readUnits: writes.map(() => 0),
    writeUnits: writes,
    requests: writes.map((w) => w),
    throttled: writes.map(() => 0),
    capacityThrottled: writes.map(() => 0),
    latencyP99: writes.map(() => 5),
    ...extra,
  };
}

function instance(tenants: TenantUsage[], writeUnitsPerSec = 10): InstanceUsage {
  return {
    storageInstanceId: "pool-a",
    periodSeconds: period,
    timestamps: Array.from({ length: periods }, (_, p) => start + p * period * 1000),
    readUnitsPerSec: 100,
    writeUnitsPerSec,
    tenants,
  };
}

describe("shares and fair shares", () => {
  it("measures each tenant's share against its plan's entitlement, across tiers", () => {
    const analysis = analyseInstance(instance([tenant("basic", 50, () => 60), tenant("enterprise", 300, () => 60)]));
    const [basic, enterprise] = analysis.tenants;
    expect(basic!.share).toBeCloseTo(0.5);
    expect(basic!.fairShare).toBeCloseTo(50 / 350);
    expect(basic!.ratio).toBeCloseTo(3.5);
    expect(enterprise!.ratio).toBeCloseTo(0.5 / (300 / 350));
    // Two active tenants: p90 and p10 interpolate between them.
    const low = 0.5 / (300 / 350);
    expect(analysis.spread).toEqual({ ratio: expect.closeTo((low + 0.9 * (3.5 - low)) / (low + 0.1 * (3.5 - low))), activeTenants: 2 });
    expect(analysis.utilisationMean).toBeCloseTo(120 / 600);
  });
});

describe("spread among active tenants (p90 / p10 of x)", () => {
  it("interpolates percentiles between ranks", () => {
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6);
    expect(percentile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.9)).toBeNaN();
  });

  it("ignores near-idle tenants, which made max/min read thousands × on a quiet pool", () => {
    // A quiet pool: one tenant at 1.6× its share, two near 1×, two near-idle ones at 0.001× and 0.0004×.
    const quiet = [1.6, 1.1, 0.9, 0.001, 0.0004];
    expect(Math.max(...quiet) / Math.min(...quiet)).toBe(4000); // the former measure
    const spread = activeSpread(quiet);
    expect(spread.activeTenants).toBe(3);
    // Active x sorted [0.9, 1.1, 1.6]: p90 = 1.1 + 0.8 × 0.5 = 1.5; p10 = 0.9 + 0.2 × 0.2 = 0.94.
    expect(spread.ratio).toBeCloseTo(1.5 / 0.94);
  });

  it("reads high on the pool that suffers: a loud tenant and co-tenants held well under their share", () => {
    // Ten active tenants: one at 6×, one at 3×, eight starved between 0.2× and 0.55×.
    const suffering = [6, 3, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2];
    const spread = activeSpread(suffering);
    expect(spread.activeTenants).toBe(10);
    // Sorted: p90 at rank 8.1 = 3 + 0.1 × 3 = 3.3; p10 at rank 0.9 = 0.2 + 0.9 × 0.05 = 0.245.
    expect(spread.ratio).toBeCloseTo(3.3 / 0.245);
    expect(spread.ratio).toBeGreaterThan(activeSpread([1.6, 1.1, 0.9, 0.001, 0.0004]).ratio * 5);
  });

  it("is 1 with fewer than two active tenants, and skips non-finite ratios", () => {
    expect(activeSpread([])).toEqual({ ratio: 1, activeTenants: 0 });
    expect(activeSpread([5, 0.01, 0])).toEqual({ ratio: 1, activeTenants: 1 });
    expect(activeSpread([2, 1, NaN, Infinity])).toEqual({ ratio: (1 + 0.9) / (1 + 0.1), activeTenants: 2 });
  });

  it("counts a tenant at exactly the floor", () => {
    expect(activeSpread([0.1, 0.2]).activeTenants).toBe(2);
    expect(activeSpread([0.099, 0.2]).activeTenants).toBe(1);
  });
});

describe("noisy-neighbour detection", () => {
  it("does not flag a steady heavy tenant that stays within its entitlement", () => {
    const flags = detectNoisyNeighbours(instance([tenant("big", 300, () => 400), tenant("small", 50, () => 60)], 20));
    expect(flags).toEqual([]);
  });

  it("does not flag an over-consumer that hurts nobody", () => {
    const flags = detectNoisyNeighbours(instance([tenant("loud", 50, () => 400), tenant("quiet", 50, () => 20)], 20));
    expect(flags).toEqual([]);
  });

  it("flags a spike that starves co-tenants, with its victims, and only for its span", () => {
    const spike = (p: number) => p >= 20 && p < 40;
    const loud = tenant("loud", 50, (p) => (spike(p) ? 900 : 30));
    const victim = (id: string) =>
      tenant(id, 50, () => 30, {
        capacityThrottled: Array.from({ length: periods }, (_, p) => (spike(p) ? 10 : 0)),
        throttled: Array.from({ length: periods }, (_, p) => (spike(p) ? 10 : 0)),
        requests: Array.from({ length: periods }, (_, p) => (spike(p) ? 40 : 30)),
      });
    const usage = instance([loud, victim("quiet-a"), victim("quiet-b")], 10);
    const flags = detectNoisyNeighbours(usage);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ tenantId: "loud", startMs: start + 20 * 60_000, endMs: start + 40 * 60_000, severity: "critical" });
    expect(flags[0]!.victims.map((v) => v.tenantId).sort()).toEqual(["quiet-a", "quiet-b"]);
    expect(flags[0]!.peakRatio).toBeGreaterThan(defaultNoisyOptions.shareMultiple);

    // A spike shorter than the sustained span is not flagged.
    expect(detectNoisyNeighbours(usage, { ...defaultNoisyOptions, sustainedMinutes: 30 })).toEqual([]);
  });

  it("flags the tenant causing the pressure, not a steady heavy bystander", () => {
    const spike = (p: number) => p >= 20 && p < 40;
    const refused = (id: string, plan: number, writes: number) =>
      tenant(id, plan, () => writes, {
        capacityThrottled: Array.from({ length: periods }, (_, p) => (spike(p) ? 5 : 0)),
        requests: Array.from({ length: periods }, () => writes),
      });
    // Twenty equal plans: "steady" stays over 2× its fair share throughout; "burst" overruns the pool for 20 minutes.
    const usage = instance(
      [
        refused("steady", 50, 300),
        tenant("burst", 50, (p) => (spike(p) ? 1200 : 30)),
        ...Array.from({ length: 18 }, (_, k) => refused(`quiet-${k}`, 50, 25)),
      ],
      10,
    );
    expect(detectNoisyNeighbours(usage).map((f) => f.tenantId)).toEqual(["burst"]);
    // With the dominance test off, the bystander is flagged too.
    expect(
      detectNoisyNeighbours(usage, { ...defaultNoisyOptions, dominantExcessShare: 0 })
        .map((f) => f.tenantId)
        .sort(),
    ).toEqual(["burst", "steady"]);
  });

  it("screens instances by consumption alone: no sustained over-share, no flag possible", () => {
    const spike = (p: number) => p >= 20 && p < 40;
    const withSpike = instance([tenant("loud", 50, (p) => (spike(p) ? 900 : 10)), tenant("quiet", 150, () => 30)]);
    expect(hasSustainedOverShare(withSpike)).toBe(true);
    expect(hasSustainedOverShare(withSpike, { ...defaultNoisyOptions, sustainedMinutes: 30 })).toBe(false);
    expect(hasSustainedOverShare(instance([tenant("big", 300, () => 400), tenant("small", 50, () => 60)]))).toBe(false);
  });

  it("groups a tenant's repeated spans into one entry with its victims summed", () => {
    const spike = (p: number) => (p >= 5 && p < 20) || (p >= 35 && p < 50);
    const victim = tenant("quiet", 50, () => 30, {
      capacityThrottled: Array.from({ length: periods }, (_, p) => (spike(p) ? 10 : 0)),
      requests: Array.from({ length: periods }, (_, p) => (spike(p) ? 40 : 30)),
    });
    const flags = detectNoisyNeighbours(
      instance([tenant("loud", 50, (p) => (spike(p) ? 900 : 30)), victim, tenant("other", 50, () => 30)], 10),
    );
    expect(flags).toHaveLength(2);
    const [group] = groupFlagsByTenant(flags);
    expect(group).toMatchObject({ tenantId: "loud", firstMs: start + 5 * 60_000, lastMs: start + 50 * 60_000 });
    expect(group!.spans).toHaveLength(2);
    expect(group!.victims).toEqual([expect.objectContaining({ tenantId: "quiet", capacityThrottled: 300, requests: 1200 })]);
  });

  it("counts slowed co-tenants as victims even without throttling", () => {
    const spike = (p: number) => p >= 10 && p < 25;
    const usage = instance([
      tenant("loud", 50, (p) => (spike(p) ? 500 : 20)),
      tenant("slowed", 150, () => 20, { latencyP99: Array.from({ length: periods }, (_, p) => (spike(p) ? 40 : 5)) }),
    ]);
    const flags = detectNoisyNeighbours(usage);
    expect(flags.map((f) => [f.tenantId, f.victims.map((v) => v.tenantId)])).toEqual([["loud", ["slowed"]]]);
    // Slowed but never refused, one victim: watched, not acted on.
    expect(flags[0]!.severity).toBe("minor");
    expect(recommend(flags[0]!, usage, []).action).toBe("observe");
    // The same latency on an instance with ten times the capacity (under 10% busy) is not blamed on the neighbour.
    expect(detectNoisyNeighbours({ ...usage, writeUnitsPerSec: 100 })).toEqual([]);
  });
});

describe("recommendations and what-if", () => {
  const spike = (p: number) => p >= 20 && p < 40;
  // Write capacity 20/s = 1,200 units a minute. In the spike the two demand 500 + 900 and get 6/7 of it.
  const series = (during: number, otherwise: number) => Array.from({ length: periods }, (_, p) => (spike(p) ? during : otherwise));
  const usage = instance(
    [
      tenant("loud", 50, (p) => (spike(p) ? 428 : 100), {
        capacityThrottled: series(72, 0),
        throttled: series(72, 0),
        requests: series(500, 100),
      }),
      tenant("quiet", 450, (p) => (spike(p) ? 771 : 500), {
        capacityThrottled: series(129, 0),
        throttled: series(129, 0),
        requests: series(900, 500),
      }),
    ],
    20,
  );

  it("predicts from the measured history that removing the tenant ends its co-tenants' throttling", () => {
    const { before, after } = predict(usage, { kind: "remove", tenantId: "loud" });
    expect(before.coTenantCapacityThrottled).toBeGreaterThan(20 * 120);
    expect(after.coTenantCapacityThrottled).toBe(0);
    expect(after.peakUtilisation).toBeLessThan(before.peakUtilisation);
  });

  it("sends it to the pool with most headroom, or a lower plan when none has room", () => {
    const flag = detectNoisyNeighbours(usage)[0]!;
    expect(flag.tenantId).toBe("loud");
    const self = { storageInstanceId: "pool-a", region: "us-east-1", readUnitsPerSec: 100, writeUnitsPerSec: 20, peakUtilisation: 1 };
    const roomy = { storageInstanceId: "pool-b", region: "us-east-1", readUnitsPerSec: 100, writeUnitsPerSec: 100, peakUtilisation: 0.2 };
    const full = { storageInstanceId: "pool-c", region: "us-east-1", readUnitsPerSec: 100, writeUnitsPerSec: 100, peakUtilisation: 0.79 };
    const elsewhere = { storageInstanceId: "pool-d", region: "eu-west-1", readUnitsPerSec: 100, writeUnitsPerSec: 100, peakUtilisation: 0 };
    expect(recommend(flag, usage, [self, full, roomy, elsewhere])).toMatchObject({ action: "migrate_to_pool", targetInstanceId: "pool-b" });
    // Never to another region, however empty.
    expect(recommend(flag, usage, [self, full, elsewhere]).action).toBe("lower_plan");
    const lower = recommend(flag, usage, [full]);
    expect(lower.action).toBe("lower_plan");
    expect(lower.after.coTenantCapacityThrottled).toBeLessThan(lower.before.coTenantCapacityThrottled);
  });

  it("sends a tenant that alone needs most of the pool to its own silo", () => {
    const flag = detectNoisyNeighbours(usage)[0]!;
    expect(recommend(flag, usage, [], { siloAboveShare: 0.4, targetPoolCeiling: 0.8 }).action).toBe("migrate_to_silo");
  });
});

describe("hysteresis: a flagged tenant stays flagged while noisy at all", () => {
  // Loud from period 40 on, with a dip in period 54 (a minute published late, a lull): the run since the dip is 5
  // periods, short of the 10-minute span, so only the tenant already flagged stays so.
  const noisy = (p: number) => p >= 40 && p !== 54;
  const loud = tenant("loud", 50, (p) => (noisy(p) ? 900 : 30));
  const victim = (id: string) =>
    tenant(id, 50, () => 30, {
      capacityThrottled: Array.from({ length: periods }, (_, p) => (noisy(p) ? 10 : 0)),
      throttled: Array.from({ length: periods }, (_, p) => (noisy(p) ? 10 : 0)),
      requests: Array.from({ length: periods }, (_, p) => (noisy(p) ? 40 : 30)),
    });
  const latest = instance([loud, victim("quiet-a"), victim("quiet-b")], 10);
  const sinceMs = start + (periods - 2) * period * 1000;
  const recent = { ...latest, timestamps: latest.timestamps.slice(45), tenants: latest.tenants.map((t) => sliceTenant(t, 45)) };

  it("opens only after the sustained span, and keeps an open finding through a dip", () => {
    // Over the last 15 periods (the watcher's window) the run since the dip is too short to open a finding...
    expect(ongoingNoisyNeighbours(recent, defaultNoisyOptions, new Set(), sinceMs)).toEqual([]);
    expect(overShareToWatch(recent, defaultNoisyOptions, new Set())).toBe(false);
    // ...but the tenant already flagged is still seen (and its pool still read), with its victims.
    const kept = ongoingNoisyNeighbours(recent, defaultNoisyOptions, new Set(["loud"]), sinceMs);
    expect(kept.map((g) => g.tenantId)).toEqual(["loud"]);
    expect(kept[0]!.victims.map((v) => v.tenantId).sort()).toEqual(["quiet-a", "quiet-b"]);
    expect(overShareToWatch(recent, defaultNoisyOptions, new Set(["loud"]))).toBe(true);
    // A co-tenant flagged before but quiet now is not kept.
    expect(ongoingNoisyNeighbours(recent, defaultNoisyOptions, new Set(["quiet-a"]), sinceMs)).toEqual([]);
  });

  it("lets a flagged tenant go once it is no longer noisy in the latest periods", () => {
    const calmed = instance([tenant("loud", 50, (p) => (p >= 40 && p < 55 ? 900 : 30)), victim("quiet-a")], 10);
    const window = { ...calmed, timestamps: calmed.timestamps.slice(45), tenants: calmed.tenants.map((t) => sliceTenant(t, 45)) };
    expect(ongoingNoisyNeighbours(window, defaultNoisyOptions, new Set(["loud"]), sinceMs)).toEqual([]);
  });
});

function sliceTenant(t: TenantUsage, from: number): TenantUsage {
  return {
    ...t,
    readUnits: t.readUnits.slice(from),
    writeUnits: t.writeUnits.slice(from),
    requests: t.requests.slice(from),
    throttled: t.throttled.slice(from),
    capacityThrottled: t.capacityThrottled.slice(from),
    latencyP99: t.latencyP99.slice(from),
  };
}
