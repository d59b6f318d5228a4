// Reads the metric contract from CloudWatch (GetMetricData through the SDK):
// packs queries into as few calls as the limits allow, follows NextToken, and
// keeps results briefly so a page and its live panels share one read. Counts
// calls and metrics requested, since GetMetricData is billed per metric.
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
  read: Promise<MetricsRead>;
}

export class MetricsReader {
  private readonly cache = new Map<string, CacheEntry>();
  readonly totals: ReadCost = { calls: 0, metricsRequested: 0 };

  constructor(
    private readonly client: CloudWatchClient,
    private readonly namespace: string,
    private readonly cacheTtlMs = 20_000,
    private readonly maxCacheEntries = 200,
  ) {}

  read(queries: MetricQuery[], range: TimeRange, periodSeconds: number, nowMs = Date.now()): Promise<MetricsRead> {
    const key = JSON.stringify([range.startMs, range.endMs, periodSeconds, queries.map((q) => [q.key, q.metricName, q.stat, Object.entries(q.dimensions).sort()])]);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > nowMs) return cached.read.then((read) => ({ ...read, cost: { calls: 0, metricsRequested: 0 } }));
    const read = this.fetch(queries, range, periodSeconds);
    this.cache.set(key, { expiresAt: nowMs + this.cacheTtlMs, read });
    read.catch(() => this.cache.delete(key));
    while (this.cache.size > this.maxCacheEntries) this.cache.delete(this.cache.keys().next().value!);
    return read;
  }

  private async fetch(queries: MetricQuery[], range: TimeRange, periodSeconds: number): Promise<MetricsRead> {
    const series = new Map<string, MetricSeries>();
    const cost: ReadCost = { calls: 0, metricsRequested: 0 };
    const calls = planCalls(queries, expectedDatapoints(range.endMs - range.startMs, periodSeconds));
    for (const batch of calls) {
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
            StartTime: new Date(range.startMs),
            EndTime: new Date(range.endMs),
            ScanBy: "TimestampAscending",
            MetricDataQueries: dataQueries,
            NextToken: nextToken,
          }),
        );
        cost.calls++;
        cost.metricsRequested += dataQueries.length;
        for (const result of response.MetricDataResults ?? []) {
          const query = byId.get(result.Id ?? "");
          if (!query) continue;
          const target = series.get(query.key) ?? { timestamps: [], values: [] };
          (result.Timestamps ?? []).forEach((t, i) => {
            target.timestamps.push(t.getTime());
            target.values.push(result.Values?.[i] ?? 0);
          });
          series.set(query.key, target);
        }
        nextToken = response.NextToken;
      } while (nextToken);
    }
    for (const query of queries) if (!series.has(query.key)) series.set(query.key, { timestamps: [], values: [] });
    this.totals.calls += cost.calls;
    this.totals.metricsRequested += cost.metricsRequested;
    return { series, cost, periodSeconds };
  }
}

/** Values on a fixed grid of periods from range start; periods without data get `fill`. */
export function onGrid(series: MetricSeries, range: TimeRange, periodSeconds: number, fill = 0): number[] {
  const periodMs = periodSeconds * 1000;
  const first = Math.ceil(range.startMs / periodMs) * periodMs;
  const length = Math.max(0, Math.ceil((range.endMs - first) / periodMs));
  const grid = new Array<number>(length).fill(fill);
  series.timestamps.forEach((t, i) => {
    const index = Math.round((t - first) / periodMs);
    if (index >= 0 && index < length) grid[index] = series.values[i]!;
  });
  return grid;
}
