// A storage instance's capacity as DynamoDB applies it: read and write units
// per second, plus a store of unused capacity that absorbs short bursts. When
// the tenants on an instance together demand more, the excess is throttled for
// all of them alike, and latency rises with utilisation.

/** DynamoDB keeps up to 300 s of unused capacity for bursts but promises none; the model keeps 60 s. */
export const burstWindowSeconds = 60;

export interface CapacityOutcome {
  /** Share of the demanded units served, 0..1. */
  servedFraction: number;
  /** Demanded units / provisioned units over the interval (can exceed 1). */
  utilisation: number;
}

export class CapacityBudget {
  private credits: number;

  constructor(private unitsPerSec: number) {
    this.credits = unitsPerSec * burstWindowSeconds;
  }

  setCapacity(unitsPerSec: number): void {
    this.unitsPerSec = unitsPerSec;
    this.credits = Math.min(this.credits, unitsPerSec * burstWindowSeconds);
  }

  consume(demandedUnits: number, seconds: number): CapacityOutcome {
    const inflow = this.unitsPerSec * seconds;
    const utilisation = inflow > 0 ? demandedUnits / inflow : demandedUnits > 0 ? Infinity : 0;
    const available = inflow + this.credits;
    if (demandedUnits <= available) {
      this.credits = Math.min(this.unitsPerSec * burstWindowSeconds, available - demandedUnits);
      return { servedFraction: 1, utilisation };
    }
    this.credits = 0;
    return { servedFraction: available / demandedUnits, utilisation };
  }
}

/**
 * Extra server-side wait at a given utilisation: base × u / (1 − u), the
 * M/M/1 queueing delay, capped so a saturated instance answers slowly rather
 * than never.
 */
export function queueingDelayMs(baseMs: number, utilisation: number): number {
  const u = Math.min(Math.max(utilisation, 0), 0.97);
  return (baseMs * u) / (1 - u);
}
