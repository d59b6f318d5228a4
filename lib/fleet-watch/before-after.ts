// Did an operation help its pool's other tenants? Their requests refused for
// capacity and their p99 latency in the hour before the operation finished
// against the hour after, read from CloudWatch when a finding's page is opened
// (per co-tenant series of one pool: a few hundred metrics at most). The
// comparison is pure; the reader only fetches what it needs.
import "server-only";
import type { Db } from "../db/client";
import { loadPlacements } from "../catalog/placements";
import { choosePeriod, type TimeRange } from "../metrics/period";
import { gridTimestamps, type MetricsSource, type ReadCost } from "../metrics/reader";
import { DependencyError } from "../metrics/source";
import { seriesOf, tenantKey, tenantQuery, type UsageMetric } from "../metrics/usage";

export const comparisonWindowMs = 3_600_000;
/** Co-tenants read at most (preferred ones first): keeps one page load's read bounded on a very large pool. */
export const maxCoTenants = 100;

export interface CoTenantSeries {
  tenantId: string;
  /** Per period, on the comparison's timestamps. NaN where p99 was not measured. */
  requests: number[];
  capacityThrottled: number[];
  p99: number[];
}

export interface TenantWindow {
  requests: number;
  capacityThrottled: number;
  /** Refused for capacity over requests; null when it made no request. */
  throttleRatio: number | null;
  /** Its worst p99 in the window; null when none was measured. */
  p99Worst: number | null;
}

export interface WindowFigures extends TenantWindow {
  startMs: number;
  endMs: number;
  /** The median over the window's periods of the worst co-tenant p99 in each: the typical bad case, not one spike. */
  p99Typical: number | null;
  /** Periods of the window in the comparison (whole periods only). */
  periods: number;
}

export type Change = "better" | "worse" | "unchanged" | "unknown";

export interface BeforeAfter {
  finishedAtMs: number;
  periodSeconds: number;
  before: WindowFigures;
  after: WindowFigures;
  /** False while the hour after has not passed yet: the after window is shorter. */
  afterComplete: boolean;
  refusals: Change;
  latency: Change;
  /** Each co-tenant's figures, the most refused before first. */
  coTenants: { tenantId: string; before: TenantWindow; after: TenantWindow }[];
}

const measured = (v: number | undefined): v is number => typeof v === "number" && Number.isFinite(v);

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function tenantWindow(series: CoTenantSeries, indices: number[]): TenantWindow {
  let requests = 0;
  let capacityThrottled = 0;
  let p99Worst: number | null = null;
  for (const i of indices) {
    requests += series.requests[i] ?? 0;
    capacityThrottled += series.capacityThrottled[i] ?? 0;
    const p99 = series.p99[i];
    if (measured(p99)) p99Worst = Math.max(p99Worst ?? 0, p99);
  }
  return { requests, capacityThrottled, throttleRatio: requests > 0 ? capacityThrottled / requests : null, p99Worst };
}

/** Refusal ratios under this (0.1 %) count as none: a change between two such is no change. */
const negligibleRatio = 0.001;

/** Fewer refusals counts when the ratio falls by a fifth or to nothing; more when it rises by a fifth. */
export function refusalChange(before: number | null, after: number | null): Change {
  if (before === null || after === null) return "unknown";
  if (before < negligibleRatio && after < negligibleRatio) return "unchanged";
  if (after <= before * 0.8) return "better";
  if (after >= before * 1.2 && after >= negligibleRatio) return "worse";
  return "unchanged";
}

/** Latency counts as changed beyond a tenth either way. */
export function latencyChange(before: number | null, after: number | null): Change {
  if (before === null || after === null) return "unknown";
  if (after <= before * 0.9) return "better";
  if (after >= before * 1.1) return "worse";
  return "unchanged";
}

/**
 * Splits the periods at the operation's end: the whole periods in the hour before it finished, and those in the hour
 * after (up to `nowMs`); the period it finished in belongs to neither.
 */
export function compareBeforeAfter({
  timestamps,
  periodSeconds,
  finishedAtMs,
  nowMs,
  coTenants,
  windowMs = comparisonWindowMs,
}: {
  timestamps: number[];
  periodSeconds: number;
  finishedAtMs: number;
  nowMs: number;
  coTenants: CoTenantSeries[];
  windowMs?: number;
}): BeforeAfter {
  const periodMs = periodSeconds * 1000;
  const afterEnd = Math.min(finishedAtMs + windowMs, nowMs);
  const before: number[] = [];
  const after: number[] = [];
  timestamps.forEach((t, i) => {
    if (t >= finishedAtMs - windowMs && t + periodMs <= finishedAtMs) before.push(i);
    else if (t >= finishedAtMs && t + periodMs <= afterEnd) after.push(i);
  });
  const figures = (indices: number[], startMs: number, endMs: number): WindowFigures => {
    const perTenant = coTenants.map((series) => tenantWindow(series, indices));
    const requests = perTenant.reduce((sum, t) => sum + t.requests, 0);
    const capacityThrottled = perTenant.reduce((sum, t) => sum + t.capacityThrottled, 0);
    const worstPerPeriod = indices
      .map((i) => coTenants.map((s) => s.p99[i]).filter(measured))
      .filter((values) => values.length > 0)
      .map((values) => Math.max(...values));
    return {
      startMs,
      endMs,
      requests,
      capacityThrottled,
      throttleRatio: requests > 0 ? capacityThrottled / requests : null,
      p99Worst: worstPerPeriod.length ? Math.max(...worstPerPeriod) : null,
      p99Typical: medianOf(worstPerPeriod),
      periods: indices.length,
    };
  };
  const beforeFigures = figures(before, finishedAtMs - windowMs, finishedAtMs);
  const afterFigures = figures(after, finishedAtMs, afterEnd);
  return {
    finishedAtMs,
    periodSeconds,
    before: beforeFigures,
    after: afterFigures,
    afterComplete: afterEnd >= finishedAtMs + windowMs,
    refusals: after.length === 0 ? "unknown" : refusalChange(beforeFigures.throttleRatio, afterFigures.throttleRatio),
    latency: after.length === 0 ? "unknown" : latencyChange(beforeFigures.p99Typical, afterFigures.p99Typical),
    coTenants: coTenants
      .map((series) => ({ tenantId: series.tenantId, before: tenantWindow(series, before), after: tenantWindow(series, after) }))
      .sort((a, b) => b.before.capacityThrottled - a.before.capacityThrottled || a.tenantId.localeCompare(b.tenantId)),
  };
}

export interface BeforeAfterRead {
  comparison: BeforeAfter;
  storageInstanceId: string;
  /** Co-tenants on the instance, and how many of them were read (at most `maxCoTenants`). */
  coTenantCount: number;
  cost: ReadCost;
}

const comparedMetrics: UsageMetric[] = ["requests", "capacityThrottled", "p99"];

/**
 * Reads the instance's other tenants (all but `excludeTenantIds`; `preferTenantIds`, e.g. a finding's victims, first)
 * for the hour before and after `finishedAtMs` and compares them. null when the instance is not in service any more.
 */
export async function readBeforeAfter(
  db: Db,
  reader: MetricsSource,
  {
    storageInstanceId,
    finishedAtMs,
    excludeTenantIds = [],
    preferTenantIds = [],
  }: { storageInstanceId: string; finishedAtMs: number; excludeTenantIds?: string[]; preferTenantIds?: string[] },
  nowMs = Date.now(),
): Promise<BeforeAfterRead | null> {
  const [placement] = await loadPlacements(db, { id: storageInstanceId });
  if (!placement) return null;
  const excluded = new Set(excludeTenantIds);
  const preferred = new Set(preferTenantIds);
  const coTenants = placement.tenants
    .filter((t) => !excluded.has(t.id))
    .sort((a, b) => Number(preferred.has(b.id)) - Number(preferred.has(a.id)) || a.id.localeCompare(b.id));
  const read = coTenants.slice(0, maxCoTenants);
  const minute = 60_000;
  const range: TimeRange = {
    startMs: Math.floor((finishedAtMs - comparisonWindowMs) / minute) * minute,
    endMs: Math.max(
      Math.floor(finishedAtMs / minute) * minute + minute,
      Math.min(finishedAtMs + comparisonWindowMs, Math.floor(nowMs / minute) * minute),
    ),
  };
  const periodSeconds = choosePeriod(range, nowMs);
  const queries = read.flatMap((t) => comparedMetrics.map((metric) => tenantQuery(placement.id, t.id, metric)));
  let metrics;
  try {
    metrics = await reader.read(queries, range, periodSeconds);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : "unknown error";
    throw new DependencyError("CloudWatch", message || "request failed");
  }
  const of = (tenantId: string, metric: UsageMetric) => seriesOf(metrics, tenantKey(placement.id, tenantId, metric), metric, range);
  return {
    storageInstanceId: placement.id,
    coTenantCount: coTenants.length,
    cost: metrics.cost,
    comparison: compareBeforeAfter({
      timestamps: gridTimestamps(range, metrics.periodSeconds),
      periodSeconds: metrics.periodSeconds,
      finishedAtMs,
      nowMs,
      coTenants: read.map((t) => ({
        tenantId: t.id,
        requests: of(t.id, "requests"),
        capacityThrottled: of(t.id, "capacityThrottled"),
        p99: of(t.id, "p99"),
      })),
    }),
  };
}
