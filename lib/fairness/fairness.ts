// Fairness on a shared storage instance (docs/fairness.md). Pure functions
// over measured series; no I/O.
//
// Consumption is a tenant's draw on the instance's capacity:
//   c = read units / read capacity + write units / write capacity
// so reads and writes weigh by how scarce each is on that instance.
// Entitlement (fair share) is the tenant's plan rate over the sum of the plan
// rates of every tenant on the instance: what its plan promises, relative to
// what the instance has promised everyone. x = share / fair share; 1 is fair.

/** Jain's index over x: (Σx)² / (n·Σx²); 1 when all equal, 1/n when one takes all. */
export function jainIndex(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return 1;
  let sum = 0;
  let squares = 0;
  for (const x of xs) {
    sum += x;
    squares += x * x;
  }
  return squares === 0 ? 1 : (sum * sum) / (n * squares);
}

export interface TenantUsage {
  tenantId: string;
  /** The plan's rate limit, requests per second: the tenant's entitlement weight. */
  planRatePerSec: number;
  readUnits: number[];
  writeUnits: number[];
  requests: number[];
  throttled: number[];
  capacityThrottled: number[];
  /** p99 latency per period, ms; NaN where the tenant made no requests. */
  latencyP99: number[];
}

export interface InstanceUsage {
  storageInstanceId: string;
  periodSeconds: number;
  timestamps: number[];
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  tenants: TenantUsage[];
}

export interface TenantFairness {
  tenantId: string;
  consumption: number;
  share: number;
  fairShare: number;
  /** share / fair share */
  ratio: number;
  requests: number;
  throttleRatio: number;
  capacityThrottleRatio: number;
  latencyP99Max: number;
}

export interface InstanceFairness {
  storageInstanceId: string;
  tenants: TenantFairness[];
  jain: number;
  /** How unevenly the active tenants fare: p90 over p10 of their x ({@link activeSpread}). */
  spread: ActiveSpread;
  /** Mean and peak of the busier of read and write utilisation per period, 0..1 (a throttled instance sits at 1). */
  utilisationMean: number;
  utilisationPeak: number;
  jainOverTime: number[];
  utilisationOverTime: number[];
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Per period, each tenant's draw on capacity (fraction of one period's capacity). */
export function consumptionSeries(instance: InstanceUsage): number[][] {
  const readCapacity = instance.readUnitsPerSec * instance.periodSeconds;
  const writeCapacity = instance.writeUnitsPerSec * instance.periodSeconds;
  return instance.tenants.map((t) =>
    instance.timestamps.map(
      (_, i) =>
        (readCapacity > 0 ? (t.readUnits[i] ?? 0) / readCapacity : 0) + (writeCapacity > 0 ? (t.writeUnits[i] ?? 0) / writeCapacity : 0),
    ),
  );
}

/** Either kind running out throttles everyone, so utilisation is the busier of reads and writes over capacity, per period. */
export function busierUtilisation(
  readUnits: readonly number[],
  writeUnits: readonly number[],
  capacity: { readUnitsPerSec: number; writeUnitsPerSec: number },
  periodSeconds: number,
): number[] {
  const readCapacity = capacity.readUnitsPerSec * periodSeconds;
  const writeCapacity = capacity.writeUnitsPerSec * periodSeconds;
  return readUnits.map((read, p) =>
    Math.max(readCapacity > 0 ? read / readCapacity : 0, writeCapacity > 0 ? (writeUnits[p] ?? 0) / writeCapacity : 0),
  );
}

/** The instance's utilisation per period, from its tenants' units. */
export function instanceUtilisation(instance: InstanceUsage): number[] {
  const reads = instance.timestamps.map(() => 0);
  const writes = instance.timestamps.map(() => 0);
  for (const t of instance.tenants) {
    for (let p = 0; p < reads.length; p++) {
      reads[p]! += t.readUnits[p] ?? 0;
      writes[p]! += t.writeUnits[p] ?? 0;
    }
  }
  return busierUtilisation(reads, writes, instance, instance.periodSeconds);
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
}

/** Percentile of sorted values, interpolating linearly between the nearest ranks (p in 0..1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/**
 * A tenant counts towards the spread when it used at least this fraction of its fair share (x ≥ 0.1):
 * a near-idle tenant is not harmed by getting little, and dividing by its x (0.001 and less) is what made
 * the former max/min read thousands × on quiet pools.
 */
export const activeShareFloor = 0.1;

export interface ActiveSpread {
  /** p90 over p10 of x among active tenants; 1 with fewer than two of them. */
  ratio: number;
  /** Tenants at or above {@link activeShareFloor}. */
  activeTenants: number;
}

/** How unevenly a pool's active tenants fare against their entitlement: p90 / p10 of their x. */
export function activeSpread(ratios: readonly number[], floor = activeShareFloor): ActiveSpread {
  const active = ratios.filter((x) => Number.isFinite(x) && x >= floor).sort((a, b) => a - b);
  if (active.length < 2) return { ratio: 1, activeTenants: active.length };
  return { ratio: percentile(active, 0.9) / percentile(active, 0.1), activeTenants: active.length };
}

export function fairShares(tenants: readonly Pick<TenantUsage, "planRatePerSec">[]): number[] {
  const total = sum(tenants.map((t) => t.planRatePerSec));
  return tenants.map((t) => (total > 0 ? t.planRatePerSec / total : 1 / tenants.length));
}

export function analyseInstance(instance: InstanceUsage): InstanceFairness {
  const consumption = consumptionSeries(instance);
  const fair = fairShares(instance.tenants);
  const totals = consumption.map(sum);
  const grand = sum(totals);
  const tenants = instance.tenants.map((t, i): TenantFairness => {
    const requests = sum(t.requests);
    const share = grand > 0 ? totals[i]! / grand : 0;
    const latencies = t.latencyP99.filter((v) => Number.isFinite(v));
    return {
      tenantId: t.tenantId,
      consumption: totals[i]!,
      share,
      fairShare: fair[i]!,
      ratio: fair[i]! > 0 ? share / fair[i]! : 0,
      requests,
      throttleRatio: requests > 0 ? sum(t.throttled) / requests : 0,
      capacityThrottleRatio: requests > 0 ? sum(t.capacityThrottled) / requests : 0,
      latencyP99Max: latencies.length ? Math.max(...latencies) : NaN,
    };
  });
  const utilisationOverTime = instanceUtilisation(instance);
  const jainOverTime = instance.timestamps.map((_, p) => {
    const periodTotal = sum(consumption.map((c) => c[p]!));
    return periodTotal > 0 ? jainIndex(consumption.map((c, i) => c[p]! / periodTotal / fair[i]!)) : 1;
  });
  return {
    storageInstanceId: instance.storageInstanceId,
    tenants,
    jain: jainIndex(tenants.map((t) => t.ratio)),
    spread: activeSpread(tenants.map((t) => t.ratio)),
    utilisationMean: utilisationOverTime.length ? sum(utilisationOverTime) / utilisationOverTime.length : 0,
    utilisationPeak: utilisationOverTime.length ? Math.max(...utilisationOverTime) : 0,
    jainOverTime,
    utilisationOverTime,
  };
}
