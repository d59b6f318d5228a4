// Operations drawn over a time-series chart: which fall in its span, and where.

/**
 * Something that happened to what the chart shows (an operation: a migration, a plan change, a restore): a shaded span
 * from its start to its end (a line where it ended, or where it started while it still runs), numbered on the chart
 * and listed under it with its link, so it is found without the drawing.
 */
export interface ChartAnnotation {
  key: string;
  label: string;
  startMs: number;
  /** null while it still runs. */
  endMs: number | null;
  href?: string;
}

/**
 * The annotations that overlap the chart's time span (its periods, the last one to its end), clipped to the points
 * drawn, numbered from 1 in order.
 */
export function annotationsWithin(annotations: readonly ChartAnnotation[], timestamps: readonly number[]) {
  if (timestamps.length === 0) return [];
  const first = timestamps[0]!;
  const last = timestamps[timestamps.length - 1]!;
  const end = last + (timestamps.length > 1 ? last - timestamps[timestamps.length - 2]! : 60_000);
  return annotations
    .filter((a) => a.startMs < end && (a.endMs ?? end) >= first)
    .sort((a, b) => a.startMs - b.startMs)
    .map((a, i) => ({
      ...a,
      number: i + 1,
      x1: Math.min(last, Math.max(first, a.startMs)),
      x2: Math.min(last, a.endMs ?? last),
    }));
}
