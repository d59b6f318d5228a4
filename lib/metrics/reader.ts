// Reads the metric contract from CloudWatch (GetMetricData through the SDK):
// packs queries into as few calls as the limits allow, follows NextToken, and
// keeps results briefly so a page and its live panels share one read. Counts
// calls and metrics requested, since GetMetricData is billed per metric.
import "server-only";
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { expectedDatapoints, planCalls } from "./batching";
import type { TimeRange } from "./period";

export type MetricStat = "Sum" | "Average" | "Minimum" | "Maximum" | "SampleCount" | `p${number}`;

export interface MetricQuery {
  /** The caller's name for the result. */
  key: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: MetricStat;
}

/** A series on the period grid: one value per period that has data. */
export interface MetricSeries {
  timestamps: number[];
  values: number[];
}

export interface ReadCost {
  calls: number;
  metricsRequested: number;
}

export interface MetricsRead {
  series: Map<string, MetricSeries>;
  cost: ReadCost;
  periodSeconds: number;
}

interface CacheEntry {
  expiresAt: number;
  series: Promise<MetricSeries>;
}

/**
 * The cache holds each metric's series on its own (by metric, statistic,
 * range and period), so a live panel asking for part of what its page read,
 * or a page asking for more, fetches only what is missing, still packed into
 * as few calls as the limits allow.
 */
const callConcurrency = 4;

/** What reading metrics needs of a reader (operations are handed one; a worker built without CloudWatch gets one that refuses). */
export type MetricsSource = Pick<MetricsReader, "read">;

export class MetricsReader {
  private readonly cache = new Map<string, CacheEntry>();
  readonly totals: ReadCost = { calls: 0, metricsRequested: 0 };
  /** What Metrics Insights queries sent through this reader's client cost (readInsights adds to it). */
  readonly insightsTotals = { calls: 0, queries: 0, metricsAnalyzed: 0 };

  constructor(
    /** Also what readInsights sends its queries through. */
    readonly client: CloudWatchClient,
    private readonly namespace: string,
    private readonly cacheTtlMs = 20_000,
    private readonly maxCacheEntries = 250_000,
  ) {}

  async read(queries: MetricQuery[], range: TimeRange, periodSeconds: number, nowMs = Date.now()): Promise<MetricsRead> {
    const identity = (q: MetricQuery) =>
      JSON.stringify([range.startMs, range.endMs, periodSeconds, q.metricName, q.stat, Object.entries(q.dimensions).sort()]);
    const missing = new Map<string, MetricQuery>();
    const entries = queries.map((query) => {
      const id = identity(query);
      const cached = this.cache.get(id);
      if (cached && cached.expiresAt > nowMs) return cached;
      if (!missing.has(id)) missing.set(id, query);
      return undefined;
    });
    const cost: ReadCost = { calls: 0, metricsRequested: 0 };
    const fresh = new Map<string, CacheEntry>();
    if (missing.size) {
      const fetched = this.fetch([...missing.values()], range, periodSeconds, cost);
      for (const [id, query] of missing) {
        const entry: CacheEntry = { expiresAt: nowMs + this.cacheTtlMs, series: fetched.then((byQuery) => byQuery.get(query)!) };
        fresh.set(id, entry);
        this.cache.delete(id);
        this.cache.set(id, entry);
      }
      fetched.catch(() => {
        for (const id of missing.keys()) this.cache.delete(id);
      });
      while (this.cache.size > this.maxCacheEntries) this.cache.delete(this.cache.keys().next().value!);
    }
    const resolved = await Promise.all(queries.map((query, i) => (entries[i] ?? fresh.get(identity(query))!).series));
    const series = new Map<string, MetricSeries>();
    queries.forEach((query, i) => series.set(query.key, resolved[i]!));
    return { series, cost, periodSeconds };
  }

  private async fetch(
    queries: MetricQuery[],
    range: TimeRange,
    periodSeconds: number,
    cost: ReadCost,
  ): Promise<Map<MetricQuery, MetricSeries>> {
    const series = new Map<MetricQuery, MetricSeries>();
    const calls = planCalls(queries, expectedDatapoints(range.endMs - range.startMs, periodSeconds));
    // A few calls in flight at once: well under GetMetricData's default 50 requests/s quota.
    let next = 0;
    const worker = async () => {
      while (next < calls.length) await this.fetchCall(calls[next++]!, range, periodSeconds, cost, series);
    };
    await Promise.all(Array.from({ length: Math.min(callConcurrency, calls.length) }, worker));
    for (const query of queries) if (!series.has(query)) series.set(query, { timestamps: [], values: [] });
    return series;
  }

  private async fetchCall(
    batch: MetricQuery[],
    range: TimeRange,
    periodSeconds: number,
    cost: ReadCost,
    series: Map<MetricQuery, MetricSeries>,
  ): Promise<void> {
    const byId = new Map<string, MetricQuery>();
    const dataQueries: MetricDataQuery[] = batch.map((query, i) => {
      const id = `m${i}`;
      byId.set(id, query);
      return {
        Id: id,
        MetricStat: {
          Metric: {
            Namespace: this.namespace,
            MetricName: query.metricName,
            Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: periodSeconds,
          Stat: query.stat,
        },
      };
    });
    let nextToken: string | undefined;
    do {
      const response = await this.client.send(
        new GetMetricDataCommand({
          // The grid's start: what CloudWatch would round StartTime to, so its periods and the grid's coincide.
          StartTime: new Date(gridStart(range, periodSeconds)),
          EndTime: new Date(range.endMs),
          ScanBy: "TimestampAscending",
          MetricDataQueries: dataQueries,
          NextToken: nextToken,
        }),
      );
      cost.calls++;
      cost.metricsRequested += dataQueries.length;
      this.totals.calls++;
      this.totals.metricsRequested += dataQueries.length;
      for (const result of response.MetricDataResults ?? []) {
        const query = byId.get(result.Id ?? "");
        if (!query) continue;
        const target = series.get(query) ?? { timestamps: [], values: [] };
        (result.Timestamps ?? []).forEach((t, i) => {
          target.timestamps.push(t.getTime());
          target.values.push(result.Values?.[i] ?? 0);
        });
        series.set(query, target);
      }
      nextToken = response.NextToken;
    } while (nextToken);
  }
}

/**
 * Where the period grid starts: CloudWatch counts periods from the query's
 * StartTime, rounded down to the whole minute (to the period's division of
 * the minute for 1 to 30 s periods). The console's ranges start on a whole
 * minute less than 15 days ago (`viewWindow` rounds older starts as
 * CloudWatch does), so this is their start.
 */
export function gridStart(range: TimeRange, periodSeconds: number): number {
  const unit = Math.min(periodSeconds, 60) * 1000;
  return Math.floor(range.startMs / unit) * unit;
}

/** How many periods the grid has: from its start up to the range's end (the last may be partial, as CloudWatch returns it). */
export function gridLength(range: TimeRange, periodSeconds: number): number {
  return Math.max(0, Math.ceil((range.endMs - gridStart(range, periodSeconds)) / (periodSeconds * 1000)));
}

/** The timestamps of the period grid: the range's start, then every period after it. */
export function gridTimestamps(range: TimeRange, periodSeconds: number): number[] {
  const first = gridStart(range, periodSeconds);
  return Array.from({ length: gridLength(range, periodSeconds) }, (_, i) => first + i * periodSeconds * 1000);
}

/** Values on the period grid; periods without data get `fill`. A datapoint off the grid is a bug upstream: it is dropped. */
export function onGrid(series: MetricSeries, range: TimeRange, periodSeconds: number, fill = 0): number[] {
  const periodMs = periodSeconds * 1000;
  const first = gridStart(range, periodSeconds);
  const grid = new Array<number>(gridLength(range, periodSeconds)).fill(fill);
  series.timestamps.forEach((t, i) => {
    const offset = t - first;
    if (offset % periodMs !== 0) return;
    const index = offset / periodMs;
    if (index >= 0 && index < grid.length) grid[index] = series.values[i]!;
  });
  return grid;
}
