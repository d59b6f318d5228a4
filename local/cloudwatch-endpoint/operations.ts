// PutMetricData, GetMetricData (metrics and Metrics Insights queries),
// GetMetricStatistics and ListMetrics with CloudWatch's documented limits,
// time rules and errors. A request is validated whole before anything is
// stored: a bad request changes nothing.
import { createHash } from "node:crypto";
import { invalidCombination, invalidNextToken, invalidValue, missingParameter } from "./errors";
import { InsightsSyntaxError, parseInsights, runInsights, type InsightsQuery } from "./insights";
import {
  sortedDimensions,
  statisticOf,
  type Datapoint,
  type Dimension,
  type MetricIdentity,
  type MetricStore,
  type PeriodAggregate,
  type Sample,
  type Statistic,
} from "./store";
import { cloudWatchUnits } from "../../lib/metrics/contract";
import { maxExpressionLength } from "../../lib/metrics/insights-sql";
import { cloudWatchGranularity, cloudWatchStartTime, isCloudWatchPeriod } from "../../lib/metrics/period";

export const limits = {
  metricDataPerPut: 1_000,
  dimensionsPerMetric: 30,
  valuesPerDatum: 150,
  queriesPerGet: 500,
  defaultMaxDatapoints: 100_800,
  datapointsPerStatistics: 1_440,
  metricsPerListPage: 500,
  pastMs: 14 * 86_400_000,
  futureMs: 2 * 3_600_000,
  // CloudWatch rejects magnitudes outside this range (and NaN, Infinity).
  minMagnitude: 8.51592e-109,
  maxMagnitude: 1.174271e108,
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function requireString(value: unknown, path: string, max: number): string {
  if (value === undefined || value === null) throw missingParameter(`The parameter ${path} is required.`);
  if (typeof value !== "string" || value.length < 1 || value.length > max) {
    throw invalidValue(`The parameter ${path} must be a string of 1 to ${max} characters.`);
  }
  return value;
}

function optionalArray(value: unknown, path: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidValue(`The parameter ${path} must be a list.`);
  return value;
}

function metricValue(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw invalidValue(`The value ${String(value)} for parameter ${path} is invalid.`);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < limits.minMagnitude || magnitude > limits.maxMagnitude)) {
    throw invalidValue(`The value ${value} for parameter ${path} is out of range.`);
  }
  return value;
}

function timestamp(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidValue(`The parameter ${path} must be a timestamp.`);
  return Math.round(value * 1000);
}

function dimensions(value: unknown, path: string, requireValues: boolean): { Name: string; Value?: string }[] {
  const list = optionalArray(value, path) ?? [];
  if (list.length > limits.dimensionsPerMetric)
    throw invalidValue(`The collection ${path} must not have a size greater than ${limits.dimensionsPerMetric}.`);
  const names = new Set<string>();
  return list.map((item, i) => {
    if (!isObject(item)) throw invalidValue(`${path}.member.${i + 1} must be a structure.`);
    const Name = requireString(item.Name, `${path}.member.${i + 1}.Name`, 255);
    if (names.has(Name)) throw invalidValue(`No metric may have duplicate dimensions: ${Name}.`);
    names.add(Name);
    if (!requireValues && (item.Value === undefined || item.Value === null)) return { Name };
    return { Name, Value: requireString(item.Value, `${path}.member.${i + 1}.Value`, 1024) };
  });
}

function unitParameter(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !cloudWatchUnits.has(value))
    throw invalidValue(`The value ${String(value)} for parameter ${path} is invalid.`);
  return value;
}

function namespace(value: unknown, path: string): string {
  const ns = requireString(value, path, 255);
  if (ns.startsWith("AWS/"))
    throw invalidValue(`The value ${ns} for parameter ${path} is invalid: namespaces beginning with "AWS/" are reserved.`);
  return ns;
}

// ---------- PutMetricData ----------

export function putMetricData(store: MetricStore, body: Json, nowMs: number): Json {
  const ns = namespace(body.Namespace, "Namespace");
  const data = optionalArray(body.MetricData, "MetricData");
  if (!data || data.length === 0) throw missingParameter("The parameter MetricData is required.");
  if (data.length > limits.metricDataPerPut)
    throw invalidValue(`The collection MetricData must not have a size greater than ${limits.metricDataPerPut}.`);

  const accepted: { identity: MetricIdentity; sample: Sample }[] = data.map((raw, index) => {
    const path = `MetricData.member.${index + 1}`;
    if (!isObject(raw)) throw invalidValue(`${path} must be a structure.`);
    const name = requireString(raw.MetricName, `${path}.MetricName`, 255);
    const dims = dimensions(raw.Dimensions, `${path}.Dimensions`, true) as Dimension[];
    const timestampMs = raw.Timestamp === undefined || raw.Timestamp === null ? nowMs : timestamp(raw.Timestamp, `${path}.Timestamp`);
    if (timestampMs < nowMs - limits.pastMs || timestampMs > nowMs + limits.futureMs) {
      throw invalidValue(
        `The parameter ${path}.Timestamp must specify a time no more than two weeks in the past or two hours in the future.`,
      );
    }
    const unit = unitParameter(raw.Unit, `${path}.Unit`);
    const resolution = raw.StorageResolution ?? 60;
    if (resolution !== 1 && resolution !== 60)
      throw invalidValue(`The value ${String(resolution)} for parameter ${path}.StorageResolution is invalid: use 1 or 60.`);

    const given = ["Value", "StatisticValues", "Values"].filter((k) => raw[k] !== undefined && raw[k] !== null);
    if (given.length > 1) throw invalidCombination(`The parameters ${path}.${given.join(` and ${path}.`)} are mutually exclusive.`);
    if (given.length === 0) throw missingParameter(`The parameter ${path}.Value, ${path}.StatisticValues or ${path}.Values is required.`);

    const sample: Sample = { timestampMs, unit, highResolution: resolution === 1 };
    if (given[0] === "Value") {
      sample.values = { values: [metricValue(raw.Value, `${path}.Value`)], counts: [1] };
    } else if (given[0] === "Values") {
      const values = optionalArray(raw.Values, `${path}.Values`)!;
      if (values.length > limits.valuesPerDatum)
        throw invalidValue(`The collection ${path}.Values must not have a size greater than ${limits.valuesPerDatum}.`);
      const counts = optionalArray(raw.Counts, `${path}.Counts`);
      if (counts && counts.length !== values.length)
        throw invalidValue(`The parameters ${path}.Values and ${path}.Counts must be of the same size.`);
      sample.values = {
        values: values.map((v, i) => metricValue(v, `${path}.Values.member.${i + 1}`)),
        counts: values.map((_, i) => {
          if (!counts) return 1;
          const count = counts[i];
          if (typeof count !== "number" || !Number.isFinite(count) || count < 0)
            throw invalidValue(`The value ${String(count)} for parameter ${path}.Counts.member.${i + 1} is invalid.`);
          return count;
        }),
      };
    } else {
      const stats = raw.StatisticValues;
      if (!isObject(stats)) throw invalidValue(`${path}.StatisticValues must be a structure.`);
      const field = (key: string) => {
        if (stats[key] === undefined || stats[key] === null)
          throw missingParameter(`The parameter ${path}.StatisticValues.${key} is required.`);
        return metricValue(stats[key], `${path}.StatisticValues.${key}`);
      };
      const statistics = { sampleCount: field("SampleCount"), sum: field("Sum"), minimum: field("Minimum"), maximum: field("Maximum") };
      if (statistics.sampleCount <= 0) throw invalidValue(`The parameter ${path}.StatisticValues.SampleCount must be greater than 0.`);
      if (statistics.minimum > statistics.maximum)
        throw invalidValue(`The parameter ${path}.StatisticValues.Minimum must not exceed Maximum.`);
      sample.statistics = statistics;
    }
    return { identity: { namespace: ns, name, dimensions: sortedDimensions(dims) }, sample };
  });

  for (const { identity, sample } of accepted) store.put(identity, sample, nowMs);
  return {};
}

// ---------- GetMetricData ----------

const idPattern = /^[a-z][a-zA-Z0-9_]*$/;

function statistic(value: unknown, path: string): Statistic {
  const stat = requireString(value, path, 100);
  if (stat === "SampleCount" || stat === "Sum" || stat === "Average" || stat === "Minimum" || stat === "Maximum") return stat;
  const match = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/.exec(stat);
  if (match) return { percentile: Number(match[1]) };
  throw invalidValue(`The value ${stat} for parameter ${path} is invalid.`);
}

function period(value: unknown, path: string): number {
  if (value === undefined || value === null) throw missingParameter(`The parameter ${path} is required.`);
  if (typeof value !== "number" || !isCloudWatchPeriod(value))
    throw invalidValue(`The parameter ${path} must be 1, 5, 10, 20, 30, 60 or a multiple of 60 (seconds); ${String(value)} is not.`);
  return value;
}

function timeRange(body: Json): { startMs: number; endMs: number } {
  if (body.StartTime === undefined || body.StartTime === null) throw missingParameter("The parameter StartTime is required.");
  if (body.EndTime === undefined || body.EndTime === null) throw missingParameter("The parameter EndTime is required.");
  const startMs = timestamp(body.StartTime, "StartTime");
  const endMs = timestamp(body.EndTime, "EndTime");
  if (startMs >= endMs) throw invalidValue("The parameter StartTime must be earlier than EndTime.");
  return { startMs, endMs };
}

/**
 * One metric's datapoints as CloudWatch answers them: periods counted from
 * StartTime rounded as GetMetricData rounds it, and none at all when the
 * period is finer than what CloudWatch still keeps for a start that old.
 */
function metricAggregates(
  store: MetricStore,
  identity: MetricIdentity,
  range: { startMs: number; endMs: number },
  periodSeconds: number,
  nowMs: number,
  options: { unit?: string; histograms: boolean },
): PeriodAggregate[] {
  const startMs = cloudWatchStartTime(range.startMs, periodSeconds, nowMs);
  if (periodSeconds % cloudWatchGranularity(startMs, nowMs) !== 0) return [];
  return store.aggregates(identity, startMs, range.endMs, periodSeconds, options);
}

interface TokenState {
  offset: number;
  fingerprint: string;
}

function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

function encodeToken(state: TokenState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

function decodeToken(token: unknown, expected: string): number {
  if (typeof token !== "string") throw invalidNextToken();
  try {
    const state = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as TokenState;
    if (state.fingerprint !== expected || !Number.isInteger(state.offset) || state.offset < 0) throw new Error("mismatch");
    return state.offset;
  } catch {
    throw invalidNextToken();
  }
}

/** A MetricStat query, or a Metrics Insights query (one per call), with what every query has. */
interface MetricStatQuery {
  kind: "metric";
  identity: MetricIdentity;
  period: number;
  stat: Statistic;
  unit?: string;
}
interface MetricsInsightsQuery {
  kind: "insights";
  query: InsightsQuery;
  period: number;
}
type DataQuery = { id: string; label?: string; returnData: boolean } & (MetricStatQuery | MetricsInsightsQuery);

function metricStat(raw: Json, path: string): MetricStatQuery {
  const stat = raw.MetricStat as Json;
  if (!isObject(stat) || !isObject(stat.Metric)) throw missingParameter(`The parameter ${path}.MetricStat.Metric is required.`);
  const metric = stat.Metric;
  const identity: MetricIdentity = {
    namespace: requireString(metric.Namespace, `${path}.MetricStat.Metric.Namespace`, 255),
    name: requireString(metric.MetricName, `${path}.MetricStat.Metric.MetricName`, 255),
    dimensions: sortedDimensions(dimensions(metric.Dimensions, `${path}.MetricStat.Metric.Dimensions`, true) as Dimension[]),
  };
  return {
    kind: "metric",
    identity,
    period: period(stat.Period, `${path}.MetricStat.Period`),
    stat: statistic(stat.Stat, `${path}.MetricStat.Stat`),
    unit: unitParameter(stat.Unit, `${path}.MetricStat.Unit`),
  };
}

function insightsQuery(raw: Json, path: string): MetricsInsightsQuery {
  const expression = requireString(raw.Expression, `${path}.Expression`, maxExpressionLength);
  let query: InsightsQuery;
  try {
    query = parseInsights(expression);
  } catch (error) {
    if (error instanceof InsightsSyntaxError) throw invalidValue(`${path}.Expression: invalid Metrics Insights query: ${error.message}.`);
    throw error;
  }
  return { kind: "insights", query, period: period(raw.Period, `${path}.Period`) };
}

const isInsightsQuery = (expression: unknown) => typeof expression === "string" && /^\s*select\b/i.test(expression);

export function getMetricData(store: MetricStore, body: Json, nowMs: number): Json {
  const queries = optionalArray(body.MetricDataQueries, "MetricDataQueries");
  if (!queries || queries.length === 0) throw missingParameter("The parameter MetricDataQueries is required.");
  if (queries.length > limits.queriesPerGet)
    throw invalidValue(`The collection MetricDataQueries must not have a size greater than ${limits.queriesPerGet}.`);
  const range = timeRange(body);
  const scanBy = body.ScanBy ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending")
    throw invalidValue(`The value ${String(scanBy)} for parameter ScanBy is invalid.`);
  const maxDatapoints = body.MaxDatapoints ?? limits.defaultMaxDatapoints;
  if (typeof maxDatapoints !== "number" || !Number.isInteger(maxDatapoints) || maxDatapoints < 1)
    throw invalidValue("The parameter MaxDatapoints must be a positive whole number.");

  const ids = new Set<string>();
  const parsed = queries.map((raw, index): DataQuery => {
    const path = `MetricDataQueries.member.${index + 1}`;
    if (!isObject(raw)) throw invalidValue(`${path} must be a structure.`);
    const id = requireString(raw.Id, `${path}.Id`, 255);
    if (!idPattern.test(id))
      throw invalidValue(
        `The value ${id} for parameter ${path}.Id is invalid: it must start with a lowercase letter and contain only letters, digits and underscores.`,
      );
    if (ids.has(id)) throw invalidValue(`The values for parameter Id in MetricDataQueries are not unique: ${id}.`);
    ids.add(id);
    const hasStat = raw.MetricStat !== undefined && raw.MetricStat !== null;
    const hasExpression = raw.Expression !== undefined && raw.Expression !== null;
    if (hasStat && hasExpression)
      throw invalidCombination(`The parameters ${path}.MetricStat and ${path}.Expression are mutually exclusive.`);
    if (!hasStat && !hasExpression) throw missingParameter(`The parameter ${path}.MetricStat or ${path}.Expression is required.`);
    if (hasExpression && !isInsightsQuery(raw.Expression))
      throw invalidValue(
        `${path}.Expression: metric math is not supported by this local CloudWatch endpoint; query the metrics with MetricStat, or with a Metrics Insights query (SELECT ...).`,
      );
    const common = { id, label: typeof raw.Label === "string" ? raw.Label : undefined, returnData: raw.ReturnData !== false };
    return { ...common, ...(hasStat ? metricStat(raw, path) : insightsQuery(raw, path)) };
  });
  if (parsed.filter((q) => q.kind === "insights").length > 1)
    throw invalidValue("A GetMetricData call can include only one Metrics Insights query.");

  // Every result series of the returned queries, in query order (a Metrics Insights query gives one per group).
  const messages: { Code: string; Value: string }[] = [];
  const series = parsed
    .filter((q) => q.returnData)
    .flatMap((q): { id: string; label: string; points: Datapoint[] }[] => {
      if (q.kind === "metric") {
        const points = metricAggregates(store, q.identity, range, q.period, nowMs, { unit: q.unit, histograms: typeof q.stat === "object" })
          .map((a) => ({ timestampMs: a.timestampMs, value: statisticOf(a, q.stat) }))
          .filter((p): p is Datapoint => p.value !== undefined);
        return [{ id: q.id, label: q.label ?? q.identity.name, points }];
      }
      // Metrics Insights aggregates high-resolution data to one minute.
      const periodSeconds = Math.max(60, q.period);
      const result = runInsights(store, q.query, {
        startMs: cloudWatchStartTime(range.startMs, periodSeconds, nowMs),
        endMs: range.endMs,
        periodSeconds,
        nowMs,
      });
      messages.push(...result.messages);
      return result.series.map((s) => ({
        id: q.id,
        label: q.query.groupBy.length ? (q.label ? `${q.label} ${s.label}` : s.label) : (q.label ?? q.id),
        points: s.points,
      }));
    });

  const expected = fingerprint([body.MetricDataQueries, body.StartTime, body.EndTime, scanBy]);
  const offset = body.NextToken === undefined || body.NextToken === null ? 0 : decodeToken(body.NextToken, expected);

  // All datapoints of all result series, in order; a page is a slice of that sequence.
  let position = 0;
  let remaining = maxDatapoints;
  let truncated = false;
  const results = series.map(({ id, label, points }) => {
    if (scanBy === "TimestampDescending") points.reverse();
    const from = Math.max(0, offset - position);
    const take = Math.max(0, Math.min(points.length - from, remaining));
    const page = points.slice(from, from + take);
    position += points.length;
    remaining -= page.length;
    const partial = from + take < points.length;
    truncated ||= partial;
    return {
      Id: id,
      Label: label,
      Timestamps: page.map((p) => p.timestampMs / 1000),
      Values: page.map((p) => p.value),
      StatusCode: partial ? "PartialData" : "Complete",
      Messages: [],
    };
  });
  const next = offset + maxDatapoints;
  return {
    MetricDataResults: results,
    Messages: messages,
    ...(truncated && next < position ? { NextToken: encodeToken({ offset: next, fingerprint: expected }) } : {}),
  };
}

// ---------- GetMetricStatistics ----------

const basicStatistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;

export function getMetricStatistics(store: MetricStore, body: Json, nowMs: number): Json {
  const identity: MetricIdentity = {
    namespace: requireString(body.Namespace, "Namespace", 255),
    name: requireString(body.MetricName, "MetricName", 255),
    dimensions: sortedDimensions(dimensions(body.Dimensions, "Dimensions", true) as Dimension[]),
  };
  const range = timeRange(body);
  const periodSeconds = period(body.Period, "Period");
  const statistics = optionalArray(body.Statistics, "Statistics");
  const extended = optionalArray(body.ExtendedStatistics, "ExtendedStatistics");
  if (statistics?.length && extended?.length)
    throw invalidCombination("The parameters Statistics and ExtendedStatistics are mutually exclusive.");
  if (!statistics?.length && !extended?.length) throw missingParameter("The parameter Statistics or ExtendedStatistics is required.");
  if (statistics && statistics.length > 5) throw invalidValue("The collection Statistics must not have a size greater than 5.");
  if (extended && extended.length > 10) throw invalidValue("The collection ExtendedStatistics must not have a size greater than 10.");
  const basic = (statistics ?? []).map((stat, i) => {
    if (!basicStatistics.includes(stat as (typeof basicStatistics)[number]))
      throw invalidValue(`The value ${String(stat)} for parameter Statistics.member.${i + 1} is invalid.`);
    return stat as (typeof basicStatistics)[number];
  });
  const percentiles = (extended ?? []).map((stat, i) => {
    const parsed = statistic(stat, `ExtendedStatistics.member.${i + 1}`);
    if (typeof parsed !== "object")
      throw invalidValue(`The value ${String(stat)} for parameter ExtendedStatistics.member.${i + 1} is invalid.`);
    return { name: stat as string, parsed };
  });
  const unit = unitParameter(body.Unit, "Unit");
  const startMs = cloudWatchStartTime(range.startMs, periodSeconds, nowMs);
  const requested = Math.ceil((range.endMs - startMs) / (periodSeconds * 1000));
  if (requested > limits.datapointsPerStatistics)
    throw invalidCombination(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${limits.datapointsPerStatistics}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  const datapointUnit = unit ?? store.unitOf(identity) ?? "None";
  const datapoints = metricAggregates(store, identity, range, periodSeconds, nowMs, { unit, histograms: percentiles.length > 0 }).flatMap(
    (a) => {
      const point: Json = { Timestamp: a.timestampMs / 1000, Unit: datapointUnit };
      for (const stat of basic) point[stat] = statisticOf(a, stat);
      if (percentiles.length) {
        const values: Record<string, number> = {};
        for (const { name, parsed } of percentiles) {
          const value = statisticOf(a, parsed);
          if (value !== undefined) values[name] = value;
        }
        // A period whose percentiles CloudWatch cannot compute has no datapoint for them.
        if (!Object.keys(values).length) return [];
        point.ExtendedStatistics = values;
      }
      return [point];
    },
  );
  return { Label: identity.name, Datapoints: datapoints };
}

// ---------- ListMetrics ----------

export function listMetrics(store: MetricStore, body: Json, nowMs: number): Json {
  const ns = body.Namespace === undefined || body.Namespace === null ? undefined : requireString(body.Namespace, "Namespace", 255);
  const name = body.MetricName === undefined || body.MetricName === null ? undefined : requireString(body.MetricName, "MetricName", 255);
  const filters = dimensions(body.Dimensions, "Dimensions", false);
  if (body.RecentlyActive !== undefined && body.RecentlyActive !== null && body.RecentlyActive !== "PT3H") {
    throw invalidValue(`The value ${String(body.RecentlyActive)} for parameter RecentlyActive is invalid: the only value is PT3H.`);
  }
  const metrics = store.list({
    namespace: ns,
    name,
    dimensions: filters,
    activeSinceMs: body.RecentlyActive === "PT3H" ? nowMs - 3 * 3_600_000 : undefined,
  });
  const expected = fingerprint([ns, name, filters, body.RecentlyActive ?? null]);
  const offset = body.NextToken === undefined || body.NextToken === null ? 0 : decodeToken(body.NextToken, expected);
  const page = metrics.slice(offset, offset + limits.metricsPerListPage);
  const next = offset + limits.metricsPerListPage;
  return {
    Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.name, Dimensions: m.dimensions })),
    ...(next < metrics.length ? { NextToken: encodeToken({ offset: next, fingerprint: expected }) } : {}),
  };
}
