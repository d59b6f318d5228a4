import { describe, expect, it } from "vitest";
import { gridTimestamps, type MetricsRead } from "./reader";
import { eitherMeasured, gapsWhereUnmeasured, measuredPeriods, seriesOf, tenantKey } from "./usage";

const minute = 60_000;
// Seven one-minute periods; nothing was published before minute 3 (the range starts before the metrics do).
const range = { startMs: 10 * minute, endMs: 17 * minute };
const at = (period: number) => range.startMs + period * minute;

function readOf(series: Record<string, [number, number][]>): MetricsRead {
  return {
    periodSeconds: 60,
    cost: { calls: 1, metricsRequested: Object.keys(series).length },
    series: new Map(
      Object.entries(series).map(([key, points]) => [key, { timestamps: points.map(([p]) => at(p)), values: points.map(([, v]) => v) }]),
    ),
  };
}

describe("gaps for periods without data", () => {
  const busy = tenantKey("pool-a", "busy", "requests");
  const quiet = tenantKey("pool-a", "quiet", "requests");
  const read = readOf({
    // The busy tenant is measured from minute 3, and again at minute 6 after a silent minute 5.
    [busy]: [
      [3, 120],
      [4, 90],
      [6, 30],
    ],
    // The quiet tenant published a real 0 at minute 4, and nothing else.
    [quiet]: [[4, 0]],
  });

  it("marks a period measured when any series of the read has a datapoint there", () => {
    expect(gridTimestamps(range, 60)).toHaveLength(7);
    expect(measuredPeriods(read, range)).toEqual([false, false, false, true, true, false, true]);
  });

  it("turns periods without data into gaps and keeps real zeros, where the counts' own grid has zeros for both", () => {
    const measured = measuredPeriods(read, range);
    // seriesOf fills every period without a datapoint with 0: the analyses sum them.
    expect(seriesOf(read, quiet, "requests", range)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // For a chart: minutes 0-2 and 5 had no data anywhere; 3, 4 and 6 did, so the quiet tenant's 0 there is real.
    expect(gapsWhereUnmeasured(seriesOf(read, quiet, "requests", range), measured)).toEqual([NaN, NaN, NaN, 0, 0, NaN, 0]);
    expect(gapsWhereUnmeasured(seriesOf(read, busy, "requests", range), measured)).toEqual([NaN, NaN, NaN, 120, 90, NaN, 30]);
  });

  it("has no measured period in a read without datapoints (the whole chart is a gap, never a flat 0)", () => {
    const empty = readOf({ [busy]: [] });
    expect(measuredPeriods(empty, range)).toEqual(new Array(7).fill(false));
    expect(gapsWhereUnmeasured(seriesOf(empty, busy, "requests", range), measuredPeriods(empty, range)).every(Number.isNaN)).toBe(true);
  });

  it("ignores datapoints off the grid or outside the range", () => {
    const off = readOf({ [busy]: [[-2, 5]] });
    off.series.get(busy)!.timestamps.push(at(1) + 30_000);
    off.series.get(busy)!.values.push(7);
    expect(measuredPeriods(off, range)).toEqual(new Array(7).fill(false));
  });

  it("combines two reads over the same grid (a tenant's own and its instance's)", () => {
    expect(eitherMeasured([false, true, false], [false, false, true])).toEqual([false, true, true]);
  });
});
