import { describe, expect, it } from "vitest";
import { callFloor, expectedDatapoints, planCalls } from "./batching";
import {
  choosePeriod,
  cloudWatchGranularity,
  cloudWatchRange,
  cloudWatchStartTime,
  isCloudWatchPeriod,
  parseTimeRange,
  rangeEndingNow,
} from "./period";
import { gridLength, gridTimestamps, onGrid } from "./reader";
import { viewWindow } from "./source";

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
    // Issue 18: keys every object has are not ranges (they were read as one, and the NaN window reported as an outage).
    for (const key of ["toString", "__proto__", "constructor", "hasOwnProperty", "valueOf"])
      expect(parseTimeRange(key)).toMatchObject({ key: "6h", error: expect.stringContaining(key) });
    expect(rangeEndingNow("1h", now + 30_000)).toEqual({ startMs: now - hour, endMs: now });
  });
});

describe("CloudWatch's periods and StartTime (GetMetricData's API reference)", () => {
  const at = (h: number, m: number, s: number) => Date.UTC(2026, 10, 24, h, m, s);

  it("accepts 1, 5, 10, 20, 30, 60 and multiples of 60 seconds, nothing else", () => {
    for (const period of [1, 5, 10, 20, 30, 60, 120, 300, 3600, 86_400]) expect(isCloudWatchPeriod(period)).toBe(true);
    for (const period of [0, 2, 15, 25, 45, 90, 61, 1.5, -60]) expect(isCloudWatchPeriod(period)).toBe(false);
  });

  it("rounds StartTime by its age: the minute under 15 days, 5 minutes to 63 days, the hour beyond", () => {
    const start = at(12, 32, 34);
    expect(cloudWatchStartTime(start, 60, start + day)).toBe(at(12, 32, 0));
    expect(cloudWatchStartTime(start, 300, start + 20 * day)).toBe(at(12, 30, 0));
    expect(cloudWatchStartTime(start, 3600, start + 70 * day)).toBe(at(12, 0, 0));
  });

  it("rounds StartTime to the period's division of the minute for 1 to 30 s periods", () => {
    // The reference's examples: 01:05:13 at 10 s starts at 01:05:10; 15:02:17 at 5 s at 15:02:15.
    expect(cloudWatchStartTime(at(1, 5, 13), 10, at(1, 5, 23))).toBe(at(1, 5, 10));
    expect(cloudWatchStartTime(at(15, 2, 17), 5, at(15, 7, 17))).toBe(at(15, 2, 15));
    expect(cloudWatchStartTime(at(15, 2, 17) + 400, 1, at(15, 7, 17))).toBe(at(15, 2, 17));
    expect(cloudWatchStartTime(at(15, 2, 47), 20, at(15, 7, 17))).toBe(at(15, 2, 40));
  });

  it("keeps sub-minute data 3 hours, 1-minute data 15 days, 5-minute data 63 days", () => {
    expect(cloudWatchGranularity(now - 2 * hour, now)).toBe(1);
    expect(cloudWatchGranularity(now - 4 * hour, now)).toBe(60);
    expect(cloudWatchGranularity(now - 20 * day, now)).toBe(300);
    expect(cloudWatchGranularity(now - 70 * day, now)).toBe(3600);
  });

  it("gives views a range CloudWatch does not round, whose grid is CloudWatch's", () => {
    for (const key of ["1h", "6h", "24h", "7d"] as const) {
      const window = viewWindow(key, now + 42_123);
      expect(cloudWatchRange(window.range, window.periodSeconds, now + 42_123)).toEqual(window.range);
      expect(gridTimestamps(window.range, window.periodSeconds)[0]).toBe(window.range.startMs);
    }
  });
});

describe("the period grid", () => {
  it("places values on the period grid and fills the gaps", () => {
    const range = { startMs: now, endMs: now + 5 * 60_000 };
    expect(onGrid({ timestamps: [now + 60_000, now + 180_000], values: [4, 9] }, range, 60)).toEqual([0, 4, 0, 9, 0]);
    expect(onGrid({ timestamps: [], values: [] }, range, 60, NaN).every(Number.isNaN)).toBe(true);
  });

  it("starts at the range's start, where CloudWatch counts periods from, not at a multiple of the period", () => {
    // A 6 h range starting at 12:01 read at 300 s: CloudWatch's datapoints are at 12:01, 12:06, ..., 17:56.
    const start = Date.UTC(2026, 10, 24, 12, 1);
    const range = { startMs: start, endMs: start + 6 * hour };
    const timestamps = Array.from({ length: 72 }, (_, k) => start + k * 300_000);
    expect(gridTimestamps(range, 300)).toEqual(timestamps);
    expect(gridLength(range, 300)).toBe(72);
    const values = timestamps.map((_, k) => k + 1);
    expect(onGrid({ timestamps, values }, range, 300)).toEqual(values);
  });

  it("ends with the partial period CloudWatch returns when the range is not whole periods", () => {
    const start = Date.UTC(2026, 10, 24, 12, 3);
    const range = { startMs: start, endMs: start + 7 * 60_000 };
    expect(gridTimestamps(range, 300)).toEqual([start, start + 300_000]);
    expect(onGrid({ timestamps: [start, start + 300_000], values: [5, 2] }, range, 300)).toEqual([5, 2]);
  });

  it("drops a datapoint that is not on the grid rather than shifting it into a neighbouring period", () => {
    const range = { startMs: now, endMs: now + 10 * 60_000 };
    expect(onGrid({ timestamps: [now + 120_000], values: [7] }, range, 300)).toEqual([0, 0]);
  });
});
