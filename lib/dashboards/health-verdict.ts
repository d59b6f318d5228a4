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
  /** A tenant the data plane refuses on purpose: suspended (why, since when) or offboarded (when); absent or null otherwise. */
  lifecycle?: TenantLifecycle | null;
}

export type TenantLifecycle =
  { status: "suspended"; reason: string | null; since: Date | string | null } | { status: "offboarded"; at: Date | string | null };

/** Suspended and offboarded tenants are judged by their state first: their refusals are intended, not a fault. */
export type HealthLevel = "healthy" | "degraded" | "critical" | "no_data" | "suspended" | "offboarded";

export interface HealthReason {
  level: "degraded" | "critical";
  text: string;
}

export interface HealthVerdict {
  level: HealthLevel;
  reasons: HealthReason[];
  /** For a suspended or offboarded tenant: its state in one sentence, said before any measured reason. */
  statement?: string;
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

const utc = (value: Date | string | null) => {
  if (value === null) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
};

/** The lifecycle facts of a catalog row (null for a tenant in any other state). */
export function tenantLifecycle(tenant: {
  status: string;
  suspendedReason?: string | null;
  suspendedAt?: Date | string | null;
  offboardedAt?: Date | string | null;
}): TenantLifecycle | null {
  if (tenant.status === "suspended")
    return { status: "suspended", reason: tenant.suspendedReason ?? null, since: tenant.suspendedAt ?? null };
  if (tenant.status === "offboarded") return { status: "offboarded", at: tenant.offboardedAt ?? null };
  return null;
}

/** What a suspended or offboarded tenant's verdict says (pure). */
export function lifecycleStatement(lifecycle: TenantLifecycle): string {
  if (lifecycle.status === "offboarded") {
    const at = utc(lifecycle.at);
    return `Offboarded${at ? ` on ${at}` : ""}: its items were deleted and the data plane refuses it. What is shown below is history.`;
  }
  const since = utc(lifecycle.since);
  return `Suspended${since ? ` since ${since}` : ""}${lifecycle.reason ? ` (“${lifecycle.reason}”)` : ""}: the data plane refuses its reads and writes with this reason; its items are kept, and resuming serves it again.`;
}

export function healthVerdict(facts: HealthFacts): HealthVerdict {
  if (facts.lifecycle) {
    // Measured reasons are kept (what happened before, or refusals still counted), under the tenant's state.
    const measured = facts.hasData ? measuredVerdict(facts) : { reasons: [] };
    return { level: facts.lifecycle.status, reasons: measured.reasons, statement: lifecycleStatement(facts.lifecycle) };
  }
  return measuredVerdict(facts);
}

function measuredVerdict(facts: HealthFacts): HealthVerdict {
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
