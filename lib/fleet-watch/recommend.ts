// One recommendation per pool: the tenants flagged on a pool are considered
// together. Each one's own recommendation (lib/fairness/recommend.ts) is a
// candidate; candidates are taken, most helpful first, only while they still
// lower what co-tenants are refused, and no further once the refusals left are
// negligible (moving one may be enough). A second move to the pool a first
// move already fills sees that pool's headroom with the first tenant in it.
// A set of changes predicted to leave co-tenants no better off is never
// offered as an improvement. Pure.
import type { InstanceUsage } from "../fairness/fairness";
import type { NoisyTenant } from "../fairness/noisy";
import { recommend, type PoolHeadroom, type Recommendation, type RecommendOptions } from "../fairness/recommend";
import { peakDemandShare, predict, type Change } from "../fairness/what-if";
import type { PoolRecommendation, RecommendedAction } from "./shapes";

/** Refusals left at or below this fraction of today's count: the moves made are enough. */
const enoughFraction = 0.05;

function asChange(tenantId: string, recommendation: Recommendation): Change | null {
  if (recommendation.action === "observe") return null;
  if (recommendation.action === "lower_plan") return { kind: "cap", tenantId, ratePerSec: recommendation.ratePerSec };
  return { kind: "remove", tenantId };
}

function actionOf(recommendation: Recommendation): RecommendedAction {
  switch (recommendation.action) {
    case "migrate_to_pool":
      return { action: "migrate_to_pool", targetInstanceId: recommendation.targetInstanceId };
    case "lower_plan":
      return { action: "lower_plan", ratePerSec: recommendation.ratePerSec };
    default:
      return { action: recommendation.action };
  }
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

export function recommendForPool(
  usage: InstanceUsage,
  flagged: readonly NoisyTenant[],
  headroom: readonly PoolHeadroom[],
  options?: RecommendOptions,
): PoolRecommendation {
  const pools = headroom.map((pool) => ({ ...pool }));
  const baseline = predict(usage, []).before;
  const remaining = new Map(flagged.map((tenant) => [tenant.tenantId, tenant]));
  const moves: PoolRecommendation["moves"] = [];
  const changes: Change[] = [];
  let current = predict(usage, []);

  const isEnough = () => current.after.coTenantCapacityThrottled <= current.before.coTenantCapacityThrottled * enoughFraction;
  while (remaining.size && !isEnough()) {
    // Each remaining tenant's own recommendation, given the pools as the moves so far leave them.
    const candidates = [...remaining.values()]
      .map((tenant) => {
        const recommendation = recommend(tenant.worst, usage, pools, options);
        const change = asChange(tenant.tenantId, recommendation);
        return { tenant, recommendation, change, outcome: change ? predict(usage, [...changes, change]) : null };
      })
      .filter((c) => c.change && c.outcome && c.outcome.after.coTenantCapacityThrottled < current.after.coTenantCapacityThrottled)
      .sort((a, b) => a.outcome!.after.coTenantCapacityThrottled - b.outcome!.after.coTenantCapacityThrottled);
    const best = candidates[0];
    if (!best) break;
    remaining.delete(best.tenant.tenantId);
    changes.push(best.change!);
    current = best.outcome!;
    moves.push({ tenantId: best.tenant.tenantId, reason: best.recommendation.reason, ...actionOf(best.recommendation) });
    if (best.recommendation.action === "migrate_to_pool") {
      const target = pools.find(
        (pool) => pool.storageInstanceId === (best.recommendation as { targetInstanceId: string }).targetInstanceId,
      );
      if (target) target.peakUtilisation += peakDemandShare(usage, best.tenant.tenantId, target);
    }
  }

  const outcome = changes.length ? predict(usage, changes) : { before: baseline, after: baseline };
  const flaggedIds = flagged.map((tenant) => tenant.tenantId);
  if (!moves.length) {
    return {
      storageInstanceId: usage.storageInstanceId,
      flagged: flaggedIds,
      moves: [],
      reason: flagged.length
        ? "No change to the flagged tenants is predicted to lower what co-tenants are refused: observe, and look at the instance's capacity."
        : "Nothing flagged.",
      before: outcome.before,
      after: outcome.after,
    };
  }
  const unchanged = flaggedIds.filter((id) => !moves.some((move) => move.tenantId === id));
  const reason = [
    `${moves.map((move) => move.tenantId).join(" and ")}: co-tenants' refusals predicted ${plural(outcome.before.coTenantCapacityThrottled, "request")} → ${plural(outcome.after.coTenantCapacityThrottled, "request")}.`,
    unchanged.length
      ? isEnough()
        ? `${unchanged.join(", ")} need${unchanged.length === 1 ? "s" : ""} no change: the moves above are predicted to be enough.`
        : `No change to ${unchanged.join(", ")} is predicted to lower the refusals further.`
      : "",
  ]
    .filter(Boolean)
    .join(" ");
  return { storageInstanceId: usage.storageInstanceId, flagged: flaggedIds, moves, reason, before: outcome.before, after: outcome.after };
}
