// What-if over measured history: replays each period's demand on the
// instance with one tenant removed (migrated) or capped (a lower plan), and
// predicts co-tenants' capacity throttling and the instance's fairness.
// Demand is reconstructed from what was measured: units served, scaled up by
// the share of the tenant's plan-admitted requests the instance refused.
import { fairShares, jainIndex, type InstanceUsage, type TenantUsage } from "./fairness";

export type Change = { kind: "remove"; tenantId: string } | { kind: "cap"; tenantId: string; ratePerSec: number };

export interface Prediction {
  /** Co-tenants' requests refused for capacity over the range. */
  coTenantCapacityThrottled: number;
  /** Jain's index of the instance over the range (tenants that remain). */
  jain: number;
  /** Peak utilisation of the busier of reads and writes. */
  peakUtilisation: number;
}

interface Demand {
  tenant: TenantUsage;
  read: number[];
  write: number[];
  admitted: number[];
}

function demands(instance: InstanceUsage): Demand[] {
  return instance.tenants.map((tenant) => {
    const admitted = tenant.requests.map((r, p) => r - ((tenant.throttled[p] ?? 0) - (tenant.capacityThrottled[p] ?? 0)));
    const servedFraction = admitted.map((a, p) => (a > 0 ? (a - (tenant.capacityThrottled[p] ?? 0)) / a : 1));
    const scale = (units: number, p: number) => (servedFraction[p]! > 0 ? units / servedFraction[p]! : units);
    return { tenant, read: tenant.readUnits.map(scale), write: tenant.writeUnits.map(scale), admitted };
  });
}

function replay(instance: InstanceUsage, all: Demand[], changed: ReadonlySet<string>): Prediction {
  const readCapacity = instance.readUnitsPerSec * instance.periodSeconds;
  const writeCapacity = instance.writeUnitsPerSec * instance.periodSeconds;
  const fair = fairShares(all.map((d) => d.tenant));
  const consumed = all.map(() => 0);
  let coTenantCapacityThrottled = 0;
  let peakUtilisation = 0;
  instance.timestamps.forEach((_, p) => {
    const read = all.reduce((s, d) => s + d.read[p]!, 0);
    const write = all.reduce((s, d) => s + d.write[p]!, 0);
    const readFraction = read > readCapacity && read > 0 ? readCapacity / read : 1;
    const writeFraction = write > writeCapacity && write > 0 ? writeCapacity / write : 1;
    peakUtilisation = Math.max(peakUtilisation, readCapacity > 0 ? read / readCapacity : 0, writeCapacity > 0 ? write / writeCapacity : 0);
    all.forEach((d, i) => {
      const servedRead = d.read[p]! * readFraction;
      const servedWrite = d.write[p]! * writeFraction;
      consumed[i]! += (readCapacity > 0 ? servedRead / readCapacity : 0) + (writeCapacity > 0 ? servedWrite / writeCapacity : 0);
      if (changed.has(d.tenant.tenantId)) return;
      const units = d.read[p]! + d.write[p]!;
      const servedShare = units > 0 ? (servedRead + servedWrite) / units : 1;
      coTenantCapacityThrottled += d.admitted[p]! * (1 - servedShare);
    });
  });
  const total = consumed.reduce((a, b) => a + b, 0);
  return {
    coTenantCapacityThrottled: Math.round(coTenantCapacityThrottled),
    jain: jainIndex(consumed.map((c, i) => (total > 0 && fair[i]! > 0 ? c / total / fair[i]! : 0))),
    peakUtilisation,
  };
}

/**
 * The instance as measured, and as it would have been with `change` (or all
 * of several changes at once). Co-tenants are the tenants not changed.
 */
export function predict(instance: InstanceUsage, change: Change | readonly Change[]): { before: Prediction; after: Prediction } {
  const changes = Array.isArray(change) ? (change as readonly Change[]) : [change as Change];
  const all = demands(instance);
  const changedIds = new Set(changes.map((c) => c.tenantId));
  const before = replay(instance, all, changedIds);
  let changed = all;
  for (const c of changes) changed = applyChange(instance, changed, c);
  return { before, after: replay(instance, changed, changedIds) };
}

function applyChange(instance: InstanceUsage, all: Demand[], change: Change): Demand[] {
  if (change.kind === "remove") return all.filter((d) => d.tenant.tenantId !== change.tenantId);
  const limit = change.ratePerSec * instance.periodSeconds;
  return all.map((d) => {
    if (d.tenant.tenantId !== change.tenantId) return d;
    const factor = d.admitted.map((a) => (a > limit && a > 0 ? limit / a : 1));
    return {
      ...d,
      read: d.read.map((u, p) => u * factor[p]!),
      write: d.write.map((u, p) => u * factor[p]!),
      admitted: d.admitted.map((a, p) => a * factor[p]!),
    };
  });
}

/** The tenant's peak demand as a fraction of an instance's capacity (the busier of reads and writes). */
export function peakDemandShare(
  instance: InstanceUsage,
  tenantId: string,
  capacity: { readUnitsPerSec: number; writeUnitsPerSec: number },
): number {
  const d = demands(instance).find((x) => x.tenant.tenantId === tenantId);
  if (!d) return 0;
  return Math.max(
    0,
    ...instance.timestamps.map((_, p) =>
      Math.max(
        capacity.readUnitsPerSec > 0 ? d.read[p]! / (capacity.readUnitsPerSec * instance.periodSeconds) : 0,
        capacity.writeUnitsPerSec > 0 ? d.write[p]! / (capacity.writeUnitsPerSec * instance.periodSeconds) : 0,
      ),
    ),
  );
}
