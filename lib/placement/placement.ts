// Where a new pooled tenant goes: the pool in its region with the most
// measured headroom after adding the tenant's expected load, never above the
// ceiling. Pure: the caller measures the pools (pool-headroom.ts).

export interface PoolCandidate {
  storageInstanceId: string;
  region: string;
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  tenantCount: number;
  /** The busier of reads and writes, as a fraction of capacity: 95th percentile over the last 24 h. */
  p95Utilisation: number;
}

export interface PlacementOptions {
  /** No placement may take a pool's p95 utilisation above this. */
  ceiling: number;
  /** A new tenant is expected to use this share of its plan's rate (one capacity unit per request). */
  expectedShareOfPlanRate: number;
}

export const defaultPlacementOptions: PlacementOptions = { ceiling: 0.8, expectedShareOfPlanRate: 0.1 };

export interface PoolChoice {
  storageInstanceId: string;
  utilisationBefore: number;
  utilisationAfter: number;
}

export type PlacementResult =
  | { ok: true; choice: PoolChoice; considered: PoolChoice[]; expectedUnitsPerSec: number }
  | { ok: false; reason: string; considered: PoolChoice[]; expectedUnitsPerSec: number };

function expectedUnitsPerSec(planRatePerSec: number, options: PlacementOptions = defaultPlacementOptions): number {
  return planRatePerSec * options.expectedShareOfPlanRate;
}

/** The added utilisation, counted against the smaller of read and write capacity (a tenant's mix is unknown before it runs). */
export function addedUtilisation(pool: Pick<PoolCandidate, "readUnitsPerSec" | "writeUnitsPerSec">, unitsPerSec: number): number {
  const capacity = Math.min(pool.readUnitsPerSec, pool.writeUnitsPerSec);
  return capacity > 0 ? unitsPerSec / capacity : Infinity;
}

export function choosePool(
  candidates: PoolCandidate[],
  region: string,
  planRatePerSec: number,
  options: PlacementOptions = defaultPlacementOptions,
): PlacementResult {
  const units = expectedUnitsPerSec(planRatePerSec, options);
  const considered = candidates
    .filter((pool) => pool.region === region)
    .map((pool) => ({
      storageInstanceId: pool.storageInstanceId,
      utilisationBefore: pool.p95Utilisation,
      utilisationAfter: pool.p95Utilisation + addedUtilisation(pool, units),
      tenantCount: pool.tenantCount,
    }))
    .sort(
      (a, b) =>
        a.utilisationAfter - b.utilisationAfter || a.tenantCount - b.tenantCount || a.storageInstanceId.localeCompare(b.storageInstanceId),
    )
    .map(({ tenantCount: _count, ...choice }) => choice);
  const best = considered[0];
  if (!best) {
    return {
      ok: false,
      reason: `No active pool in ${region}. Create a pool there, or onboard the tenant as a silo.`,
      considered,
      expectedUnitsPerSec: units,
    };
  }
  if (best.utilisationAfter > options.ceiling) {
    return {
      ok: false,
      reason:
        `No pool in ${region} has room for ${formatUnits(units)} more capacity units/s: the emptiest, ${best.storageInstanceId}, ` +
        `would reach ${percent(best.utilisationAfter)} of its capacity at its 24 h p95 (the ceiling is ${percent(options.ceiling)}). ` +
        "Create a new pool, or onboard the tenant as a silo.",
      considered,
      expectedUnitsPerSec: units,
    };
  }
  return { ok: true, choice: best, considered, expectedUnitsPerSec: units };
}

/** The q-th quantile (0..1) of the finite values; 0 when there are none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const percent = (value: number) => `${Math.round(value * 100)} %`;
const formatUnits = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));
