// What to do about a noisy neighbour, with the predicted effect computed from
// the measured history (what-if.ts), not guessed.
import type { InstanceUsage } from "./fairness";
import type { NoisyFlag } from "./noisy";
import { peakDemandShare, predict, type Prediction } from "./what-if";

export interface PoolHeadroom {
  storageInstanceId: string;
  region: string;
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  /** Peak utilisation over the same range, 0..1. */
  peakUtilisation: number;
}

export interface RecommendOptions {
  /** A tenant whose peak alone needs more than this share of its pool belongs in a silo. */
  siloAboveShare: number;
  /** A target pool must stay under this utilisation with the tenant added. */
  targetPoolCeiling: number;
}

export const defaultRecommendOptions: RecommendOptions = { siloAboveShare: 0.5, targetPoolCeiling: 0.8 };

export type Recommendation =
  | { action: "observe"; reason: string; before: Prediction; after: Prediction }
  | { action: "migrate_to_silo"; reason: string; before: Prediction; after: Prediction }
  | { action: "migrate_to_pool"; targetInstanceId: string; reason: string; before: Prediction; after: Prediction }
  | { action: "lower_plan"; ratePerSec: number; reason: string; before: Prediction; after: Prediction };

export function recommend(
  flag: NoisyFlag,
  instance: InstanceUsage,
  otherPools: PoolHeadroom[],
  options: RecommendOptions = defaultRecommendOptions,
): Recommendation {
  // A move stays in the tenant's region: crossing one changes data residency and latency, an operator's call, not ours.
  const region = otherPools.find((pool) => pool.storageInstanceId === instance.storageInstanceId)?.region;
  const moved = predict(instance, { kind: "remove", tenantId: flag.tenantId });
  if (flag.severity === "minor" && flag.victims.every((v) => v.capacityThrottled === 0)) {
    return {
      action: "observe",
      reason: "Co-tenants were slowed, not refused, and only briefly: no change until it recurs.",
      ...moved,
    };
  }
  const ownShare = peakDemandShare(instance, flag.tenantId, instance);
  if (ownShare > options.siloAboveShare) {
    return {
      action: "migrate_to_silo",
      reason: `At its peak it alone needs ${Math.round(ownShare * 100)}% of ${instance.storageInstanceId}'s capacity.`,
      ...moved,
    };
  }
  const target = otherPools
    .filter((pool) => pool.storageInstanceId !== instance.storageInstanceId && (region === undefined || pool.region === region))
    .map((pool) => ({ pool, after: pool.peakUtilisation + peakDemandShare(instance, flag.tenantId, pool) }))
    .filter(({ after }) => after < options.targetPoolCeiling)
    .sort((a, b) => a.after - b.after)[0];
  if (target) {
    return {
      action: "migrate_to_pool",
      targetInstanceId: target.pool.storageInstanceId,
      reason: `${target.pool.storageInstanceId} has the most headroom: its peak would be ${Math.round(target.after * 100)}% with this tenant.`,
      ...moved,
    };
  }
  const tenant = instance.tenants.find((t) => t.tenantId === flag.tenantId)!;
  // Cap it at the rate that would have kept it at its fair share during the span: its peak admitted rate over how far over it went.
  const inSpan = instance.timestamps.map((t, p) => (t >= flag.startMs && t < flag.endMs ? p : -1)).filter((p) => p >= 0);
  const peakAdmittedPerSec = Math.max(
    0,
    ...inSpan.map(
      (p) => ((tenant.requests[p] ?? 0) - ((tenant.throttled[p] ?? 0) - (tenant.capacityThrottled[p] ?? 0))) / instance.periodSeconds,
    ),
  );
  const ratePerSec = Math.max(1, Math.min(tenant.planRatePerSec, Math.floor(peakAdmittedPerSec / Math.max(1, flag.meanRatio))));
  return {
    action: "lower_plan",
    ratePerSec,
    reason: `No pool has room for it; a plan of ${ratePerSec} requests/s holds it near its fair share.`,
    ...predict(instance, { kind: "cap", tenantId: flag.tenantId, ratePerSec }),
  };
}
