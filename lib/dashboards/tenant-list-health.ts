// The tenant list's health column: the tenant page's verdict (healthVerdict)
// for every tenant at once, from reads whose cost does not grow with the
// number of tenants. The tenant page reads ~10 metrics per tenant plus its
// instance's tenants; the list instead runs seven Metrics Insights queries
// grouped by TenantId over the whole fleet (requests, refusals and stored
// items over the range, today's requests and refusals for the quota), and
// takes "flagged" and "hurt by" from the fleet watch's open noisy-neighbour
// findings in the catalog. Percentiles cannot be read through Metrics
// Insights, so the latency reason is judged on the tenant's page only.
import "server-only";
import type { Db } from "../db/client";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../metrics/contract";
import { readInsights, type InsightsFunction } from "../metrics/insights";
import { metricsNamespace } from "../metrics/namespace";
import type { MetricsReader } from "../metrics/reader";
import { DependencyError, type ViewWindow } from "../metrics/source";
import type { TimeRange } from "../metrics/period";
import type { TenantHealthFilter as HealthFilter } from "../catalog/tenant-list-params";
import { healthVerdict, type HealthFacts, type HealthLevel } from "./health-verdict";

export interface ListHealthSubject {
  id: string;
  storageInstanceId: string | null;
  plan: { ratePerSec: number; quotaPerDay: number };
}

export interface ListHealthReadings {
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
    };
    levels.set(tenant.id, healthVerdict(facts).level);
  }
  return levels;
}

const dayMs = 86_400_000;
const cacheMs = 30_000;
let cached: { key: string; expiresAt: number; readings: Promise<ListHealthReadings> } | null = null;

/** One Insights query: the metric's aggregate per tenant over the range, summed across its instances (one period spans the range). */
async function perTenant(reader: MetricsReader, metricName: string, fn: InsightsFunction, range: TimeRange): Promise<Map<string, number>> {
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
  return out;
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
      return { requests, throttled, capacityThrottled, storedItems, todayRequests, todayThrottled, todayCapacityThrottled };
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

/** Every live tenant's verdict (offboarded tenants are not judged). */
export async function loadListHealth(db: Db, reader: MetricsReader, window: ViewWindow): Promise<Map<string, HealthLevel>> {
  const [tenants, readings, noisy] = await Promise.all([
    db.tenant.findMany({
      where: { status: { not: "offboarded" } },
      select: { id: true, storageInstanceId: true, plan: { select: { ratePerSec: true, quotaPerDay: true } } },
    }),
    readListHealth(reader, window),
    openNoisyFindings(db),
  ]);
  return listHealthVerdicts(tenants, readings, noisy);
}
