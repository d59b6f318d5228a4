// In-process plan enforcement from the routing record: a token bucket (the
// plan's rate per second, holding up to its burst) and a daily quota that
// resets at midnight UTC. Per process: with N processes serving a tenant,
// each admits the whole plan (enforce at API Gateway for an exact limit).

export interface PlanLimits {
  ratePerSec: number;
  burst: number;
  quotaPerDay: number;
}

export type Admission = { admitted: true } | { admitted: false; reason: "rate" | "quota"; retryAfterMs: number };

const dayMs = 86_400_000;

export class PlanEnforcer {
  private readonly buckets = new Map<string, { tokens: number; at: number; day: number; used: number }>();

  /** Takes one request's token, or says why not and when to retry. A plan with a rate of 0 admits nothing. */
  admit(tenantId: string, limits: PlanLimits, nowMs: number): Admission {
    const day = Math.floor(nowMs / dayMs);
    let bucket = this.buckets.get(tenantId);
    if (!bucket) {
      bucket = { tokens: Math.max(limits.burst, 1), at: nowMs, day, used: 0 };
      this.buckets.set(tenantId, bucket);
    }
    if (bucket.day !== day) {
      bucket.day = day;
      bucket.used = 0;
    }
    const capacity = Math.max(limits.burst, limits.ratePerSec > 0 ? 1 : 0);
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.at) / 1000) * limits.ratePerSec);
    bucket.at = nowMs;
    if (bucket.used >= limits.quotaPerDay) return { admitted: false, reason: "quota", retryAfterMs: (day + 1) * dayMs - nowMs };
    if (bucket.tokens < 1) {
      const retryAfterMs = limits.ratePerSec > 0 ? Math.ceil(((1 - bucket.tokens) / limits.ratePerSec) * 1000) : dayMs;
      return { admitted: false, reason: "rate", retryAfterMs };
    }
    bucket.tokens -= 1;
    bucket.used += 1;
    return { admitted: true };
  }
}
