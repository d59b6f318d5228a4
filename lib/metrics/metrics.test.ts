import { describe, expect, it } from "vitest";
import { callFloor, expectedDatapoints, planCalls } from "./batching";
import { choosePeriod, parseTimeRange, rangeEndingNow } from "./period";
import { onGrid } from "./reader";

const now = Date.UTC(2026, 10, 24, 12);
const hour = 3_600_000;
const day = 24 * hour;

describe("batching GetMetricData", () => {
  it("packs 1,234 queries into 3 calls of at most 500", () => {
    // One hour of 1-minute data: 60 points per metric.
    const calls = planCalls(
      Array.from({ length: 1_234 }, (_, i) => i),
      60,
    );
    expect(calls.map((c) => c.length)).toEqual([500, 500, 234]);
    expect(callFloor(1_234, 60)).toBe(3);
  });

  it("keeps each call under the 100,800-datapoint limit", () => {
    // 24 h of 5-minute data is 288 points per metric: 350 metrics per call.
    expect(planCalls(Array.from({ length: 1_234 }), 288).map((c) => c.length)).toEqual([350, 350, 350, 184]);
    // 7 days of 60 s data is 10,080 points per metric: 10 metrics per call.
    expect(planCalls(Array.from({ length: 25 }), expectedDatapoints(7 * day, 60)).map((c) => c.length)).toEqual([10, 10, 5]);
  });
});

describe("choosing the period", () => {
  it("uses 1-minute data for short ranges and coarser periods for long ones", () => {
    expect(choosePeriod({ startMs: now - hour, endMs: now }, now)).toBe(60);
    expect(choosePeriod({ startMs: now - 6 * hour, endMs: now }, now)).toBe(120);
    expect(choosePeriod({ startMs: now - day, endMs: now }, now)).toBe(600);
    expect(choosePeriod({ startMs: now - 6 * hour, endMs: now }, now, 360)).toBe(60);
    expect(choosePeriod({ startMs: now - 7 * day, endMs: now }, now)).toBe(3600);
  });

  it("keeps every view's points per metric low enough that a call carries 500 metrics", () => {
    for (const key of ["1h", "6h", "24h", "7d"] as const) {
      const range = rangeEndingNow(key, now);
      const points = expectedDatapoints(range.endMs - range.startMs, choosePeriod(range, now));
      expect(planCalls(Array.from({ length: 1_000 }), points)).toHaveLength(2);
    }
  });

  it("respects CloudWatch's retention: no 1-minute data past 15 days, no 5-minute past 63", () => {
    expect(choosePeriod({ startMs: now - 20 * day, endMs: now - 20 * day + hour }, now)).toBe(300);
    expect(choosePeriod({ startMs: now - 70 * day, endMs: now - 70 * day + hour }, now)).toBe(3600);
  });

  it("reads the range from the URL and reports a bad one", () => {
    expect(parseTimeRange("24h")).toEqual({ key: "24h" });
    expect(parseTimeRange(undefined)).toEqual({ key: "6h" });
    expect(parseTimeRange("1y")).toMatchObject({ key: "6h", error: expect.stringContaining("1y") });
    expect(rangeEndingNow("1h", now + 30_000)).toEqual({ startMs: now - hour, endMs: now });
  });
});

describe("onGrid", () => {
  it("places values on the period grid and fills the gaps", () => {
    const range = { startMs: now, endMs: now + 5 * 60_000 };
    expect(onGrid({ timestamps: [now + 60_000, now + 180_000], values: [4, 9] }, range, 60)).toEqual([0, 4, 0, 9, 0]);
    expect(onGrid({ timestamps: [], values: [] }, range, 60, NaN).every(Number.isNaN)).toBe(true);
  });
});
