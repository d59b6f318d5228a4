// Reads a CloudWatch Metrics Insights query (built from a typed spec by
// insights-sql.ts) through GetMetricData: one call (and its NextToken pages),
// one time series per group. Metrics Insights is billed per metric the query
// analyzes, not per series returned, so each read says how many metrics it
// analyzed, exactly when it can tell (docs/metric-contract.md).
import "server-only";
import { GetMetricDataCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { insightsSql, InsightsSpecError, type InsightsSpec } from "./insights-sql";
import type { TimeRange } from "./period";
import { gridStart, MetricsReader, type MetricSeries } from "./reader";

export { InsightsSpecError, insightsSql, type InsightsFunction, type InsightsSpec } from "./insights-sql";

export interface InsightsCost {
  calls: number;
  queries: number;
  /**
   * Metrics the query analyzed (what Metrics Insights bills). CloudWatch does
   * not report it: this counts the series returned, which is exact when each
   * group is one metric (a schema whose every dimension is fixed by WHERE or
   * grouped by) and nothing was cut (LIMIT, 500 series, 10,000 metrics), and
   * a lower bound otherwise (see `metricsAnalyzedExact`).
   */
  metricsAnalyzed: number;
}

export interface InsightsRead {
  sql: string;
  periodSeconds: number;
  /**
   * Group value → its series, in the order CloudWatch returned them (by value,
   * or by the ORDER BY rank). The key is the GROUP BY dimensions' values
   * joined by a space ("Other" for a metric without the dimension); without
   * GROUP BY, the one series is under "". Timestamps are on the range's grid
   * (`onGrid(series, range, periodSeconds)`).
   */
  series: Map<string, MetricSeries>;
  /** CloudWatch's messages about the query's limits (MaxQueryResultsExceeded, MaxMatchingResultsExceeded, MaxQueryTimeRangeExceeded). */
  messages: { code: string; value: string }[];
  /** True when CloudWatch said the answer is incomplete: over 500 series or 10,000 metrics, or older than it keeps for Metrics Insights. */
  partial: boolean;
  cost: InsightsCost;
  metricsAnalyzedExact: boolean;
}

const queryId = "insights";

/**
 * Runs one Metrics Insights query over `range` at `periodSeconds` (a
 * multiple of 60: Metrics Insights answers high-resolution data at one
 * minute) through GetMetricData, with the client of a MetricsReader (whose
 * `insightsTotals` it adds to) or a CloudWatchClient. Throws
 * InsightsSpecError, before any call, for a spec that is not a valid query.
 *
 * @example
 * // Per tenant of a pool under pressure: write units a minute over the last 15 minutes.
 * const read = await readInsights(metricsReader(), metricsNamespace(), {
 *   metricName: "ConsumedWriteCapacityUnits", function: "SUM",
 *   schema: ["StorageInstance", "TenantId"], where: { StorageInstance: "pool-003" }, groupBy: ["TenantId"],
 * }, { startMs: endMs - 15 * 60_000, endMs }, 60);
 * read.series.get("acme-logistics"); // { timestamps, values }
 */
export async function readInsights(
  source: CloudWatchClient | MetricsReader,
  namespace: string,
  spec: InsightsSpec,
  range: TimeRange,
  periodSeconds: number,
): Promise<InsightsRead> {
  const sql = insightsSql(namespace, spec);
  if (!Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds % 60 !== 0)
    throw new InsightsSpecError([
      `periodSeconds must be a multiple of 60 (Metrics Insights answers at one minute at the finest), not ${periodSeconds}`,
    ]);
  const client = source instanceof MetricsReader ? source.client : source;
  const cost: InsightsCost = { calls: 0, queries: 1, metricsAnalyzed: 0 };
  const series = new Map<string, MetricSeries>();
  const messages: InsightsRead["messages"] = [];
  let partial = false;
  let nextToken: string | undefined;
  do {
    const response = await client.send(
      new GetMetricDataCommand({
        StartTime: new Date(gridStart(range, periodSeconds)),
        EndTime: new Date(range.endMs),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [{ Id: queryId, Expression: sql, Period: periodSeconds, ReturnData: true }],
        NextToken: nextToken,
      }),
    );
    cost.calls++;
    for (const message of response.Messages ?? []) {
      messages.push({ code: message.Code ?? "", value: message.Value ?? "" });
      partial = true;
    }
    for (const result of response.MetricDataResults ?? []) {
      if (result.Id !== queryId) continue;
      const key = spec.groupBy?.length ? (result.Label ?? "") : "";
      let target = series.get(key);
      if (!target) series.set(key, (target = { timestamps: [], values: [] }));
      (result.Timestamps ?? []).forEach((t, i) => {
        target.timestamps.push(t.getTime());
        target.values.push(result.Values?.[i] ?? 0);
      });
      for (const message of result.Messages ?? []) messages.push({ code: message.Code ?? "", value: message.Value ?? "" });
    }
    nextToken = response.NextToken;
  } while (nextToken);

  // Series that have data; an ungrouped query returns its one series even when empty.
  cost.metricsAnalyzed = [...series.values()].filter((s) => s.timestamps.length).length;
  const oneMetricPerGroup =
    spec.schema !== undefined && spec.schema.every((name) => name in (spec.where ?? {}) || (spec.groupBy ?? []).includes(name));
  const cut = partial || (spec.limit !== undefined && cost.metricsAnalyzed >= spec.limit);
  if (source instanceof MetricsReader) {
    source.insightsTotals.calls += cost.calls;
    source.insightsTotals.queries += cost.queries;
    source.insightsTotals.metricsAnalyzed += cost.metricsAnalyzed;
  }
  return { sql, periodSeconds, series, messages, partial, cost, metricsAnalyzedExact: oneMetricPerGroup && !cut };
}
