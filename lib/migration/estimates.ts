// What a migration will cost, before it starts: how fast the copy may go
// without taking co-tenants' headroom, how long it should take and how long
// writes should be frozen. Pure; the figures come from plan.ts.
import { quantile } from "../placement/placement";

/** Above this p95 utilisation an instance's co-tenants have no headroom to give a copy. */
export const headroomCeiling = 0.8;
/** The copy rate suggested when an instance has no measured headroom: slow but moving. */
export const minimumCopyRatePerSec = 50;

export interface InstanceLoad {
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  /** The busier of reads and writes, 24 h p95, as a fraction of capacity. */
  p95Utilisation: number;
}

/** DynamoDB's units: a strongly consistent read of 4 KB and a write of 1 KB each cost one. */
export function readUnitsPerItem(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 4096));
}

export function writeUnitsPerItem(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 1024));
}

/**
 * Items per second the copy may write: `share` of what is left under the
 * ceiling on the source (reads) and on the target (writes), whichever is less.
 */
export function suggestedCopyRate(source: InstanceLoad, target: InstanceLoad, itemBytes: number, share: number): number {
  const spare = (load: InstanceLoad, units: number) => Math.max(0, headroomCeiling - load.p95Utilisation) * units;
  const byReads = (spare(source, source.readUnitsPerSec) * share) / readUnitsPerItem(itemBytes);
  const byWrites = (spare(target, target.writeUnitsPerSec) * share) / writeUnitsPerItem(itemBytes);
  return Math.max(minimumCopyRatePerSec, Math.floor(Math.min(byReads, byWrites)));
}

export interface PastMigration {
  copyItemsPerSec: number | null;
  verifyItemsPerSec: number | null;
  freezeMs: number | null;
}

export interface MigrationEstimate {
  copySeconds: number;
  totalSeconds: number;
  freezeMs: number;
  /** True when the figures come from migrations measured on this fleet, false when they are defaults. */
  measured: boolean;
}

const defaults = { copyItemsPerSec: 5_000, verifyItemsPerSec: 20_000, freezeMs: 1_000, fixedSeconds: 3 };

/** Duration and freeze from the medians of past migrations (the copy no faster than its cap). */
export function estimateMigration(items: number, copyRatePerSec: number, past: readonly PastMigration[]): MigrationEstimate {
  const median = (values: (number | null)[], fallback: number) => {
    const known = values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
    return known.length ? quantile(known, 0.5) : fallback;
  };
  const copyRate = Math.min(
    median(
      past.map((p) => p.copyItemsPerSec),
      defaults.copyItemsPerSec,
    ),
    copyRatePerSec > 0 ? copyRatePerSec : Infinity,
  );
  const verifyRate = median(
    past.map((p) => p.verifyItemsPerSec),
    defaults.verifyItemsPerSec,
  );
  const copySeconds = items / copyRate;
  return {
    copySeconds,
    totalSeconds: defaults.fixedSeconds + copySeconds + items / verifyRate,
    freezeMs: median(
      past.map((p) => p.freezeMs),
      defaults.freezeMs,
    ),
    measured: past.some((p) => p.freezeMs !== null),
  };
}
