// The plan-change screen's numbers: the tenant's requests per minute over the
// last 24 h, and what each plan would have refused of them.
import type { Db } from "../db/client";
import { readMetrics } from "../metrics/source";
import { seriesOf, tenantKey, tenantQuery } from "../metrics/usage";
import { rangeEndingNow } from "../metrics/period";
import { gridTimestamps, type MetricsReader } from "../metrics/reader";
import { simulatePlan, type PlanEffect } from "./plan-effect";

export interface PlanOption {
  id: string;
  name: string;
  ratePerSec: number;
  burst: number;
  quotaPerDay: number;
}

export interface PlanEffectsView {
  tenantId: string;
  storageInstanceId: string;
  periodSeconds: number;
  range: { startMs: number; endMs: number };
  /** What the tenant's current plan refused, as measured (ThrottledRequests minus the capacity part). */
  measured: { requests: number; planThrottled: number; peakPerSec: number };
  plans: (PlanOption & { current: boolean; effect: PlanEffect })[];
}

const periodSeconds = 60;

export async function loadPlanEffects(
  db: Db,
  reader: MetricsReader,
  tenant: { id: string; planId: string; storageInstanceId: string },
  nowMs = Date.now(),
): Promise<PlanEffectsView> {
  const range = rangeEndingNow("24h", nowMs);
  const instance = tenant.storageInstanceId;
  const window = { key: "24h" as const, range, periodSeconds };
  const [plans, read] = await Promise.all([
    db.throttlingPlan.findMany({
      orderBy: [{ ratePerSec: "asc" }, { id: "asc" }],
      select: { id: true, name: true, ratePerSec: true, burst: true, quotaPerDay: true },
    }),
    readMetrics(
      reader,
      (["requests", "throttled", "capacityThrottled"] as const).map((m) => tenantQuery(instance, tenant.id, m)),
      window,
    ),
  ]);
  const requests = seriesOf(read, tenantKey(instance, tenant.id, "requests"), "requests", range);
  const throttled = seriesOf(read, tenantKey(instance, tenant.id, "throttled"), "throttled", range);
  const capacityThrottled = seriesOf(read, tenantKey(instance, tenant.id, "capacityThrottled"), "capacityThrottled", range);
  const demand = { timestamps: gridTimestamps(range, periodSeconds), requests, periodSeconds };
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    tenantId: tenant.id,
    storageInstanceId: instance,
    periodSeconds,
    range,
    measured: {
      requests: sum(requests),
      planThrottled: Math.max(0, sum(throttled) - sum(capacityThrottled)),
      peakPerSec: Math.max(0, ...requests) / periodSeconds,
    },
    plans: plans.map((plan) => ({ ...plan, current: plan.id === tenant.planId, effect: simulatePlan(demand, plan) })),
  };
}
