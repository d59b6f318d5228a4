// The cost formulas: what one tenant's consumption on one storage instance
// costs over a period, in US dollars, line by line. Pure: the inputs are the
// rolled-up usage (TenantUsageDay), the instance, and the unit rates of its
// region. docs/costs.md#formulas works examples through them; so do the tests.
import { bytesPerGb, itemOverheadBytes, type UnitRates } from "./prices";
import { tenantMetrics } from "../metrics/contract";

export const costLines = ["reads", "writes", "storage", "pointInTime", "backups", "metrics"] as const;
export type CostLine = (typeof costLines)[number];
export type CostLines = Record<CostLine, number>;

export const costLineLabels: Record<CostLine, string> = {
  reads: "Reads",
  writes: "Writes",
  storage: "Storage",
  pointInTime: "Point-in-time recovery",
  backups: "Backups",
  metrics: "CloudWatch metrics",
};

/** Metric series the data plane publishes per tenant and placement (the metric contract's per-tenant metrics). */
export const metricsPerPlacement = Object.keys(tenantMetrics).length;
/** The data-plane library flushes once a minute: one datum per metric per minute. */
export const datumsPerMetricHour = 60;
/** PutMetricData carries at most 1,000 datums: the fewest requests a tenant's datums can take. */
export const datumsPerPutRequest = 1000;
/** Metrics the usage rollup requests per tenant and placement each time it rolls (lib/cost/rollup.ts). */
export const rollupMetricsPerPlacement = 5;

export function zeroLines(): CostLines {
  return { reads: 0, writes: 0, storage: 0, pointInTime: 0, backups: 0, metrics: 0 };
}

export function totalOf(lines: CostLines): number {
  return costLines.reduce((sum, line) => sum + lines[line], 0);
}

export function addLines(into: CostLines, add: CostLines, factor = 1): CostLines {
  for (const line of costLines) into[line] += add[line] * factor;
  return into;
}

/** A tenant's consumption on one instance over a period, summed from its daily rollups. */
export interface PlacementUsage {
  tenantId: string;
  storageInstanceId: string;
  readUnits: number;
  writeUnits: number;
  requests: number;
  /** Σ over the period's days of mean stored bytes × hours measured that day. */
  byteHours: number;
  /** Σ over the period's days of mean stored items × hours measured that day. */
  itemHours: number;
  /** Hours of the period with the tenant's metrics measured. */
  coveredHours: number;
}

export interface InstanceForCost {
  id: string;
  capacityMode: "provisioned" | "on_demand";
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  region: string;
}

/** The instance's side of the apportioning, over the same period as the usage. */
export interface InstanceShareBasis {
  /** Read and write units every tenant on the instance consumed in the period. */
  totalReadUnits: number;
  totalWriteUnits: number;
  /** Hours of the period the instance's capacity was billed (it existed). */
  capacityHours: number;
}

export interface CostPeriod {
  /** Hours in the calendar month the period belongs to (a GB-month or metric-month is this many hours). */
  hoursInMonth: number;
  /** Hours from now to the month's end (0 for a period already over). */
  remainingHours: number;
  /** Point-in-time recovery is on for the tables (BACKUP_POINT_IN_TIME=on). */
  pointInTime: boolean;
  /** How often a day the rollup reads a tenant's metrics (its completed-day roll and today's partial rolls). */
  rollsPerDay: number;
}

/** Provisioned capacity's cost over `hours`: read and write units per second billed per unit-hour. */
export function capacityCost(instance: InstanceForCost, rates: UnitRates, hours: number): { reads: number; writes: number } {
  return { reads: instance.readUnitsPerSec * hours * rates.readUnitHour, writes: instance.writeUnitsPerSec * hours * rates.writeUnitHour };
}

/** The tenant's share of what all tenants of the instance consumed; 0 when nobody consumed anything. */
export function consumptionShare(units: number, totalUnits: number): number {
  return totalUnits > 0 ? Math.min(1, units / totalUnits) : 0;
}

/** GB-months of storage: (bytes + items × overhead) held for hours, over the month's hours. */
export function gbMonths(byteHours: number, itemHours: number, hoursInMonth: number): number {
  return (byteHours + itemHours * itemOverheadBytes) / bytesPerGb / hoursInMonth;
}

export interface PlacementCost {
  /** What the period cost so far. */
  soFar: CostLines;
  /** The month's projection: measured rates carried on over the hours left, capacity billed to the month's end. */
  projected: CostLines;
  /** Read and write shares of the instance (provisioned instances only; 1 on-demand, where each pays for its own). */
  readShare: number;
  writeShare: number;
}

/**
 * One tenant on one instance. On demand: the units it consumed at the request-unit prices. Provisioned: the
 * instance's capacity cost for the period apportioned by the tenant's share of the units consumed on it (reads and
 * writes apart). Storage, point-in-time recovery: the tenant's own bytes plus 100 bytes per item, as GB-months.
 * CloudWatch: the tenant's metric series (pro-rated by the hours they were published), the PutMetricData requests
 * its datums need at the least, and the metrics the rollup requests for it.
 */
export function placementCost(
  usage: PlacementUsage,
  instance: InstanceForCost,
  basis: InstanceShareBasis,
  rates: UnitRates,
  period: CostPeriod,
) {
  const soFar = zeroLines();
  const projected = zeroLines();
  // Usage-driven lines carry the measured hourly rate over the hours left.
  const rateFactor = usage.coveredHours > 0 ? 1 + period.remainingHours / usage.coveredHours : 1;
  let readShare = 1;
  let writeShare = 1;
  if (instance.capacityMode === "on_demand") {
    soFar.reads = usage.readUnits * rates.readUnit;
    soFar.writes = usage.writeUnits * rates.writeUnit;
    projected.reads = soFar.reads * rateFactor;
    projected.writes = soFar.writes * rateFactor;
  } else {
    readShare = consumptionShare(usage.readUnits, basis.totalReadUnits);
    writeShare = consumptionShare(usage.writeUnits, basis.totalWriteUnits);
    const past = capacityCost(instance, rates, basis.capacityHours);
    const month = capacityCost(instance, rates, basis.capacityHours + period.remainingHours);
    soFar.reads = past.reads * readShare;
    soFar.writes = past.writes * writeShare;
    projected.reads = month.reads * readShare;
    projected.writes = month.writes * writeShare;
  }
  const stored = gbMonths(usage.byteHours, usage.itemHours, period.hoursInMonth);
  soFar.storage = stored * rates.storageGbMonth;
  soFar.pointInTime = period.pointInTime ? stored * rates.pointInTimeGbMonth : 0;
  const metricMonths = (metricsPerPlacement * usage.coveredHours) / period.hoursInMonth;
  const putRequests = (metricsPerPlacement * datumsPerMetricHour * usage.coveredHours) / datumsPerPutRequest;
  const metricsRequested = (rollupMetricsPerPlacement * period.rollsPerDay * usage.coveredHours) / 24;
  soFar.metrics = metricMonths * rates.metricMonth + putRequests * rates.putRequest + metricsRequested * rates.metricRequested;
  projected.storage = soFar.storage * rateFactor;
  projected.pointInTime = soFar.pointInTime * rateFactor;
  projected.metrics = soFar.metrics * rateFactor;
  return { soFar, projected, readShare, writeShare } satisfies PlacementCost;
}

/** A backup's copy of the tenant (BackupTenant.bytes) and the time it is kept. */
export interface TenantBackupCopy {
  bytes: number;
  region: string;
  startedAt: number;
  /** When it is deleted; null: kept until someone deletes it. */
  expiresAt: number | null;
}

/** Byte-hours of backup storage in a region: a tenant's copies there, summed (the catalog sums them in SQL for the fleet). */
export interface BackupHeld {
  region: string;
  /** Bytes × hours kept, from the month's start until now. */
  byteHoursSoFar: number;
  /** Bytes × hours kept within the whole month (until expiry or the month's end). */
  byteHoursMonth: number;
}

const hourMs = 3_600_000;

function overlapHours(fromMs: number, toMs: number, startMs: number, endMs: number): number {
  return Math.max(0, Math.min(toMs, endMs) - Math.max(fromMs, startMs)) / hourMs;
}

/** What one copy holds within the month: its bytes × the hours it is kept, so far and to the month's end. */
export function backupHeld(copy: TenantBackupCopy, month: { startMs: number; endMs: number; nowMs: number }): BackupHeld {
  const kept = copy.expiresAt ?? Infinity;
  return {
    region: copy.region,
    byteHoursSoFar: copy.bytes * overlapHours(month.startMs, month.nowMs, copy.startedAt, kept),
    byteHoursMonth: copy.bytes * overlapHours(month.startMs, month.endMs, copy.startedAt, kept),
  };
}

/** Backup storage: GB-months held (byte-hours ÷ 2^30 ÷ the month's hours) at each region's backup price. */
export function backupCost(
  held: readonly BackupHeld[],
  ratesOf: (region: string) => UnitRates,
  hoursInMonth: number,
): { soFar: number; projected: number } {
  let soFar = 0;
  let projected = 0;
  for (const h of held) {
    const price = ratesOf(h.region).backupGbMonth;
    soFar += (h.byteHoursSoFar / bytesPerGb / hoursInMonth) * price;
    projected += (h.byteHoursMonth / bytesPerGb / hoursInMonth) * price;
  }
  return { soFar, projected };
}

/** The calendar month (UTC) around a time: its start, end, and how many hours it has. */
export function monthOf(nowMs: number): { startMs: number; endMs: number; hours: number; days: number } {
  const now = new Date(nowMs);
  const startMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const endMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return { startMs, endMs, hours: (endMs - startMs) / hourMs, days: (endMs - startMs) / (24 * hourMs) };
}

/** Rolls a day: the completed-day roll plus today's partial rolls every `minutes`. */
export function rollsPerDay(partialEveryMinutes: number): number {
  return 1 + Math.ceil(1440 / partialEveryMinutes);
}
