// A tenant's health as support staff read it: one verdict and the reasons
// for it, each reason a measured fact against a documented threshold.

export interface HealthFacts {
  /** Over the view's range. */
  requests: number;
  /** Refused by the tenant's own throttling plan (rate, burst, quota) or a write freeze. */
  planThrottled: number;
  /** Refused because its storage instance was over capacity. */
  capacityThrottled: number;
  /** Highest p99 latency in the last 15 minutes, and the median p99 over the range; NaN when unmeasured. */
  p99RecentMs: number;
  p99BaselineMs: number;
  /** Plan-admitted requests since 00:00 UTC against the daily quota. */
  usedToday: number;
  quotaPerDay: number;
  planRatePerSec: number;
  storageInstanceId: string | null;
  /** Noisy neighbours flagged on its instance in the range that hurt it. */
  hurtBy: { tenantId: string; severity: "critical" | "major" | "minor" }[];
  /** When the tenant itself was flagged as a noisy neighbour in the range. */
  flagged: { severity: "critical" | "major" | "minor"; peakRatio: number } | null;
  /** Anything measured at all in the range (requests or stored items). */
  hasData: boolean;
}

export type HealthLevel = "healthy" | "degraded" | "critical" | "no_data";

export interface HealthReason {
  level: "degraded" | "critical";
  text: string;
}

export interface HealthVerdict {
  level: HealthLevel;
  reasons: HealthReason[];
}

export const healthThresholds = {
  capacityRefused: { degraded: 0.01, critical: 0.05 },
  planRefused: { degraded: 0.01, critical: 0.1 },
  quotaUsed: { degraded: 0.8, critical: 1 },
  latencyFactor: 2,
} as const;

const percent = (value: number) => `${value >= 0.1 ? Math.round(value * 100) : (Math.round(value * 1000) / 10).toFixed(1)}%`;

function graded(value: number, limits: { degraded: number; critical: number }): HealthReason["level"] | null {
  return value >= limits.critical ? "critical" : value >= limits.degraded ? "degraded" : null;
}

export function healthVerdict(facts: HealthFacts): HealthVerdict {
  if (!facts.hasData) return { level: "no_data", reasons: [] };
  const reasons: HealthReason[] = [];
  const capacityRatio = facts.requests > 0 ? facts.capacityThrottled / facts.requests : 0;
  const capacityLevel = graded(capacityRatio, healthThresholds.capacityRefused);
  if (capacityLevel) {
    reasons.push({
      level: capacityLevel,
      text: `${percent(capacityRatio)} of its requests were refused because ${facts.storageInstanceId ?? "its storage instance"} was over capacity.`,
    });
  }
  const planRatio = facts.requests > 0 ? facts.planThrottled / facts.requests : 0;
  const planLevel = graded(planRatio, healthThresholds.planRefused);
  if (planLevel) {
    reasons.push({
      level: planLevel,
      text: `${percent(planRatio)} of its requests were refused by its throttling plan (${facts.planRatePerSec} req/s).`,
    });
  }
  const quotaRatio = facts.quotaPerDay > 0 ? facts.usedToday / facts.quotaPerDay : 0;
  const quotaLevel = graded(quotaRatio, healthThresholds.quotaUsed);
  if (quotaLevel) {
    reasons.push({
      level: quotaLevel,
      text:
        quotaRatio >= 1
          ? "Its daily quota is used up: requests are refused until 00:00 UTC."
          : `${percent(quotaRatio)} of today's quota is used.`,
    });
  }
  if (
    Number.isFinite(facts.p99RecentMs) &&
    Number.isFinite(facts.p99BaselineMs) &&
    facts.p99BaselineMs > 0 &&
    facts.p99RecentMs >= healthThresholds.latencyFactor * facts.p99BaselineMs
  ) {
    reasons.push({
      level: "degraded",
      text: `p99 latency in the last 15 minutes is ${Math.round(facts.p99RecentMs)} ms, ${(facts.p99RecentMs / facts.p99BaselineMs).toFixed(1)}× its usual ${Math.round(facts.p99BaselineMs)} ms.`,
    });
  }
  if (facts.flagged) {
    reasons.push({
      level: "degraded",
      text: `It was flagged as a noisy neighbour (${facts.flagged.severity}): its share of ${facts.storageInstanceId ?? "its instance"} reached ${facts.flagged.peakRatio.toFixed(1)}× its fair share while co-tenants suffered.`,
    });
  }
  for (const noisy of facts.hurtBy) {
    reasons.push({
      level: "degraded",
      text: `Its co-tenant ${noisy.tenantId} was flagged as a noisy neighbour (${noisy.severity}) and slowed or refused it.`,
    });
  }
  const level = reasons.some((r) => r.level === "critical") ? "critical" : reasons.length ? "degraded" : "healthy";
  return { level, reasons: reasons.sort((a, b) => (a.level === b.level ? 0 : a.level === "critical" ? -1 : 1)) };
}
