import { describe, expect, it } from "vitest";
import { loweredLimits, simulatePlan } from "./plan-effect";

const minute = 60_000;
const demandOf = (requests: number[], start = Date.UTC(2026, 10, 24, 10)) => ({
  timestamps: requests.map((_, i) => start + i * minute),
  requests,
  periodSeconds: 60,
});

describe("plan effect on measured demand", () => {
  it("admits everything under the rate", () => {
    const effect = simulatePlan(demandOf([600, 1200, 2400]), { ratePerSec: 50, burst: 50, quotaPerDay: 1e9 });
    expect(effect).toMatchObject({ requests: 4200, admitted: 4200, throttled: 0, throttledPeriods: 0 });
  });

  it("refuses what exceeds rate × period plus the bucket, and refills the bucket only up to its size", () => {
    // 10 req/s, burst 100: the first minute can take 600 + 100; the second only 600.
    const effect = simulatePlan(demandOf([1000, 1000, 0, 0, 1000]), { ratePerSec: 10, burst: 100, quotaPerDay: 1e9 });
    expect(effect.admitted).toBe(700 + 600 + 700);
    expect(effect.throttled).toBe(1000);
    expect(effect.throttledPeriods).toBe(3);
  });

  it("stops at the daily quota and starts again the next UTC day", () => {
    const start = Date.UTC(2026, 10, 24, 23, 58);
    const effect = simulatePlan(demandOf([500, 500, 500, 500], start), { ratePerSec: 100, burst: 100, quotaPerDay: 800 });
    // 23:58 and 23:59 share 800; 00:00 and 00:01 share a fresh 800.
    expect(effect.admitted).toBe(1600);
    expect(effect.quotaThrottled).toBe(400);
    expect(start + 2 * minute).toBe(Date.UTC(2026, 10, 25));
  });

  it("a lower plan refuses more of the same demand", () => {
    const demand = demandOf(Array.from({ length: 120 }, (_, i) => (i % 10 === 0 ? 9000 : 1500)));
    const low = simulatePlan(demand, { ratePerSec: 25, burst: 25, quotaPerDay: 1e9 });
    const high = simulatePlan(demand, { ratePerSec: 100, burst: 200, quotaPerDay: 1e9 });
    expect(low.throttled).toBeGreaterThan(high.throttled);
    expect(high.throttled).toBe(12 * (9000 - 6000 - 200));
  });

  it("says which limits a move lowers: any one of rate, burst or daily quota makes it a lowering", () => {
    const standard = { ratePerSec: 100, burst: 200, quotaPerDay: 1_000_000 };
    expect(loweredLimits(standard, { ratePerSec: 500, burst: 1_000, quotaPerDay: 5_000_000 })).toEqual([]);
    expect(loweredLimits(standard, standard)).toEqual([]);
    expect(loweredLimits(standard, { ...standard, burst: 199 })).toEqual(["burst"]);
    expect(loweredLimits(standard, { ratePerSec: 500, burst: 1_000, quotaPerDay: 10_000 })).toEqual(["daily quota"]);
    expect(loweredLimits(standard, { ratePerSec: 10, burst: 20, quotaPerDay: 100_000 })).toEqual(["rate", "burst", "daily quota"]);
  });
});
