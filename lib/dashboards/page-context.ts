// What a metrics page needs from its URL: the validated time range (a bad
// one is reported, not obeyed), the window it reads, and the query string
// its links and live panels carry so the range survives navigation.
import "server-only";
import { parseTimeRange, type TimeRangeKey } from "../metrics/period";
import { metricsReader, viewWindow, type ViewWindow } from "../metrics/source";
import { thresholds, type Thresholds } from "./thresholds";
import type { MetricsReader } from "../metrics/reader";

export interface PageViewContext {
  rangeKey: TimeRangeKey;
  rangeError: string | null;
  /** "" for the default range, else "?range=24h". */
  rangeQuery: string;
  window: ViewWindow;
  reader: MetricsReader;
  thresholds: Thresholds;
}

export function pageViewContext(searchParams: Record<string, string | string[] | undefined>): PageViewContext {
  const { key, error } = parseTimeRange(searchParams.range);
  return {
    rangeKey: key,
    rangeError: error ?? null,
    rangeQuery: key === "6h" ? "" : `?range=${key}`,
    window: viewWindow(key),
    reader: metricsReader(),
    thresholds: thresholds(),
  };
}
