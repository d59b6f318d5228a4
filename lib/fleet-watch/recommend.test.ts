import { describe, expect, it } from "vitest";
import type { InstanceUsage, TenantUsage } from "../fairness/fairness";
import { defaultNoisyOptions, detectNoisyNeighbours, groupFlagsByTenant } from "../fairness/noisy";
import type { PoolHeadroom } from "../fairness/recommend";
import { recommendForPool } from "./recommend";

const periods = 30;
const spike = (p: number) => p >= 5 && p < 25;

function tenant(tenantId: string, writes: (p: number) => number, refused = 0): TenantUsage {
  const w = Array.from({ length: periods }, (_, p) => writes(p));
  return {
    tenantId,
    planRatePerSec: 50,
    readUnits: w.map(() => 0),
    writeUnits: w,
    requests: w,
    throttled: w.map((_, p) => (spike(p) ? refused : 0)),
    capacityThrottled: w.map((_, p) => (spike(p) ? refused : 0)),
    latencyP99: w.map(() => 5),
  };
}

/** A pool of 20 writes/s (1,200 units a minute) with six quiet tenants refused while the loud ones run. */
function pool(loud: TenantUsage[], quiet = 6): InstanceUsage {
  return {
    storageInstanceId: "pool-a",
    periodSeconds: 60,
    timestamps: Array.from({ length: periods }, (_, p) => Date.UTC(2026, 11, 1, 12) + p * 60_000),
    readUnitsPerSec: 100,
    writeUnitsPerSec: 20,
    tenants: [...loud, ...Array.from({ length: quiet }, (_, k) => tenant(`quiet-${k}`, () => 40, 8))],
  };
}

const headroom: PoolHeadroom[] = ["pool-a", "pool-x", "pool-y"].map((id) => ({
  storageInstanceId: id,
  region: "eu-west-1",
  readUnitsPerSec: 100,
  writeUnitsPerSec: 20,
  peakUtilisation: id === "pool-a" ? 1 : 0.1,
}));

const flaggedOn = (usage: InstanceUsage) =>
  groupFlagsByTenant(detectNoisyNeighbours(usage, { ...defaultNoisyOptions, dominantExcessShare: 0 }));

describe("one recommendation per pool", () => {
  it("moves one of two flagged tenants when that alone is predicted to end the refusals", () => {
    const usage = pool([tenant("big", (p) => (spike(p) ? 550 : 20)), tenant("medium", (p) => (spike(p) ? 500 : 20))]);
    const flagged = flaggedOn(usage);
    expect(flagged.map((t) => t.tenantId).sort()).toEqual(["big", "medium"]);
    const recommendation = recommendForPool(usage, flagged, headroom);
    expect(recommendation.moves).toHaveLength(1);
    expect(recommendation.moves[0]).toMatchObject({ tenantId: "big", action: "migrate_to_pool" });
    expect(recommendation.after.coTenantCapacityThrottled).toBe(0);
    expect(recommendation.before.coTenantCapacityThrottled).toBeGreaterThan(0);
    expect(recommendation.reason).toMatch(/medium needs no change/);
  });

  it("moves two when one is not enough, and does not send both to a pool only one fits in", () => {
    const usage = pool(["a", "b", "c"].map((id) => tenant(id, (p) => (spike(p) ? 500 : 20))));
    const recommendation = recommendForPool(usage, flaggedOn(usage), headroom);
    expect(recommendation.moves).toHaveLength(2);
    const targets = recommendation.moves.map((m) => (m.action === "migrate_to_pool" ? m.targetInstanceId : m.action));
    expect(new Set(targets).size).toBe(2);
    expect(recommendation.after.coTenantCapacityThrottled).toBe(0);
  });

  it("offers no change when no flagged tenant's change is predicted to help", () => {
    // Co-tenants were slowed, never refused: each flag's own recommendation is to observe, so the pool's is too.
    const usage = pool([tenant("loud", (p) => (spike(p) ? 900 : 20))], 2);
    usage.tenants.forEach((t) => {
      t.capacityThrottled.fill(0);
      t.throttled.fill(0);
      if (t.tenantId !== "loud") t.latencyP99 = t.latencyP99.map((_, p) => (p >= 5 && p < 17 ? 40 : 5));
    });
    const flagged = flaggedOn(usage);
    expect(flagged.map((t) => t.tenantId)).toEqual(["loud"]);
    const recommendation = recommendForPool(usage, flagged, headroom);
    expect(recommendation.moves).toEqual([]);
    expect(recommendation.reason).toMatch(/No change/);
    expect(recommendation.after).toEqual(recommendation.before);
  });
});
