// A tenant's health for support staff: the verdict with its reasons, and
// the measured series behind it, from the instances that hold its items.
import type { Db } from "../db/client";
import { median } from "../fairness/fairness";
import { gridTimestamps, type MetricsReader } from "../metrics/reader";
import { loadInstanceView } from "./instance-view";
import { healthVerdict, tenantLifecycle, type HealthFacts, type HealthVerdict } from "./health-verdict";
import { mergeReads, readMetrics, type ViewWindow } from "../metrics/source";
import type { ViewCost } from "./fleet-view";
import type { Thresholds } from "./thresholds";
import { eitherMeasured, gapsWhereUnmeasured, measuredPeriods, seriesOf, tenantKey, tenantQuery, type UsageMetric } from "../metrics/usage";
import { callFloor, expectedDatapoints } from "../metrics/batching";

export interface TenantHealthSubject {
  id: string;
  storageInstanceId: string | null;
  bridgeInstanceId: string | null;
  plan: { ratePerSec: number; quotaPerDay: number };
  /** Its lifecycle state: a suspended or offboarded tenant's verdict says so (health-verdict.ts). */
  status?: string;
  suspendedReason?: string | null;
  suspendedAt?: Date | null;
  offboardedAt?: Date | null;
}

export interface TenantHealth {
  window: ViewWindow;
  timestamps: number[];
  verdict: HealthVerdict;
  facts: HealthFacts;
  /** Per period, summed over the instances holding its items (latency: its main placement's); NaN where there is no data. */
  series: Record<"requests" | "planThrottled" | "capacityThrottled" | "p50" | "p99", number[]>;
  /** Latest measured, summed over its instances; null when never measured. */
  storedItems: number | null;
  storedBytes: number | null;
  cost: ViewCost;
}

const perTenant: UsageMetric[] = ["requests", "throttled", "capacityThrottled", "p50", "p99", "storedItems", "storedBytes"];
const dayMs = 86_400_000;

const lastMeasured = (values: number[]) => [...values].reverse().find(Number.isFinite);

export async function loadTenantHealth(
  db: Db,
  reader: MetricsReader,
  window: ViewWindow,
  thresholds: Thresholds,
  tenant: TenantHealthSubject,
  nowMs = Date.now(),
): Promise<TenantHealth> {
  const instances = [tenant.storageInstanceId, tenant.bridgeInstanceId].filter((id): id is string => id !== null);
  const queries = instances.flatMap((instanceId) => perTenant.map((metric) => tenantQuery(instanceId, tenant.id, metric)));
  // Today's usage is one daily datapoint from 00:00 UTC; the plan's quota counts requests its rate admitted.
  const midnight = Math.floor(nowMs / dayMs) * dayMs;
  const today: ViewWindow = { key: window.key, range: { startMs: midnight, endMs: midnight + dayMs }, periodSeconds: 86_400 };
  const todayQueries = instances.flatMap((instanceId) =>
    (["requests", "throttled", "capacityThrottled"] as const).map((metric) => tenantQuery(instanceId, tenant.id, metric)),
  );
  const [read, todayRead, instanceView] = await Promise.all([
    readMetrics(reader, queries, window),
    readMetrics(reader, todayQueries, today),
    tenant.storageInstanceId ? loadInstanceView(db, reader, window, thresholds, tenant.storageInstanceId) : null,
  ]);

  const timestamps = gridTimestamps(window.range, window.periodSeconds);
  const summed = (metric: UsageMetric) => {
    const out = timestamps.map(() => 0);
    for (const instanceId of instances)
      seriesOf(read, tenantKey(instanceId, tenant.id, metric), metric, window.range).forEach((v, p) => (out[p]! += v));
    return out;
  };
  const main = instances[0];
  const latency = (metric: "p50" | "p99") =>
    main ? seriesOf(read, tenantKey(main, tenant.id, metric), metric, window.range) : timestamps.map(() => NaN);
  const requests = summed("requests");
  const throttled = summed("throttled");
  const capacityThrottled = summed("capacityThrottled");
  const planThrottled = throttled.map((t, p) => Math.max(0, t - capacityThrottled[p]!));
  const p50 = latency("p50");
  const p99 = latency("p99");
  const gauge = (metric: "storedItems" | "storedBytes") => {
    const latest = instances.map((instanceId) =>
      lastMeasured(seriesOf(read, tenantKey(instanceId, tenant.id, metric), metric, window.range)),
    );
    return latest.some((v) => v !== undefined) ? latest.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
  };
  const todayTotal = (metric: "requests" | "throttled" | "capacityThrottled") =>
    instances.reduce(
      (s, instanceId) => s + (todayRead.series.get(tenantKey(instanceId, tenant.id, metric))?.values.reduce((a, b) => a + b, 0) ?? 0),
      0,
    );
  const recentFrom = window.range.endMs - 15 * 60_000;
  const recentP99 = p99.filter((_, p) => timestamps[p]! + window.periodSeconds * 1000 > recentFrom).filter(Number.isFinite);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const storedItems = gauge("storedItems");

  const facts: HealthFacts = {
    requests: sum(requests),
    planThrottled: sum(planThrottled),
    capacityThrottled: sum(capacityThrottled),
    p99RecentMs: recentP99.length ? Math.max(...recentP99) : NaN,
    p99BaselineMs: median(p99),
    usedToday: Math.max(0, todayTotal("requests") - (todayTotal("throttled") - todayTotal("capacityThrottled"))),
    quotaPerDay: tenant.plan.quotaPerDay,
    planRatePerSec: tenant.plan.ratePerSec,
    storageInstanceId: tenant.storageInstanceId,
    hurtBy: (instanceView?.noisy ?? [])
      .filter((n) => n.tenantId !== tenant.id && n.victims.some((v) => v.tenantId === tenant.id))
      .map((n) => ({ tenantId: n.tenantId, severity: n.severity })),
    flagged:
      (instanceView?.noisy ?? [])
        .filter((n) => n.tenantId === tenant.id)
        .map((n) => ({ severity: n.severity, peakRatio: n.peakRatio }))[0] ?? null,
    hasData: sum(requests) > 0 || storedItems !== null,
    lifecycle: tenant.status ? tenantLifecycle({ ...tenant, status: tenant.status }) : null,
  };
  const all = mergeReads(read, todayRead);
  // A period where neither this tenant nor anything on its instance was published has no data: a gap on the charts, not a 0.
  const ownMeasured = measuredPeriods(read, window.range);
  const measured = instanceView ? eitherMeasured(ownMeasured, instanceView.measured) : ownMeasured;
  const charted = (values: number[]) => gapsWhereUnmeasured(values, measured);
  const points = expectedDatapoints(window.range.endMs - window.range.startMs, window.periodSeconds);
  return {
    window,
    timestamps,
    verdict: healthVerdict(facts),
    facts,
    series: {
      requests: charted(requests),
      planThrottled: charted(planThrottled),
      capacityThrottled: charted(capacityThrottled),
      p50: charted(p50),
      p99: charted(p99),
    },
    storedItems,
    storedBytes: gauge("storedBytes"),
    // Includes the read of its co-tenants behind "hurt by" (the instance page's, shared through the cache).
    cost: {
      calls: all.cost.calls + (instanceView?.cost.calls ?? 0),
      metricsRequested: all.cost.metricsRequested + (instanceView?.cost.metricsRequested ?? 0),
      metricsNeeded: queries.length + todayQueries.length + (instanceView?.cost.metricsNeeded ?? 0),
      floorCalls: callFloor(queries.length, points) + callFloor(todayQueries.length, 1) + (instanceView?.cost.floorCalls ?? 0),
    },
  };
}
