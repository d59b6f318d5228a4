// The fleet's cost estimate: every tenant's month so far and projection, its
// cost against its plan's price, and each instance's total, from the month's
// rolled-up usage. Pure and linear in tenants + placements: 10,000 tenants
// take about a quarter of a second (bench/cost.ts measures it).
import {
  addLines,
  backupCost,
  capacityCost,
  monthOf,
  placementCost,
  totalOf,
  zeroLines,
  type CostLines,
  type InstanceForCost,
  type PlacementUsage,
  type BackupHeld,
} from "./formulas";
import type { UnitRates } from "./prices";

const hourMs = 3_600_000;

export interface TenantForCost {
  id: string;
  name: string;
  status: string;
  planId: string;
  planName: string;
  /** What the SaaS charges a tenant on the plan a month, in cents; null: the plan is not priced. */
  planPriceCents: number | null;
}

export interface InstanceWithAge extends InstanceForCost {
  mode: "pool" | "silo";
  status: string;
  createdAtMs: number;
}

export interface EstimateInput {
  nowMs: number;
  tenants: readonly TenantForCost[];
  instances: readonly InstanceWithAge[];
  /** The month so far, per tenant and instance (summed rollups). */
  usage: readonly PlacementUsage[];
  /** Backup storage each tenant's copies hold this month, per region. */
  backups: ReadonlyMap<string, readonly BackupHeld[]>;
  ratesOf: (region: string) => UnitRates;
  pointInTime: boolean;
  rollsPerDay: number;
}

export interface TenantEstimate extends TenantForCost {
  soFar: number;
  projected: number;
  /** Projection ÷ plan price: above 1, the tenant costs more than its plan brings in (under-priced). Null: no price. */
  againstPlan: number | null;
  soFarLines: CostLines;
  projectedLines: CostLines;
  /** Instances it had consumption on this month. */
  instanceIds: string[];
  /** Hours of the month its metrics were measured (the projection's base). */
  measuredHours: number;
}

export interface InstanceEstimate {
  id: string;
  mode: "pool" | "silo";
  capacityMode: "provisioned" | "on_demand";
  region: string;
  status: string;
  tenants: number;
  soFar: number;
  projected: number;
  /** Provisioned capacity no tenant's consumption accounts for (an idle instance), so far and projected. */
  unallocatedSoFar: number;
  unallocatedProjected: number;
}

export interface FleetEstimate {
  nowMs: number;
  month: { startMs: number; endMs: number; hours: number };
  tenants: TenantEstimate[];
  instances: InstanceEstimate[];
  soFar: number;
  projected: number;
}

/** Hours of [monthStart, now] the instance existed: its capacity is billed for them. */
export function capacityHoursOf(createdAtMs: number, startMs: number, nowMs: number): number {
  return Math.max(0, nowMs - Math.max(startMs, createdAtMs)) / hourMs;
}

export function estimateFleet(input: EstimateInput): FleetEstimate {
  const month = monthOf(input.nowMs);
  const elapsedHours = (input.nowMs - month.startMs) / hourMs;
  const remainingHours = Math.max(0, month.hours - elapsedHours);
  const instances = new Map(input.instances.map((instance) => [instance.id, instance]));
  const totals = new Map<string, { read: number; write: number; tenants: number }>();
  for (const usage of input.usage) {
    const total = totals.get(usage.storageInstanceId) ?? { read: 0, write: 0, tenants: 0 };
    total.read += usage.readUnits;
    total.write += usage.writeUnits;
    total.tenants++;
    totals.set(usage.storageInstanceId, total);
  }
  const byTenant = new Map<string, TenantEstimate>();
  for (const tenant of input.tenants) {
    byTenant.set(tenant.id, {
      ...tenant,
      soFar: 0,
      projected: 0,
      againstPlan: null,
      soFarLines: zeroLines(),
      projectedLines: zeroLines(),
      instanceIds: [],
      measuredHours: 0,
    });
  }
  const instanceSums = new Map<string, { soFar: number; projected: number }>();
  const period = { hoursInMonth: month.hours, remainingHours, pointInTime: input.pointInTime, rollsPerDay: input.rollsPerDay };
  for (const usage of input.usage) {
    const tenant = byTenant.get(usage.tenantId);
    const instance = instances.get(usage.storageInstanceId);
    if (!tenant || !instance) continue;
    const total = totals.get(instance.id)!;
    const cost = placementCost(
      usage,
      instance,
      {
        totalReadUnits: total.read,
        totalWriteUnits: total.write,
        capacityHours: capacityHoursOf(instance.createdAtMs, month.startMs, input.nowMs),
      },
      input.ratesOf(instance.region),
      period,
    );
    addLines(tenant.soFarLines, cost.soFar);
    addLines(tenant.projectedLines, cost.projected);
    tenant.instanceIds.push(instance.id);
    tenant.measuredHours = Math.max(tenant.measuredHours, usage.coveredHours);
    const sums = instanceSums.get(instance.id) ?? { soFar: 0, projected: 0 };
    sums.soFar += totalOf(cost.soFar);
    sums.projected += totalOf(cost.projected);
    instanceSums.set(instance.id, sums);
  }
  for (const tenant of byTenant.values()) {
    const held = input.backups.get(tenant.id);
    if (held?.length) {
      const backups = backupCost(held, input.ratesOf, month.hours);
      tenant.soFarLines.backups += backups.soFar;
      tenant.projectedLines.backups += backups.projected;
    }
    tenant.soFar = totalOf(tenant.soFarLines);
    tenant.projected = totalOf(tenant.projectedLines);
    tenant.againstPlan = tenant.planPriceCents ? tenant.projected / (tenant.planPriceCents / 100) : null;
  }
  const instanceEstimates: InstanceEstimate[] = input.instances.map((instance) => {
    const sums = instanceSums.get(instance.id) ?? { soFar: 0, projected: 0 };
    const total = totals.get(instance.id);
    let unallocatedSoFar = 0;
    let unallocatedProjected = 0;
    if (instance.capacityMode === "provisioned" && instance.status !== "retired") {
      // Capacity whose reads (or writes) nobody consumed is the instance's own cost, not a tenant's.
      const hours = capacityHoursOf(instance.createdAtMs, month.startMs, input.nowMs);
      const past = capacityCost(instance, input.ratesOf(instance.region), hours);
      const whole = capacityCost(instance, input.ratesOf(instance.region), hours + remainingHours);
      if (!total?.read) {
        unallocatedSoFar += past.reads;
        unallocatedProjected += whole.reads;
      }
      if (!total?.write) {
        unallocatedSoFar += past.writes;
        unallocatedProjected += whole.writes;
      }
    }
    return {
      id: instance.id,
      mode: instance.mode,
      capacityMode: instance.capacityMode,
      region: instance.region,
      status: instance.status,
      tenants: total?.tenants ?? 0,
      soFar: sums.soFar + unallocatedSoFar,
      projected: sums.projected + unallocatedProjected,
      unallocatedSoFar,
      unallocatedProjected,
    };
  });
  const tenants = [...byTenant.values()];
  return {
    nowMs: input.nowMs,
    month,
    tenants,
    instances: instanceEstimates,
    soFar: tenants.reduce((sum, t) => sum + t.soFar, 0) + instanceEstimates.reduce((sum, i) => sum + i.unallocatedSoFar, 0),
    projected: tenants.reduce((sum, t) => sum + t.projected, 0) + instanceEstimates.reduce((sum, i) => sum + i.unallocatedProjected, 0),
  };
}

/** One day of one tenant's cost: the same formulas over the day, apportioned by that day's shares. */
export interface DayCost {
  day: string;
  usd: number;
  lines: CostLines;
  /** Hours the day's rollup measured the tenant (24 for a whole day; fewer for today, or where metrics were missing). */
  measuredHours: number;
}

export interface DayUsage extends PlacementUsage {
  /** "YYYY-MM-DD" (UTC). */
  day: string;
}

/**
 * The tenant's cost per day (its trend): each day's usage with the instance's totals of that day; capacity billed for
 * the hours of the day that passed. Backups are left out of the daily figures (the month's figure carries them).
 */
export function dailyCosts(
  days: readonly DayUsage[],
  instanceDayTotals: ReadonlyMap<string, { read: number; write: number }>,
  instances: ReadonlyMap<string, InstanceWithAge>,
  ratesOf: (region: string) => UnitRates,
  options: { nowMs: number; pointInTime: boolean; rollsPerDay: number },
): DayCost[] {
  const byDay = new Map<string, DayCost>();
  for (const usage of days) {
    const instance = instances.get(usage.storageInstanceId);
    if (!instance) continue;
    const dayStart = Date.parse(`${usage.day}T00:00:00Z`);
    const totals = instanceDayTotals.get(`${usage.storageInstanceId}/${usage.day}`) ?? { read: 0, write: 0 };
    const cost = placementCost(
      usage,
      instance,
      {
        totalReadUnits: totals.read,
        totalWriteUnits: totals.write,
        capacityHours: Math.max(0, Math.min(options.nowMs, dayStart + 24 * hourMs) - Math.max(dayStart, instance.createdAtMs)) / hourMs,
      },
      ratesOf(instance.region),
      { hoursInMonth: monthOf(dayStart).hours, remainingHours: 0, pointInTime: options.pointInTime, rollsPerDay: options.rollsPerDay },
    );
    const entry = byDay.get(usage.day) ?? { day: usage.day, usd: 0, lines: zeroLines(), measuredHours: 0 };
    addLines(entry.lines, cost.soFar);
    entry.usd = totalOf(entry.lines);
    entry.measuredHours = Math.max(entry.measuredHours, usage.coveredHours);
    byDay.set(usage.day, entry);
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** The trend: mean cost per whole day of the last 7 complete days against the 7 before; null without both weeks measured. */
export function weekOverWeek(days: readonly DayCost[], todayIso: string): { last: number; previous: number; change: number } | null {
  const complete = days.filter((d) => d.day < todayIso && d.measuredHours > 0);
  const last = complete.slice(-7);
  const previous = complete.slice(-14, -7);
  if (last.length === 0 || previous.length === 0) return null;
  const mean = (list: readonly DayCost[]) => list.reduce((sum, d) => sum + d.usd, 0) / list.length;
  const a = mean(last);
  const b = mean(previous);
  return { last: a, previous: b, change: b > 0 ? a / b - 1 : 0 };
}
