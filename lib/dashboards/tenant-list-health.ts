// The tenant list's health column and filter: the tenant page's verdict
// (healthVerdict), with reads whose cost does not grow with the fleet.
// - The column judges only the tenants on the page: one GetMetricData read of
//   their requests, refusals and stored items over the range and today's
//   figures for the quota (7 metrics a tenant and instance: about 350 for a
//   page of 50, $0.0035), cached by the reader.
// - The ?health= filter must judge every tenant before paging: seven Metrics
//   Insights queries grouped by TenantId over the whole fleet (each analyses
//   one metric per tenant: about $0.10 a query at 10,000 tenants), run only
//   when the filter is asked for and cached 30 s. A query matches at most
//   10,000 metrics and returns at most 500 tenants; when CloudWatch says an
//   answer was cut, the filter says it is incomplete rather than pretending.
// "Flagged" and "hurt by" come from the fleet watch's open noisy-neighbour
// findings in the catalog. Latency is judged on the tenant page only (Metrics
// Insights cannot read percentiles, and the column keeps to the filter's facts
// so the two agree).
import "server-only";
import type { Db } from "../db/client";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../metrics/contract";
import { readInsights, type InsightsFunction } from "../metrics/insights";
import { metricsNamespace } from "../metrics/namespace";
import type { MetricQuery, MetricsReader } from "../metrics/reader";
import { DependencyError, type ViewWindow } from "../metrics/source";
import type { TimeRange } from "../metrics/period";
import type { TenantHealthFilter as HealthFilter } from "../catalog/tenant-list-params";
import { healthVerdict, tenantLifecycle, type HealthFacts, type HealthLevel } from "./health-verdict";

export interface ListHealthSubject {
  id: string;
  storageInstanceId: string | null;
  plan: { ratePerSec: number; quotaPerDay: number };
  /** Suspended and offboarded tenants are judged by their state (healthVerdict). */
  status?: string;
}

export interface ListHealthReadings {
  /** CloudWatch said a fleet-wide answer was cut (over 500 tenants or 10,000 metrics in one query). */
  partial?: boolean;
  /** Per tenant id, over the range; a tenant absent had no datapoints. */
  requests: Map<string, number>;
  throttled: Map<string, number>;
  capacityThrottled: Map<string, number>;
  storedItems: Map<string, number>;
  /** Since 00:00 UTC. */
  todayRequests: Map<string, number>;
  todayThrottled: Map<string, number>;
  todayCapacityThrottled: Map<string, number>;
}

export interface OpenNoisyFinding {
  tenantId: string;
  severity: "critical" | "major" | "minor";
  peakRatio: number;
  victims: string[];
}

export function matchesHealthFilter(level: HealthLevel, filter: HealthFilter): boolean {
  return filter === "unhealthy" ? level === "critical" || level === "degraded" : level === filter;
}

/** The verdict per tenant from fleet-wide readings (pure). */
export function listHealthVerdicts(
  tenants: readonly ListHealthSubject[],
  readings: ListHealthReadings,
  noisy: readonly OpenNoisyFinding[],
): Map<string, HealthLevel> {
  const of = (map: Map<string, number>, id: string) => map.get(id) ?? 0;
  const levels = new Map<string, HealthLevel>();
  for (const tenant of tenants) {
    const requests = of(readings.requests, tenant.id);
    const throttled = of(readings.throttled, tenant.id);
    const capacityThrottled = of(readings.capacityThrottled, tenant.id);
    const flagged = noisy.find((n) => n.tenantId === tenant.id);
    const facts: HealthFacts = {
      requests,
      planThrottled: Math.max(0, throttled - capacityThrottled),
      capacityThrottled,
      p99RecentMs: NaN,
      p99BaselineMs: NaN,
      usedToday: Math.max(
        0,
        of(readings.todayRequests, tenant.id) - (of(readings.todayThrottled, tenant.id) - of(readings.todayCapacityThrottled, tenant.id)),
      ),
      quotaPerDay: tenant.plan.quotaPerDay,
      planRatePerSec: tenant.plan.ratePerSec,
      storageInstanceId: tenant.storageInstanceId,
      hurtBy: noisy
        .filter((n) => n.tenantId !== tenant.id && n.victims.includes(tenant.id))
        .map((n) => ({ tenantId: n.tenantId, severity: n.severity })),
      flagged: flagged ? { severity: flagged.severity, peakRatio: flagged.peakRatio } : null,
      hasData: requests > 0 || readings.storedItems.has(tenant.id),
      lifecycle: tenant.status ? tenantLifecycle({ status: tenant.status }) : null,
    };
    levels.set(tenant.id, healthVerdict(facts).level);
  }
  return levels;
}

const dayMs = 86_400_000;
const cacheMs = 30_000;
let cached: { key: string; expiresAt: number; readings: Promise<ListHealthReadings> } | null = null;

/** One Insights query: the metric's aggregate per tenant over the range, summed across its instances (one period spans the range). */
async function perTenant(
  reader: MetricsReader,
  metricName: string,
  fn: InsightsFunction,
  range: TimeRange,
): Promise<{ values: Map<string, number>; partial: boolean }> {
  const periodSeconds = Math.max(60, Math.ceil((range.endMs - range.startMs) / 60_000) * 60);
  const read = await readInsights(
    reader.client,
    metricsNamespace(),
    { metricName, function: fn, schema: [dimensionInstance, dimensionTenant], groupBy: [dimensionTenant] },
    range,
    periodSeconds,
  );
  const out = new Map<string, number>();
  for (const [tenantId, series] of read.series) {
    if (!series.values.length) continue;
    out.set(tenantId, fn === "MAX" ? Math.max(...series.values) : series.values.reduce((a, b) => a + b, 0));
  }
  return { values: out, partial: read.partial };
}

/** The fleet-wide readings for the window (cached for 30 s: the list re-renders on every filter change). */
export function readListHealth(reader: MetricsReader, window: ViewWindow, nowMs = Date.now()): Promise<ListHealthReadings> {
  const key = `${window.key}/${Math.floor(nowMs / cacheMs)}`;
  if (cached && cached.key === key && cached.expiresAt > nowMs) return cached.readings;
  const today: TimeRange = { startMs: Math.floor(nowMs / dayMs) * dayMs, endMs: nowMs };
  const readings = (async (): Promise<ListHealthReadings> => {
    try {
      const [requests, throttled, capacityThrottled, storedItems, todayRequests, todayThrottled, todayCapacityThrottled] =
        await Promise.all([
          perTenant(reader, tenantMetrics.requests.name, "SUM", window.range),
          perTenant(reader, tenantMetrics.throttled.name, "SUM", window.range),
          perTenant(reader, tenantMetrics.capacityThrottled.name, "SUM", window.range),
          perTenant(reader, tenantMetrics.storedItems.name, "MAX", window.range),
          perTenant(reader, tenantMetrics.requests.name, "SUM", today),
          perTenant(reader, tenantMetrics.throttled.name, "SUM", today),
          perTenant(reader, tenantMetrics.capacityThrottled.name, "SUM", today),
        ]);
      const reads = [requests, throttled, capacityThrottled, storedItems, todayRequests, todayThrottled, todayCapacityThrottled];
      return {
        partial: reads.some((read) => read.partial),
        requests: requests.values,
        throttled: throttled.values,
        capacityThrottled: capacityThrottled.values,
        storedItems: storedItems.values,
        todayRequests: todayRequests.values,
        todayThrottled: todayThrottled.values,
        todayCapacityThrottled: todayCapacityThrottled.values,
      };
    } catch (error) {
      if (cached?.key === key) cached = null;
      const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : "unknown error";
      throw new DependencyError("CloudWatch", message || "request failed");
    }
  })();
  cached = { key, expiresAt: nowMs + cacheMs, readings };
  return readings;
}

/** The fleet watch's open noisy-neighbour findings: who is flagged, and whom each hurt. */
export async function openNoisyFindings(db: Db): Promise<OpenNoisyFinding[]> {
  const rows = await db.finding.findMany({
    where: { kind: "noisy_neighbour", status: "open", tenantId: { not: null } },
    select: { tenantId: true, severity: true, evidence: true, victims: true },
  });
  return rows.map((row) => {
    const evidence = (row.evidence ?? {}) as { peakRatio?: unknown };
    const victims = Array.isArray(row.victims) ? row.victims : [];
    return {
      tenantId: row.tenantId!,
      severity: row.severity,
      peakRatio: typeof evidence.peakRatio === "number" ? evidence.peakRatio : NaN,
      victims: victims.flatMap((v) =>
        v && typeof v === "object" && "tenantId" in v && typeof v.tenantId === "string" ? [v.tenantId] : [],
      ),
    };
  });
}

/**
 * For the ?health= filter: every tenant's verdict (suspended and offboarded ones by their state, so no health filter
 * lists them: the status filter does), and whether CloudWatch cut an answer.
 */
export async function loadFleetHealth(
  db: Db,
  reader: MetricsReader,
  window: ViewWindow,
): Promise<{ levels: Map<string, HealthLevel>; partial: boolean }> {
  const [tenants, readings, noisy] = await Promise.all([
    db.tenant.findMany({
      select: { id: true, status: true, storageInstanceId: true, plan: { select: { ratePerSec: true, quotaPerDay: true } } },
    }),
    readListHealth(reader, window),
    openNoisyFindings(db),
  ]);
  return { levels: listHealthVerdicts(tenants, readings, noisy), partial: readings.partial ?? false };
}

export interface PageHealthSubject extends ListHealthSubject {
  bridgeInstanceId: string | null;
}

/** The metrics the column reads for one tenant on one of its instances (pure). */
export function pageHealthQueries(tenant: PageHealthSubject): { range: MetricQuery[]; today: MetricQuery[] } {
  const instances = [tenant.storageInstanceId, tenant.bridgeInstanceId].filter((id): id is string => Boolean(id));
  const range: MetricQuery[] = [];
  const today: MetricQuery[] = [];
  for (const instance of instances) {
    const dimensions = { [dimensionInstance]: instance, [dimensionTenant]: tenant.id };
    const key = (name: string) => `${tenant.id}\u0000${instance}\u0000${name}`;
    for (const metric of [tenantMetrics.requests, tenantMetrics.throttled, tenantMetrics.capacityThrottled])
      range.push({ key: key(metric.name), metricName: metric.name, dimensions, stat: "Sum" });
    range.push({ key: key(tenantMetrics.storedItems.name), metricName: tenantMetrics.storedItems.name, dimensions, stat: "Maximum" });
    for (const metric of [tenantMetrics.requests, tenantMetrics.throttled, tenantMetrics.capacityThrottled])
      today.push({ key: key(metric.name), metricName: metric.name, dimensions, stat: "Sum" });
  }
  return { range, today };
}

/** Periods as long as the range (whole minutes), so each metric is one datapoint. */
const wholeRangePeriod = (range: TimeRange) => Math.max(60, Math.ceil((range.endMs - range.startMs) / 60_000) * 60);

/** The column: the verdicts of the tenants on the page, from their own metrics. */
export async function loadPageHealth(
  db: Db,
  reader: MetricsReader,
  window: ViewWindow,
  tenants: readonly PageHealthSubject[],
  nowMs = Date.now(),
): Promise<Map<string, HealthLevel>> {
  if (!tenants.length) return new Map();
  const today: TimeRange = { startMs: Math.floor(nowMs / dayMs) * dayMs, endMs: nowMs };
  const queries = tenants.map(pageHealthQueries);
  const sumInto = (map: Map<string, number>, tenantId: string, value: number, max = false) =>
    map.set(tenantId, max ? Math.max(map.get(tenantId) ?? 0, value) : (map.get(tenantId) ?? 0) + value);
  try {
    const [overRange, sinceMidnight, noisy] = await Promise.all([
      reader.read(
        queries.flatMap((q) => q.range),
        window.range,
        wholeRangePeriod(window.range),
        nowMs,
      ),
      reader.read(
        queries.flatMap((q) => q.today),
        today,
        wholeRangePeriod(today),
        nowMs,
      ),
      openNoisyFindings(db),
    ]);
    const readings: ListHealthReadings = {
      requests: new Map(),
      throttled: new Map(),
      capacityThrottled: new Map(),
      storedItems: new Map(),
      todayRequests: new Map(),
      todayThrottled: new Map(),
      todayCapacityThrottled: new Map(),
    };
    const into = {
      range: {
        [tenantMetrics.requests.name]: readings.requests,
        [tenantMetrics.throttled.name]: readings.throttled,
        [tenantMetrics.capacityThrottled.name]: readings.capacityThrottled,
        [tenantMetrics.storedItems.name]: readings.storedItems,
      },
      today: {
        [tenantMetrics.requests.name]: readings.todayRequests,
        [tenantMetrics.throttled.name]: readings.todayThrottled,
        [tenantMetrics.capacityThrottled.name]: readings.todayCapacityThrottled,
      },
    } as const;
    for (const [part, read] of [
      ["range", overRange],
      ["today", sinceMidnight],
    ] as const)
      for (const [key, series] of read.series) {
        if (!series.values.length) continue;
        const [tenantId, , metricName] = key.split("\u0000") as [string, string, string];
        const map = (into[part] as Record<string, Map<string, number>>)[metricName];
        if (!map) continue;
        const max = metricName === tenantMetrics.storedItems.name;
        sumInto(map, tenantId, max ? Math.max(...series.values) : series.values.reduce((a, b) => a + b, 0), max);
      }
    return listHealthVerdicts(tenants, readings, noisy);
  } catch (error) {
    if (error instanceof DependencyError) throw error;
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : "unknown error";
    throw new DependencyError("CloudWatch", message || "request failed");
  }
}
