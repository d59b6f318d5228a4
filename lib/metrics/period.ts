// Which period to ask CloudWatch for: the finest CloudWatch still keeps for
// the range's start (60 s data for 15 days, 300 s for 63 days, 3600 s for
// 455 days) that gives no more points than a chart can show; and CloudWatch's
// own rules for periods and StartTime (shared with the local endpoint, which
// answers as CloudWatch does). Pure.
import { clip } from "../validation/fields";
export interface TimeRange {
  startMs: number;
  endMs: number;
}

const minuteMs = 60_000;
const day = 86_400_000;

/** Periods GetMetricData and GetMetricStatistics accept: 1, 5, 10, 20, 30, 60 and any multiple of 60 seconds. */
export function isCloudWatchPeriod(periodSeconds: number): boolean {
  return Number.isInteger(periodSeconds) && periodSeconds >= 1 && ([1, 5, 10, 20, 30].includes(periodSeconds) || periodSeconds % 60 === 0);
}

/**
 * The StartTime CloudWatch uses for a query (GetMetricData and
 * GetMetricStatistics round it): with a period of 1, 5, 10, 20 or 30 s, down
 * to that division of the minute; otherwise, by the start's age, down to the
 * whole minute (under 15 days), the 5-minute clock interval (15 to 63 days)
 * or the hour (older). CloudWatch counts periods from this instant:
 * datapoints are at StartTime + k × Period.
 */
export function cloudWatchStartTime(startMs: number, periodSeconds: number, nowMs: number): number {
  const age = nowMs - startMs;
  const unit = periodSeconds < 60 ? periodSeconds * 1000 : age <= 15 * day ? minuteMs : age <= 63 * day ? 5 * minuteMs : 60 * minuteMs;
  return Math.floor(startMs / unit) * unit;
}

/**
 * The coarsest granularity CloudWatch still answers for a start this old: a
 * period that is not a multiple of it gets no datapoints (sub-minute data is
 * kept 3 hours, 1-minute data 15 days, 5-minute data 63 days).
 */
export function cloudWatchGranularity(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  return age <= 3 * 3_600_000 ? 1 : age <= 15 * day ? 60 : age <= 63 * day ? 300 : 3600;
}

const retention: [periodSeconds: number, keptForMs: number][] = [
  [60, 15 * day],
  [300, 63 * day],
  [3600, 455 * day],
];
const candidates = [60, 120, 300, 600, 900, 1800, 3600, 21_600, 86_400];

/**
 * Points per metric at which a GetMetricData call can carry its full 500
 * queries under the 100,800-datapoint limit: the console's views stay at or
 * below it, so a view's calls are its metrics / 500, rounded up.
 */
export const maxPointsPerMetric = 201;

export function choosePeriod(range: TimeRange, nowMs: number, maxPoints = maxPointsPerMetric): number {
  const age = nowMs - range.startMs;
  const finestKept = retention.find(([, kept]) => age <= kept)?.[0] ?? 86_400;
  const span = Math.max(1, range.endMs - range.startMs);
  return candidates.find((period) => period % finestKept === 0 && span / (period * 1000) <= maxPoints) ?? 86_400;
}

/** The console's time ranges, as they appear in URLs. */
export const timeRanges = { "1h": 3_600_000, "6h": 6 * 3_600_000, "24h": day, "7d": 7 * day } as const;
export type TimeRangeKey = keyof typeof timeRanges;

export function parseTimeRange(value: string | string[] | undefined): { key: TimeRangeKey; error?: string } {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === "") return { key: "6h" };
  // Own keys only: "toString" or "__proto__" are in every object, and are not time ranges.
  if (Object.hasOwn(timeRanges, raw)) return { key: raw as TimeRangeKey };
  return { key: "6h", error: `range: "${clip(raw, 20)}" is not one of ${Object.keys(timeRanges).join(", ")}` };
}

/**
 * The range ending at the last whole minute, so repeated loads within a
 * minute ask for the same data. Its start is a whole minute too: CloudWatch
 * leaves such a start as it is (for ranges starting less than 15 days ago)
 * and counts the periods from it.
 */
export function rangeEndingNow(key: TimeRangeKey, nowMs: number): TimeRange {
  const endMs = Math.floor(nowMs / minuteMs) * minuteMs;
  return { startMs: endMs - timeRanges[key], endMs };
}

/** The range as CloudWatch reads it at this period: its start rounded as CloudWatch rounds StartTime. */
export function cloudWatchRange(range: TimeRange, periodSeconds: number, nowMs: number): TimeRange {
  return { startMs: cloudWatchStartTime(range.startMs, periodSeconds, nowMs), endMs: range.endMs };
}
