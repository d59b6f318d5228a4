// Which period to ask CloudWatch for: the finest CloudWatch still keeps for
// the range's start (60 s data for 15 days, 300 s for 63 days, 3600 s for
// 455 days) that gives no more points than a chart can show.
export interface TimeRange {
  startMs: number;
  endMs: number;
}

const day = 86_400_000;
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
  if (raw in timeRanges) return { key: raw as TimeRangeKey };
  return { key: "6h", error: `range: "${raw.slice(0, 20)}" is not one of ${Object.keys(timeRanges).join(", ")}` };
}

/** The range ending at the last whole minute, so repeated loads within a minute ask for the same data. */
export function rangeEndingNow(key: TimeRangeKey, nowMs: number): TimeRange {
  const endMs = Math.floor(nowMs / 60_000) * 60_000;
  return { startMs: endMs - timeRanges[key], endMs };
}
