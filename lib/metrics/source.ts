// The console's one metrics reader (its cache is shared by every page and
// live panel in the process) and the window a view reads: its time range
// from the URL and the period that range is read at.
import "server-only";
import { cloudWatchClient } from "../aws/clients";
import { metricsNamespace } from "./namespace";
import { choosePeriod, cloudWatchRange, rangeEndingNow, type TimeRange, type TimeRangeKey } from "./period";
import { MetricsReader, type MetricQuery, type MetricsRead, type MetricsSource } from "./reader";

const global = globalThis as unknown as { tscMetricsReader?: MetricsReader };

export function metricsReader(): MetricsReader {
  global.tscMetricsReader ??= new MetricsReader(cloudWatchClient(), metricsNamespace());
  return global.tscMetricsReader;
}

export interface ViewWindow {
  key: TimeRangeKey;
  range: TimeRange;
  periodSeconds: number;
}

/** The view's range (its start as CloudWatch rounds it, so the period grid starts there) and the period it is read at. */
export function viewWindow(key: TimeRangeKey, nowMs = Date.now()): ViewWindow {
  const range = rangeEndingNow(key, nowMs);
  const periodSeconds = choosePeriod(range, nowMs);
  return { key, range: cloudWatchRange(range, periodSeconds, nowMs), periodSeconds };
}

/** A dependency the view could not reach; pages show it in place of the panels that need it. */
export class DependencyError extends Error {
  constructor(
    readonly dependency: "CloudWatch" | "DynamoDB",
    message: string,
  ) {
    super(`${dependency}: ${message}`);
    this.name = "DependencyError";
  }
}

/** Reads through the shared reader; any failure to reach CloudWatch becomes a DependencyError naming it. */
export async function readMetrics(reader: MetricsSource, queries: MetricQuery[], window: ViewWindow): Promise<MetricsRead> {
  try {
    return await reader.read(queries, window.range, window.periodSeconds);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : "unknown error";
    throw new DependencyError("CloudWatch", message || (error as { name?: string })?.name || "request failed");
  }
}

export function mergeReads(...reads: MetricsRead[]): MetricsRead {
  const series = new Map(reads.flatMap((read) => [...read.series]));
  return {
    series,
    periodSeconds: reads[0]!.periodSeconds,
    cost: reads.reduce(
      (cost, read) => ({ calls: cost.calls + read.cost.calls, metricsRequested: cost.metricsRequested + read.cost.metricsRequested }),
      { calls: 0, metricsRequested: 0 },
    ),
  };
}
