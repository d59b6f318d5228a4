// What the cost pages read: the month's rolled-up usage (summed in SQL, one
// row per tenant and placement), backup storage held, plans, instances and
// the price overrides; then the pure estimate (lib/cost/estimate.ts).
import "server-only";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../db/client";
import {
  dailyCosts,
  estimateFleet,
  weekOverWeek,
  type DayCost,
  type DayUsage,
  type EstimateInput,
  type FleetEstimate,
  type InstanceEstimate,
  type InstanceWithAge,
  type TenantEstimate,
} from "./estimate";
import { monthOf, type BackupHeld, type PlacementUsage } from "./formulas";
import { regionPrices, unitRates, type Override, type RegionPrices, type UnitRates } from "./prices";
import type { CostSettings } from "./settings";

const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function listPriceOverrides(db: Db): Promise<Override[]> {
  return db.priceOverride.findMany({
    select: { region: true, item: true, usd: true, reason: true, setByEmail: true, updatedAt: true },
    orderBy: [{ region: "asc" }, { item: "asc" }],
  });
}

/** The effective prices of each region asked for, and the per-unit rates the formulas use (memoised per region). */
export function pricing(overrides: readonly Override[]): { pricesOf(region: string): RegionPrices; ratesOf(region: string): UnitRates } {
  const prices = new Map<string, RegionPrices>();
  const rates = new Map<string, UnitRates>();
  const pricesOf = (region: string) => {
    let found = prices.get(region);
    if (!found) prices.set(region, (found = regionPrices(region, overrides)));
    return found;
  };
  return {
    pricesOf,
    ratesOf(region) {
      let found = rates.get(region);
      if (!found) rates.set(region, (found = unitRates(pricesOf(region))));
      return found;
    },
  };
}

/** The month so far per tenant and placement, summed in the database (optionally only some instances' tenants). */
export async function monthUsage(db: Db, startMs: number, endMs: number, instanceIds?: readonly string[]): Promise<PlacementUsage[]> {
  const only = instanceIds ? Prisma.sql`AND "storageInstanceId" = ANY(${[...instanceIds]}::text[])` : Prisma.empty;
  const rows = await db.$queryRaw<PlacementUsage[]>`
    SELECT "tenantId", "storageInstanceId",
      sum("readUnits")::float8 AS "readUnits", sum("writeUnits")::float8 AS "writeUnits", sum("requests")::float8 AS "requests",
      sum("storedBytes" * "coveredHours")::float8 AS "byteHours", sum("storedItems" * "coveredHours")::float8 AS "itemHours",
      sum("coveredHours")::float8 AS "coveredHours"
    FROM "TenantUsageDay"
    WHERE "day" >= ${isoDay(startMs)}::date AND "day" < ${isoDay(endMs)}::date ${only}
    GROUP BY "tenantId", "storageInstanceId"`;
  return rows;
}

/** Backup storage each tenant's copies hold within the month (complete backups, and expired ones until they expired). */
export async function backupsHeld(
  db: Db,
  month: { startMs: number; endMs: number; nowMs: number },
  tenantIds?: readonly string[],
): Promise<Map<string, BackupHeld[]>> {
  const start = new Date(month.startMs);
  const end = new Date(month.endMs);
  const now = new Date(month.nowMs);
  const only = tenantIds ? Prisma.sql`AND bt."tenantId" = ANY(${[...tenantIds]}::text[])` : Prisma.empty;
  const rows = await db.$queryRaw<{ tenantId: string; region: string; soFar: number; whole: number }[]>`
    SELECT bt."tenantId", b.region,
      sum(bt.bytes::float8 * GREATEST(0, EXTRACT(EPOCH FROM (
        LEAST(COALESCE(b."expiresAt", 'infinity'::timestamp), ${now}::timestamp) - GREATEST(b."startedAt", ${start}::timestamp))) / 3600))::float8 AS "soFar",
      sum(bt.bytes::float8 * GREATEST(0, EXTRACT(EPOCH FROM (
        LEAST(COALESCE(b."expiresAt", 'infinity'::timestamp), ${end}::timestamp) - GREATEST(b."startedAt", ${start}::timestamp))) / 3600))::float8 AS "whole"
    FROM "BackupTenant" bt JOIN "Backup" b ON b.id = bt."backupId"
    WHERE b.status IN ('complete', 'expired') AND b."startedAt" < ${end}::timestamp
      AND (b."expiresAt" IS NULL OR b."expiresAt" > ${start}::timestamp) ${only}
    GROUP BY bt."tenantId", b.region`;
  const held = new Map<string, BackupHeld[]>();
  for (const row of rows) {
    const list = held.get(row.tenantId) ?? [];
    list.push({ region: row.region, byteHoursSoFar: row.soFar, byteHoursMonth: row.whole });
    held.set(row.tenantId, list);
  }
  return held;
}

const instanceSelect = {
  id: true,
  mode: true,
  capacityMode: true,
  readUnitsPerSec: true,
  writeUnitsPerSec: true,
  region: true,
  status: true,
  createdAt: true,
} as const;

function withAge(instance: {
  id: string;
  mode: "pool" | "silo";
  capacityMode: "provisioned" | "on_demand";
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  region: string;
  status: string;
  createdAt: Date;
}): InstanceWithAge {
  const { createdAt, ...rest } = instance;
  return { ...rest, createdAtMs: createdAt.getTime() };
}

export interface CostContext {
  pricesOf(region: string): RegionPrices;
  ratesOf(region: string): UnitRates;
  overrides: Override[];
}

/** Everything the fleet estimate needs, read in parallel; `timings` says how long the reads took (for the benchmark). */
export async function loadEstimateInput(
  db: Db,
  nowMs: number,
  settings: Pick<CostSettings, "pointInTime" | "rollsPerDay">,
  scope: { tenantIds?: string[]; instanceIds?: string[] } = {},
): Promise<{ input: EstimateInput; context: CostContext }> {
  const month = monthOf(nowMs);
  const [tenants, instances, usage, backups, overrides] = await Promise.all([
    db.tenant.findMany({
      where: scope.tenantIds ? { id: { in: scope.tenantIds } } : undefined,
      select: { id: true, name: true, status: true, planId: true, plan: { select: { name: true, priceCentsPerMonth: true } } },
    }),
    db.storageInstance.findMany({ where: scope.instanceIds ? { id: { in: scope.instanceIds } } : undefined, select: instanceSelect }),
    monthUsage(db, month.startMs, month.endMs, scope.instanceIds),
    backupsHeld(db, { ...month, nowMs }, scope.tenantIds),
    listPriceOverrides(db),
  ]);
  const { pricesOf, ratesOf } = pricing(overrides);
  return {
    input: {
      nowMs,
      tenants: tenants.map((t) => ({
        id: t.id,
        name: t.name,
        status: t.status,
        planId: t.planId,
        planName: t.plan.name,
        planPriceCents: t.plan.priceCentsPerMonth,
      })),
      instances: instances.map(withAge),
      usage,
      backups,
      ratesOf,
      pointInTime: settings.pointInTime,
      rollsPerDay: settings.rollsPerDay,
    },
    context: { pricesOf, ratesOf, overrides },
  };
}

export async function loadFleetEstimate(
  db: Db,
  settings: Pick<CostSettings, "pointInTime" | "rollsPerDay">,
  nowMs = Date.now(),
): Promise<{ estimate: FleetEstimate; context: CostContext; rollup: RollupStatus }> {
  const [{ input, context }, rollup] = await Promise.all([loadEstimateInput(db, nowMs, settings), rollupStatus(db, nowMs)]);
  return { estimate: estimateFleet(input), context, rollup };
}

export interface RollupStatus {
  /** When usage was last rolled up (null: never). */
  lastRolledAt: Date | null;
  /** Days of this month with rolled-up usage. */
  daysThisMonth: number;
}

export async function rollupStatus(db: Db, nowMs: number): Promise<RollupStatus> {
  const month = monthOf(nowMs);
  const [latest, days] = await Promise.all([
    db.tenantUsageDay.aggregate({ _max: { updatedAt: true } }),
    db.tenantUsageDay.groupBy({ by: ["day"], where: { day: { gte: new Date(month.startMs), lt: new Date(month.endMs) } } }),
  ]);
  return { lastRolledAt: latest._max.updatedAt, daysThisMonth: days.length };
}

export interface TenantCost {
  estimate: TenantEstimate;
  /** The last 30 days, one entry per day with rolled-up usage. */
  days: DayCost[];
  trend: ReturnType<typeof weekOverWeek>;
  instances: InstanceEstimate[];
  prices: RegionPrices[];
  rollup: RollupStatus;
}

/** One tenant's month (so far, projected, by line), its daily cost over the last 30 days and the week-over-week trend. */
export async function loadTenantCost(
  db: Db,
  tenantId: string,
  settings: Pick<CostSettings, "pointInTime" | "rollsPerDay">,
  nowMs = Date.now(),
): Promise<TenantCost | null> {
  const from = Math.floor(nowMs / dayMs) * dayMs - 29 * dayMs;
  const [tenant, placements] = await Promise.all([
    db.tenant.findUnique({ where: { id: tenantId }, select: { storageInstanceId: true, bridgeInstanceId: true } }),
    db.tenantUsageDay.findMany({
      where: { tenantId, day: { gte: new Date(Math.min(from, monthOf(nowMs).startMs)) } },
      select: { storageInstanceId: true },
      distinct: ["storageInstanceId"],
    }),
  ]);
  if (!tenant) return null;
  const instanceIds = [
    ...new Set([tenant.storageInstanceId, tenant.bridgeInstanceId, ...placements.map((p) => p.storageInstanceId)]),
  ].filter((id): id is string => !!id);
  const [{ input, context }, dayRows, dayTotals, rollup] = await Promise.all([
    loadEstimateInput(db, nowMs, settings, { tenantIds: [tenantId], instanceIds }),
    db.tenantUsageDay.findMany({ where: { tenantId, day: { gte: new Date(from) } }, orderBy: { day: "asc" } }),
    db.tenantUsageDay.groupBy({
      by: ["storageInstanceId", "day"],
      where: { storageInstanceId: { in: instanceIds }, day: { gte: new Date(from) } },
      _sum: { readUnits: true, writeUnits: true },
    }),
    rollupStatus(db, nowMs),
  ]);
  const estimate = estimateFleet(input);
  const instances = new Map(input.instances.map((i) => [i.id, i]));
  const days: DayUsage[] = dayRows.map((row) => ({
    day: isoDay(row.day.getTime()),
    tenantId,
    storageInstanceId: row.storageInstanceId,
    readUnits: row.readUnits,
    writeUnits: row.writeUnits,
    requests: row.requests,
    byteHours: row.storedBytes * row.coveredHours,
    itemHours: row.storedItems * row.coveredHours,
    coveredHours: row.coveredHours,
  }));
  const totals = new Map(
    dayTotals.map((t) => [
      `${t.storageInstanceId}/${isoDay(t.day.getTime())}`,
      { read: t._sum.readUnits ?? 0, write: t._sum.writeUnits ?? 0 },
    ]),
  );
  const daily = dailyCosts(days, totals, instances, context.ratesOf, { nowMs, ...settings });
  const regions = [...new Set(input.instances.map((i) => i.region))];
  return {
    estimate: estimate.tenants[0]!,
    days: daily,
    trend: weekOverWeek(daily, isoDay(nowMs)),
    instances: estimate.instances,
    prices: regions.map((region) => context.pricesOf(region)),
    rollup,
  };
}

export interface InstanceCost {
  instance: InstanceEstimate;
  /** Its tenants with what they cost on it, most expensive first. */
  tenants: { tenantId: string; name: string; soFar: number; projected: number }[];
  prices: RegionPrices;
}

/** An instance's month: its total, the unallocated capacity, and its tenants' shares (costs on this instance only). */
export async function loadInstanceCost(
  db: Db,
  instanceId: string,
  settings: Pick<CostSettings, "pointInTime" | "rollsPerDay">,
  nowMs = Date.now(),
): Promise<InstanceCost | null> {
  const month = monthOf(nowMs);
  const tenantRows = await db.tenantUsageDay.findMany({
    where: { storageInstanceId: instanceId, day: { gte: new Date(month.startMs), lt: new Date(month.endMs) } },
    select: { tenantId: true },
    distinct: ["tenantId"],
  });
  const tenantIds = tenantRows.map((row) => row.tenantId);
  const { input, context } = await loadEstimateInput(db, nowMs, settings, { tenantIds, instanceIds: [instanceId] });
  // Backups are the tenant's, not the instance's: left out here.
  const estimate = estimateFleet({ ...input, backups: new Map() });
  const instance = estimate.instances.find((i) => i.id === instanceId);
  if (!instance) return null;
  return {
    instance,
    tenants: estimate.tenants
      .map((t) => ({ tenantId: t.id, name: t.name, soFar: t.soFar, projected: t.projected }))
      .sort((a, b) => b.projected - a.projected),
    prices: context.pricesOf(instance.region),
  };
}
