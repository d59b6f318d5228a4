import { describe, expect, it } from "vitest";
import { annotationsWithin, type ChartAnnotation } from "./annotations";

const minute = 60_000;
const t0 = Date.UTC(2026, 11, 2, 10, 0);
const timestamps = Array.from({ length: 60 }, (_, i) => t0 + i * minute);
const op = (key: string, startMin: number, endMin: number | null): ChartAnnotation => ({
  key,
  label: key,
  startMs: t0 + startMin * minute,
  endMs: endMin === null ? null : t0 + endMin * minute,
});

describe("operations on a chart", () => {
  it("keeps those overlapping the chart's span, numbered in start order and clipped to the points drawn", () => {
    const marks = annotationsWithin(
      [op("late", 50, 52), op("before", -30, -10), op("straddles", -5, 3), op("running", 40, null)],
      timestamps,
    );
    expect(marks.map((m) => [m.key, m.number, (m.x1 - t0) / minute, (m.x2 - t0) / minute])).toEqual([
      ["straddles", 1, 0, 3],
      ["running", 2, 40, 59],
      ["late", 3, 50, 52],
    ]);
  });

  it("includes one that started within the last period, drawn at the last point", () => {
    const marks = annotationsWithin([op("just now", 59.5, null)], timestamps);
    expect(marks.map((m) => [m.x1, m.x2])).toEqual([[t0 + 59 * minute, t0 + 59 * minute]]);
    expect(annotationsWithin([op("after", 61, 62)], timestamps)).toEqual([]);
    expect(annotationsWithin([op("any", 1, 2)], [])).toEqual([]);
  });
});
