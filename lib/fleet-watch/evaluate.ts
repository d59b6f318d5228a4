// One evaluation of the fleet, read so that its CloudWatch bill stays small
// at fleet scale (GetMetricData is billed per metric requested, whatever the
// window): every instance's totals each period; its tenants' series only for
// pools under pressure (busy, refusing, or with an open noisy-neighbour
// finding); every pool's fairness over the last hour, a slice of the pools
// each period so each is refreshed once per pass. What was found goes back as
// detections with their evidence; the finding lifecycle (lifecycle.ts) and
// the catalog writes are the watcher's (watcher.ts).
import type { InstancePlacement } from "../catalog/placements";
import { analyseInstance, busierUtilisation, type InstanceUsage } from "../fairness/fairness";
import { ongoingNoisyNeighbours, overShareToWatch, type NoisyOptions, type NoisyTenant } from "../fairness/noisy";
import type { PoolHeadroom, RecommendOptions } from "../fairness/recommend";
import type { TimeRange } from "../metrics/period";
import type { MetricSeries, MetricsRead, MetricsSource, ReadCost } from "../metrics/reader";
import type { InsightsRead, InsightsSpec } from "../metrics/insights";
import { dimensionInstance, dimensionTenant } from "../metrics/contract";
import { mergeReads } from "../metrics/source";
import {
  detectionMetrics,
  fairnessMetrics,
  instanceKey,
  instanceQuery,
  instanceUsage,
  seriesOf,
  tenantKey,
  tenantQueries,
  usageMetrics,
  type UsageMetric,
} from "../metrics/usage";
import type { Detected } from "./lifecycle";
import { recommendForPool } from "./recommend";
import type { FindingEvidence, FindingVictim, PoolRecommendation, SeverityValue, SnapshotInstance } from "./shapes";

export interface WatchOptions {
  periodSeconds: number;
  noisy: NoisyOptions;
  recommend: RecommendOptions;
  /** Each pool's fairness is read over the last hour once per this many evaluations. */
  fairnessEvery: number;
  /** A pool under pressure and this unfair (Jain's index over the last hour) is a finding. */
  unfairJainBelow: number;
  /**
   * A pool's tenants are read only while it refuses requests for capacity, has an open noisy-neighbour finding, or
   * runs at least this busy: below it, reading them every period would cost the most and find the least.
   */
  deepReadUtilisation: number;
  /**
   * A refusing pool with nothing open is read in depth once per this many evaluations (a slice of such pools each
   * time), a pool only that busy once per 5 × this: a noisy neighbour is found at most this many periods after it
   * becomes one. A pool with an open noisy-neighbour finding is read every evaluation.
   */
  deepReadEvery: number;
  /** ...or refusing at least this share of its requests for capacity. */
  pressureRefusedRatio: number;
}

/** What the totals of every instance are read as, each period. */
export const totalsMetrics: UsageMetric[] = ["read", "write", "requests", "capacityThrottled"];
/** Periods over which an instance's pressure is judged. */
const pressurePeriods = 5;

export interface DetectedFinding extends Detected {
  evidence: FindingEvidence;
  victims: FindingVictim[];
  recommendation: PoolRecommendation | null;
}

export interface Evaluation {
  window: TimeRange;
  detected: DetectedFinding[];
  instances: Omit<SnapshotInstance, "openFindings">[];
  pressuredPools: string[];
  /** Every pool's fairness as last read (this evaluation's slice and earlier ones). */
  fairness: WatchMemory["fairness"];
  cost: ReadCost;
}

/** What the previous evaluation knew: the pools' fairness from earlier slices, and the pools with open noisy findings. */
export interface WatchMemory {
  fairness: Map<string, { jain: number; atMs: number; peakUtilisation: number }>;
  watchedPools: ReadonlySet<string>;
  /** Per pool, the tenants with an open noisy-neighbour finding: they stay flagged while noisy at all (hysteresis). */
  flaggedTenants?: ReadonlyMap<string, ReadonlySet<string>>;
}

const noneFlagged: ReadonlySet<string> = new Set();

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function watchWindow(nowMs: number, periodSeconds: number, minutes: number): TimeRange {
  const periodMs = periodSeconds * 1000;
  // The period in progress is not complete: the window ends where it began.
  const endMs = Math.floor(nowMs / periodMs) * periodMs;
  return { startMs: endMs - Math.ceil((minutes * 60_000) / periodMs) * periodMs, endMs };
}

const isShared = (instance: InstancePlacement) => instance.mode === "pool" && instance.tenants.length >= 2;

async function read(source: MetricsSource, queries: Parameters<MetricsSource["read"]>[0], window: TimeRange, periodSeconds: number) {
  return queries.length ? source.read(queries, window, periodSeconds) : null;
}

/** Metrics Insights through the console's reader (lib/metrics/insights.ts): the deep read then costs two queries per pool. */
export type InsightsSource = (spec: InsightsSpec, range: TimeRange, periodSeconds: number) => Promise<InsightsRead>;

/**
 * The pools' tenants' consumption by Metrics Insights, one query per pool and
 * metric grouped by tenant, laid out as the per-tenant reads would be (keys of
 * lib/metrics/usage.ts). Billed per metric analysed, as GetMetricData is per
 * metric requested: the same count, in far fewer queries.
 */
async function readConsumptionByInsights(
  insights: InsightsSource,
  pools: InstancePlacement[],
  window: TimeRange,
  periodSeconds: number,
): Promise<MetricsRead | null> {
  if (!pools.length) return null;
  const series = new Map<string, MetricSeries>();
  const cost: ReadCost = { calls: 0, metricsRequested: 0 };
  for (const pool of pools) {
    for (const metric of fairnessMetrics) {
      const [metricName] = usageMetrics[metric];
      const result = await insights(
        {
          metricName,
          function: "SUM",
          schema: [dimensionInstance, dimensionTenant],
          where: { [dimensionInstance]: pool.id },
          groupBy: [dimensionTenant],
        },
        window,
        periodSeconds,
      );
      cost.calls += result.cost.calls;
      cost.metricsRequested += result.cost.metricsAnalyzed;
      for (const tenant of pool.tenants) {
        const found = result.series.get(tenant.id);
        if (found) series.set(tenantKey(pool.id, tenant.id, metric), found);
      }
    }
  }
  return { series, cost, periodSeconds };
}

function victimsOf(group: NoisyTenant): FindingVictim[] {
  return group.victims.map((v) => ({ ...v, latencyP99Max: Number.isFinite(v.latencyP99Max) ? v.latencyP99Max : null }));
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

export async function evaluateFleet(
  placements: InstancePlacement[],
  source: MetricsSource,
  nowMs: number,
  options: WatchOptions,
  memory: WatchMemory,
  insights: InsightsSource,
): Promise<Evaluation> {
  const { periodSeconds } = options;
  const window = watchWindow(nowMs, periodSeconds, options.noisy.sustainedMinutes + pressurePeriods);
  const reads: MetricsRead[] = [];

  // 1. Every instance's totals.
  const totals = await read(
    source,
    placements.flatMap((i) => totalsMetrics.map((m) => instanceQuery(i.id, m))),
    window,
    periodSeconds,
  );
  if (totals) reads.push(totals);
  const utilisation = new Map<string, number[]>();
  const detected: DetectedFinding[] = [];
  const instances = placements.map((placement) => {
    const of = (metric: UsageMetric) => (totals ? seriesOf(totals, instanceKey(placement.id, metric), metric, window) : []);
    const series = busierUtilisation(of("read"), of("write"), placement, periodSeconds);
    utilisation.set(placement.id, series);
    const recent = series.slice(-pressurePeriods);
    const requests = of("requests").slice(-pressurePeriods);
    const refused = of("capacityThrottled").slice(-pressurePeriods);
    const refusedRatio = sum(requests) > 0 ? sum(refused) / sum(requests) : 0;
    const busyPeriods = recent.filter((u) => u >= 0.9).length;
    if (refusedRatio >= options.pressureRefusedRatio || busyPeriods * 2 > recent.length) {
      const severity: SeverityValue = refusedRatio >= 0.1 ? "critical" : refusedRatio >= options.pressureRefusedRatio ? "major" : "minor";
      const firstBusy = series.findIndex((u, p) => u >= 0.9 || (of("capacityThrottled")[p] ?? 0) > 0);
      detected.push({
        subject: `instance_pressure/${placement.id}`,
        kind: "instance_pressure",
        severity,
        tenantId: null,
        storageInstanceId: placement.id,
        summary:
          refusedRatio >= options.pressureRefusedRatio
            ? `${placement.id} refused ${percent(refusedRatio)} of its requests for capacity over the last ${recent.length} minutes`
            : `${placement.id} ran at ${percent(Math.max(...recent))} of its capacity`,
        sinceMs: window.startMs + Math.max(0, firstBusy) * periodSeconds * 1000,
        evidence: {
          window: { ...window, periodSeconds },
          peakUtilisation: Math.max(0, ...series),
          latestUtilisation: series[series.length - 1] ?? 0,
          capacityThrottled: sum(refused),
          requests: sum(requests),
        },
        victims: [],
        recommendation: null,
      });
    }
    return {
      id: placement.id,
      mode: placement.mode,
      tenantCount: placement.tenants.length,
      utilisationPeak: Math.max(0, ...series),
      utilisationLatest: series[series.length - 1] ?? 0,
      capacityThrottled: sum(of("capacityThrottled")),
      requests: sum(of("requests")),
      jain: memory.fairness.get(placement.id)?.jain ?? null,
      fairnessAtMs: memory.fairness.get(placement.id)?.atMs ?? null,
      fairnessPeakUtilisation: memory.fairness.get(placement.id)?.peakUtilisation ?? null,
    };
  });

  // 2. Pools under pressure: their tenants' consumption, then who was refused or slowed where someone stayed over its share.
  const shared = placements.filter(isShared);
  const evaluationIndex = Math.floor(window.endMs / (periodSeconds * 1000));
  const pressured = shared.filter((pool, index) => {
    const series = utilisation.get(pool.id) ?? [];
    const refused = totals ? sum(seriesOf(totals, instanceKey(pool.id, "capacityThrottled"), "capacityThrottled", window)) : 0;
    if (memory.watchedPools.has(pool.id)) return true;
    const due = (every: number) => index % every === evaluationIndex % every;
    if (refused > 0) return due(Math.max(1, options.deepReadEvery));
    return due(Math.max(1, options.deepReadEvery) * 5) && series.some((u) => u >= options.deepReadUtilisation);
  });
  const consumption = await readConsumptionByInsights(insights, pressured, window, periodSeconds);
  if (consumption) reads.push(consumption);
  const flaggedIn = (pool: InstancePlacement) => memory.flaggedTenants?.get(pool.id) ?? noneFlagged;
  const screened = consumption
    ? pressured.filter((pool) => overShareToWatch(instanceUsage(pool, consumption, window), options.noisy, flaggedIn(pool)))
    : [];
  const detection = await read(
    source,
    screened.flatMap((pool) => tenantQueries(pool, detectionMetrics)),
    window,
    periodSeconds,
  );
  if (detection) reads.push(detection);
  if (detection && consumption) {
    const all = mergeReads(consumption, detection);
    const headroom: PoolHeadroom[] = placements
      .filter((i) => i.mode === "pool" && i.status === "active")
      .map((i) => ({
        storageInstanceId: i.id,
        region: i.region,
        readUnitsPerSec: i.readUnitsPerSec,
        writeUnitsPerSec: i.writeUnitsPerSec,
        peakUtilisation: Math.max(0, ...(utilisation.get(i.id) ?? [])),
      }));
    for (const pool of screened) {
      const usage = instanceUsage(pool, all, window);
      // Only a condition that still holds: its latest span reaches the window's last periods.
      const ongoing = ongoingNoisyNeighbours(usage, options.noisy, flaggedIn(pool), window.endMs - 2 * periodSeconds * 1000);
      if (!ongoing.length) continue;
      const recommendation = recommendForPool(usage, ongoing, headroom, options.recommend);
      for (const group of ongoing) detected.push(noisyFinding(pool, usage, group, recommendation, window, periodSeconds));
    }
  }

  // 3. A slice of the pools' fairness over the last hour.
  const hourWindow = watchWindow(nowMs, periodSeconds, 60);
  const slice = Math.floor(window.endMs / (periodSeconds * 1000)) % Math.max(1, options.fairnessEvery);
  // A pool not read yet (a worker's first evaluation, a new pool) is read at once; the others in their slice.
  const due = shared.filter((pool, index) => !memory.fairness.has(pool.id) || index % Math.max(1, options.fairnessEvery) === slice);
  const fairnessRead = await read(
    source,
    due.flatMap((pool) => tenantQueries(pool, fairnessMetrics)),
    hourWindow,
    periodSeconds,
  );
  if (fairnessRead) reads.push(fairnessRead);
  const fairness = new Map(memory.fairness);
  for (const pool of due) {
    const analysis = analyseInstance(instanceUsage(pool, fairnessRead!, hourWindow));
    fairness.set(pool.id, { jain: analysis.jain, atMs: hourWindow.endMs, peakUtilisation: analysis.utilisationPeak });
  }
  for (const instance of instances) {
    const known = fairness.get(instance.id);
    if (!known) continue;
    instance.jain = known.jain;
    instance.fairnessAtMs = known.atMs;
    instance.fairnessPeakUtilisation = known.peakUtilisation;
  }
  for (const pool of shared) {
    const known = fairness.get(pool.id);
    if (!known || known.jain >= options.unfairJainBelow || known.peakUtilisation < options.noisy.pressureUtilisation) continue;
    detected.push({
      subject: `unfair_pool/${pool.id}`,
      kind: "unfair_pool",
      severity: "minor",
      tenantId: null,
      storageInstanceId: pool.id,
      summary: `${pool.id}'s capacity is unevenly shared: Jain's index ${known.jain.toFixed(2)} over the last hour while it ran at up to ${percent(known.peakUtilisation)}`,
      sinceMs: known.atMs - 3_600_000,
      evidence: {
        window: { startMs: known.atMs - 3_600_000, endMs: known.atMs, periodSeconds },
        jain: known.jain,
        peakUtilisation: known.peakUtilisation,
        tenants: pool.tenants.length,
      },
      victims: [],
      recommendation: null,
    });
  }

  const cost = reads.reduce((c, r) => ({ calls: c.calls + r.cost.calls, metricsRequested: c.metricsRequested + r.cost.metricsRequested }), {
    calls: 0,
    metricsRequested: 0,
  });
  return { window, detected, instances, pressuredPools: pressured.map((p) => p.id), fairness, cost };
}

function noisyFinding(
  pool: InstancePlacement,
  usage: InstanceUsage,
  group: NoisyTenant,
  recommendation: PoolRecommendation,
  window: TimeRange,
  periodSeconds: number,
): DetectedFinding {
  const span = group.spans[group.spans.length - 1]!;
  const tenant = pool.tenants.find((t) => t.id === group.tenantId);
  const utilisation = busierUtilisation(
    usage.timestamps.map((_, p) => sum(usage.tenants.map((t) => t.readUnits[p] ?? 0))),
    usage.timestamps.map((_, p) => sum(usage.tenants.map((t) => t.writeUnits[p] ?? 0))),
    pool,
    periodSeconds,
  );
  return {
    subject: `noisy_neighbour/${pool.id}/${group.tenantId}`,
    kind: "noisy_neighbour",
    severity: group.severity,
    tenantId: group.tenantId,
    storageInstanceId: pool.id,
    summary: `${tenant?.name ?? group.tenantId} takes ${span.peakRatio.toFixed(1)}× its fair share of ${pool.id}; ${group.victims.length} co-tenant${group.victims.length === 1 ? "" : "s"} refused or slowed`,
    sinceMs: span.startMs,
    evidence: {
      window: { ...window, periodSeconds },
      peakRatio: span.peakRatio,
      meanRatio: span.meanRatio,
      peakUtilisation: Math.max(0, ...utilisation),
      latestUtilisation: utilisation[utilisation.length - 1] ?? 0,
      capacityThrottled: sum(group.victims.map((v) => v.capacityThrottled)),
      requests: sum(group.victims.map((v) => v.requests)),
    },
    victims: victimsOf(group),
    recommendation,
  };
}
