// Traffic shapes: how many requests per second a tenant's application sends
// at a moment. Pure functions of time and the tenant's profile.
import { hashString } from "../../../lib/random";

export type TrafficShape =
  | { kind: "steady" }
  | { kind: "daily"; amplitude: number; peakHourUtc: number }
  | { kind: "bursty"; burstFactor: number; burstsPerHour: number; burstSeconds: number }
  | { kind: "growing"; doublingHours: number; maxFactor: number }
  | { kind: "noisy"; noisyRate: number; periodSeconds: number; activeSeconds: number; phaseSeconds: number };

export interface TenantProfile {
  tenantId: string;
  shape: TrafficShape;
  /** Requests per second outside peaks and bursts. */
  baseRate: number;
  /** Share of requests that read (GetItem / Query); the rest write (PutItem). */
  readRatio: number;
  /** Size of the items the tenant writes, bytes. */
  itemBytes: number;
  /** The tenant's data stops growing at this many items. */
  maxItems: number;
}

const hour = 3_600_000;

/** Demand in requests per second at `nowMs`; `originMs` is when the scenario began (growth starts there). */
export function demandRate(profile: TenantProfile, nowMs: number, originMs: number): number {
  const { shape, baseRate } = profile;
  switch (shape.kind) {
    case "steady":
      return baseRate;
    case "daily": {
      const hours = (nowMs / hour) % 24;
      return baseRate * Math.max(0, 1 + shape.amplitude * Math.cos((2 * Math.PI * (hours - shape.peakHourUtc)) / 24));
    }
    case "bursty": {
      const slotMs = shape.burstSeconds * 1000;
      const slot = Math.floor(nowMs / slotMs);
      const chance = (shape.burstsPerHour * shape.burstSeconds) / 3600;
      const draw = hashString(`${profile.tenantId}:${slot}`) / 4294967296;
      return draw < chance ? baseRate * shape.burstFactor : baseRate;
    }
    case "growing": {
      const hours = Math.max(0, nowMs - originMs) / hour;
      return baseRate * Math.min(shape.maxFactor, 2 ** (hours / shape.doublingHours));
    }
    case "noisy": {
      const position = (((nowMs / 1000 + shape.phaseSeconds) % shape.periodSeconds) + shape.periodSeconds) % shape.periodSeconds;
      return position < shape.activeSeconds ? shape.noisyRate : baseRate;
    }
  }
}
