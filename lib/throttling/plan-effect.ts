// What a throttling plan would have done to a tenant's measured demand: a
// token bucket (rate, burst) and a daily quota run over the requests the
// tenant made per period. Pure. At one-minute periods demand inside a minute
// is taken as even, so bursts shorter than a minute are under-counted; the
// view compares the model with what the current plan measurably refused.

export interface PlanLimits {
  ratePerSec: number;
  burst: number;
  quotaPerDay: number;
}

export interface Demand {
  /** Period starts, ms since the epoch. */
  timestamps: readonly number[];
  /** Requests the tenant made in each period, served or not. */
  requests: readonly number[];
  periodSeconds: number;
}

export interface PlanEffect {
  requests: number;
  admitted: number;
  throttled: number;
  /** Of `throttled`, refused because the day's quota ran out. */
  quotaThrottled: number;
  /** Periods in which at least one request would have been refused. */
  throttledPeriods: number;
}

const dayMs = 86_400_000;

export function simulatePlan(demand: Demand, plan: PlanLimits): PlanEffect {
  let tokens = plan.burst;
  let day = -1;
  let usedToday = 0;
  const effect: PlanEffect = { requests: 0, admitted: 0, throttled: 0, quotaThrottled: 0, throttledPeriods: 0 };
  for (let i = 0; i < demand.requests.length; i++) {
    const wanted = Math.max(0, demand.requests[i] ?? 0);
    const periodDay = Math.floor((demand.timestamps[i] ?? 0) / dayMs);
    if (periodDay !== day) {
      day = periodDay;
      usedToday = 0;
    }
    const supply = tokens + plan.ratePerSec * demand.periodSeconds;
    const byRate = Math.min(wanted, supply);
    tokens = Math.min(plan.burst, supply - byRate);
    const admitted = Math.min(byRate, Math.max(0, plan.quotaPerDay - usedToday));
    usedToday += admitted;
    effect.requests += wanted;
    effect.admitted += admitted;
    effect.quotaThrottled += byRate - admitted;
    if (wanted - admitted > 0.5) effect.throttledPeriods++;
  }
  effect.throttled = effect.requests - effect.admitted;
  return effect;
}

export type PlanLimit = "rate" | "burst" | "daily quota";

/** The limits a move from one plan to another lowers (none when it only raises or keeps them): such a move is confirmed first. */
export function loweredLimits(from: PlanLimits, to: PlanLimits): PlanLimit[] {
  const lowered: PlanLimit[] = [];
  if (to.ratePerSec < from.ratePerSec) lowered.push("rate");
  if (to.burst < from.burst) lowered.push("burst");
  if (to.quotaPerDay < from.quotaPerDay) lowered.push("daily quota");
  return lowered;
}

/** "rate", "rate and burst", "rate, burst and daily quota". */
export function listOfLimits(limits: readonly PlanLimit[]): string {
  return limits.length > 1 ? `${limits.slice(0, -1).join(", ")} and ${limits.at(-1)}` : (limits[0] ?? "");
}
