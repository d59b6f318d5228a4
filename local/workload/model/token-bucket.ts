// A tenant's plan limit as API gateways enforce it: a token bucket refilled at
// `rate` per second holding at most `burst`. Arrivals within an interval are
// treated as a steady flow, so the same code admits a 1 s live tick and a
// 60 s backfill step correctly.
export class TokenBucket {
  private tokens: number;

  constructor(
    private rate: number,
    private burst: number,
  ) {
    this.tokens = burst;
  }

  setLimits(rate: number, burst: number): void {
    this.rate = rate;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  /** How many of `requested` arrivals over `seconds` are admitted. */
  admit(requested: number, seconds: number): number {
    const inflow = this.rate * seconds;
    if (requested <= inflow) {
      this.tokens = Math.min(this.burst, this.tokens + inflow - requested);
      return requested;
    }
    const admitted = Math.min(requested, Math.floor(this.tokens + inflow));
    this.tokens = Math.min(this.burst, Math.max(0, this.tokens + inflow - admitted));
    return admitted;
  }
}

/** Requests per UTC day; resets at midnight UTC. */
export class DailyQuota {
  private day = -1;
  private used = 0;

  admit(requested: number, quotaPerDay: number, nowMs: number): number {
    const day = Math.floor(nowMs / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    const admitted = Math.max(0, Math.min(requested, quotaPerDay - this.used));
    this.used += admitted;
    return admitted;
  }

  usedToday(): number {
    return this.used;
  }
}
