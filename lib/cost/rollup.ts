// The usage rollup, a worker duty: CloudWatch's per-tenant metrics summed into
// TenantUsageDay rows, so cost pages never read a month of metrics for the
// whole fleet. Each completed UTC day is rolled once (after it ended); today
// is rolled in part at most every COST_ROLLUP_TODAY_MINUTES; on its first run
// the duty fills in the month so far, a few days a run.
//
// What it costs (GetMetricData is billed per metric requested, $0.01 per
// 1,000 in us-east-1): 5 metrics per tenant and placement per roll, read at a
// 1-hour period (24 datapoints each, so 500 metrics fit one call). At 10,000
// tenants a roll requests 50,000 metrics in 100 calls: $0.50. With the default
// of a partial roll every 6 hours, a day has 4 partial rolls and 1 completed-day
// roll: 250,000 metrics, $2.50 a day, about $76 a month; the month-so-far
// backfill on the first run is up to 30 rolls once ($15). docs/costs.md#rollup.
//
// Safe in several workers at once: rows are upserted with what CloudWatch says
// (two workers rolling the same day write the same values); at worst a roll is
// paid twice.
import "server-only";
import type { Db } from "../db/client";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../metrics/contract";
import type { MetricQuery, MetricsRead, MetricsSource } from "../metrics/reader";
import { rollupMetricsPerPlacement } from "./formulas";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** Pairs rolled per batch of calls: 2,000 × 5 metrics = 20 GetMetricData calls, a bounded amount of memory. */
const pairsPerBatch = 2_000;
/** Completed days rolled per run: the month-so-far backfill spreads over several runs. */
const daysPerRun = 3;
/**
 * A day is rolled whole once an hour after it ended: datapoints of its last minutes arrive late (a flush a minute,
 * retries). The query in daysToRoll says the same hour in SQL.
 */
export const settleMs = hourMs;

const rolled = {
  requests: [tenantMetrics.requests.name, "Sum"],
  readUnits: [tenantMetrics.consumedReadUnits.name, "Sum"],
  writeUnits: [tenantMetrics.consumedWriteUnits.name, "Sum"],
  storedBytes: [tenantMetrics.storedBytes.name, "Average"],
  storedItems: [tenantMetrics.storedItems.name, "Average"],
} as const;
type Rolled = keyof typeof rolled;
const rolledKeys = Object.keys(rolled) as Rolled[];
if (rolledKeys.length !== rollupMetricsPerPlacement) throw new Error("rollupMetricsPerPlacement must count the rolled metrics");

export interface RollupSettings {
  /** Today is rolled in part at most this often. */
  todayEveryMinutes: number;
}

export interface RollupDeps {
  db: Db;
  metrics: MetricsSource;
  now(): number;
}

export interface Pair {
  tenantId: string;
  storageInstanceId: string;
}

export interface DayRoll {
  day: string;
  whole: boolean;
  pairs: number;
  calls: number;
  metricsRequested: number;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStartOf = (ms: number) => Math.floor(ms / dayMs) * dayMs;

/** One pair's day from the hourly series: sums, means of the gauges over measured hours, and the hours measured. */
export function summariseDay(
  read: MetricsRead,
  pair: Pair,
  range: { startMs: number; endMs: number },
): { requests: number; readUnits: number; writeUnits: number; storedBytes: number; storedItems: number; coveredHours: number } {
  const hoursWithData = new Map<number, number>();
  const sums: Record<Rolled, number> = { requests: 0, readUnits: 0, writeUnits: 0, storedBytes: 0, storedItems: 0 };
  const gaugeHours = { storedBytes: 0, storedItems: 0 };
  for (const metric of rolledKeys) {
    const series = read.series.get(keyOf(pair, metric));
    if (!series) continue;
    series.timestamps.forEach((t, i) => {
      if (t < range.startMs || t >= range.endMs) return;
      // The last hour of a partial day counts for the part of it that has passed.
      const length = Math.min(hourMs, range.endMs - t) / hourMs;
      hoursWithData.set(t, length);
      const value = series.values[i] ?? 0;
      if (metric === "storedBytes" || metric === "storedItems") {
        sums[metric] += value * length;
        gaugeHours[metric] += length;
      } else sums[metric] += value;
    });
  }
  const coveredHours = [...hoursWithData.values()].reduce((a, b) => a + b, 0);
  return {
    requests: sums.requests,
    readUnits: sums.readUnits,
    writeUnits: sums.writeUnits,
    storedBytes: gaugeHours.storedBytes ? sums.storedBytes / gaugeHours.storedBytes : 0,
    storedItems: gaugeHours.storedItems ? sums.storedItems / gaugeHours.storedItems : 0,
    coveredHours,
  };
}

function keyOf(pair: Pair, metric: Rolled): string {
  return `${pair.storageInstanceId}/${pair.tenantId}/${metric}`;
}

function queriesOf(pair: Pair): MetricQuery[] {
  return rolledKeys.map((metric) => ({
    key: keyOf(pair, metric),
    metricName: rolled[metric][0],
    stat: rolled[metric][1],
    dimensions: { [dimensionTenant]: pair.tenantId, [dimensionInstance]: pair.storageInstanceId },
  }));
}

/** Every tenant's current placements (primary and bridge), and the pairs the day already has rows for (placements it left). */
export async function pairsOfDay(db: Db, day: string): Promise<Pair[]> {
  const [tenants, existing] = await Promise.all([
    db.tenant.findMany({
      where: { status: { not: "offboarded" }, OR: [{ storageInstanceId: { not: null } }, { bridgeInstanceId: { not: null } }] },
      select: { id: true, storageInstanceId: true, bridgeInstanceId: true },
    }),
    db.tenantUsageDay.findMany({ where: { day: new Date(`${day}T00:00:00Z`) }, select: { tenantId: true, storageInstanceId: true } }),
  ]);
  const pairs = new Map<string, Pair>();
  const add = (tenantId: string, storageInstanceId: string | null) => {
    if (storageInstanceId) pairs.set(`${tenantId}/${storageInstanceId}`, { tenantId, storageInstanceId });
  };
  for (const tenant of tenants) {
    add(tenant.id, tenant.storageInstanceId);
    add(tenant.id, tenant.bridgeInstanceId);
  }
  for (const row of existing) add(row.tenantId, row.storageInstanceId);
  return [...pairs.values()];
}

/** Rolls one day (or today so far) for the given pairs: reads CloudWatch in batches and upserts the rows. */
export async function rollDay(deps: RollupDeps, day: string, pairs: readonly Pair[]): Promise<DayRoll> {
  const nowMs = deps.now();
  const startMs = Date.parse(`${day}T00:00:00Z`);
  // Up to the last whole minute: CloudWatch's newest minute is still filling.
  const endMs = Math.min(startMs + dayMs, Math.floor(nowMs / 60_000) * 60_000);
  const whole = nowMs >= startMs + dayMs + settleMs;
  const result: DayRoll = { day, whole, pairs: pairs.length, calls: 0, metricsRequested: 0 };
  if (endMs <= startMs) return result;
  for (let i = 0; i < pairs.length; i += pairsPerBatch) {
    const batch = pairs.slice(i, i + pairsPerBatch);
    const read = await deps.metrics.read(batch.flatMap(queriesOf), { startMs, endMs }, 3600, nowMs);
    result.calls += read.cost.calls;
    result.metricsRequested += read.cost.metricsRequested;
    const rows = batch.map((pair) => ({ ...pair, ...summariseDay(read, pair, { startMs, endMs }) }));
    await upsertRows(deps.db, day, rows, new Date(nowMs));
  }
  return result;
}

async function upsertRows(db: Db, day: string, rows: readonly (Pair & ReturnType<typeof summariseDay>)[], updatedAt: Date): Promise<void> {
  if (!rows.length) return;
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
  await db.$executeRaw`
    INSERT INTO "TenantUsageDay"
      ("tenantId", "day", "storageInstanceId", "requests", "readUnits", "writeUnits", "storedBytes", "storedItems", "coveredHours", "updatedAt")
    SELECT t.tenant, ${day}::date, t.instance, t.requests, t.reads, t.writes, t.bytes, t.items, t.hours, ${updatedAt}
    FROM unnest(
      ${column("tenantId")}::text[], ${column("storageInstanceId")}::text[], ${column("requests")}::float8[],
      ${column("readUnits")}::float8[], ${column("writeUnits")}::float8[], ${column("storedBytes")}::float8[],
      ${column("storedItems")}::float8[], ${column("coveredHours")}::float8[]
    ) AS t(tenant, instance, requests, reads, writes, bytes, items, hours)
    ON CONFLICT ("tenantId", "day", "storageInstanceId") DO UPDATE SET
      "requests" = EXCLUDED."requests", "readUnits" = EXCLUDED."readUnits", "writeUnits" = EXCLUDED."writeUnits",
      "storedBytes" = EXCLUDED."storedBytes", "storedItems" = EXCLUDED."storedItems",
      "coveredHours" = EXCLUDED."coveredHours", "updatedAt" = EXCLUDED."updatedAt"`;
}

/**
 * Completed days of the month so far (and yesterday, on the 1st) that no roll has covered whole yet, oldest first: a
 * day counts as covered once a roll ran at least an hour after it ended (settleMs); until then it is not rolled again.
 */
export async function daysToRoll(db: Db, nowMs: number): Promise<string[]> {
  // The last day that has settled.
  const today = dayStartOf(nowMs - settleMs);
  const now = new Date(nowMs);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const from = Math.min(monthStart, today - dayMs);
  const done = await db.$queryRaw<{ day: string }[]>`
    SELECT to_char("day", 'YYYY-MM-DD') AS day FROM "TenantUsageDay"
    WHERE "day" >= ${isoDay(from)}::date AND "day" < ${isoDay(today)}::date AND "updatedAt" >= ("day" + 1)::timestamp + interval '1 hour'
    GROUP BY "day"`;
  const rolledWhole = new Set(done.map((row) => row.day));
  const days: string[] = [];
  for (let t = from; t < today; t += dayMs) if (!rolledWhole.has(isoDay(t))) days.push(isoDay(t));
  return days;
}

/** Whether today's last partial roll is older than the setting allows (or there is none). */
export async function todayIsDue(db: Db, nowMs: number, settings: RollupSettings): Promise<boolean> {
  const latest = await db.tenantUsageDay.aggregate({
    where: { day: new Date(`${isoDay(nowMs)}T00:00:00Z`) },
    _max: { updatedAt: true },
  });
  const last = latest._max.updatedAt?.getTime();
  return last === undefined || nowMs - last >= settings.todayEveryMinutes * 60_000;
}

/** One run of the duty: up to three completed days not yet rolled whole, then today if due. */
export async function rollUpUsage(deps: RollupDeps, settings: RollupSettings): Promise<DayRoll[]> {
  const nowMs = deps.now();
  const done: DayRoll[] = [];
  for (const day of (await daysToRoll(deps.db, nowMs)).slice(-daysPerRun).reverse()) {
    const pairs = await pairsOfDay(deps.db, day);
    if (pairs.length) done.push(await rollDay(deps, day, pairs));
  }
  if (await todayIsDue(deps.db, nowMs, settings)) {
    const today = isoDay(nowMs);
    const pairs = await pairsOfDay(deps.db, today);
    if (pairs.length) done.push(await rollDay(deps, today, pairs));
  }
  return done;
}

export function describeRoll(roll: DayRoll): string {
  return `${roll.day}${roll.whole ? "" : " so far"}: ${roll.pairs} placements, ${roll.metricsRequested} metrics in ${roll.calls} calls`;
}
