// The fleet as the overview and the noisy-neighbours page show it. Reads in
// two steps so the cost follows what the analysis needs: every instance's
// totals and every pooled tenant's consumption first (utilisation, Jain's
// index, who is over its fair share); then who was refused or slowed, only on
// the pools where some tenant stayed over its multiple of fair share long
// enough to be flagged (no other pool can have a noisy neighbour).
import type { Db } from "../db/client";
import { analyseInstance, busierUtilisation, type InstanceUsage } from "../fairness/fairness";
import { detectNoisyNeighbours, groupFlagsByTenant, hasSustainedOverShare, shareRatios, type NoisyOptions } from "../fairness/noisy";
import type { NoisyTenant } from "../fairness/noisy";
import { recommend, type PoolHeadroom, type Recommendation } from "../fairness/recommend";
import { callFloor, expectedDatapoints } from "../metrics/batching";
import { gridTimestamps, type MetricsRead, type MetricsReader, type ReadCost } from "../metrics/reader";
import { mergeReads, readMetrics, type ViewWindow } from "../metrics/source";
import { loadPlacements, type InstancePlacement, type PlacedTenant } from "../catalog/placements";
import type { Thresholds } from "./thresholds";
import {
  detectionMetrics,
  fairnessMetrics,
  instanceKey,
  instanceQuery,
  instanceTotalMetrics,
  instanceUsage,
  seriesOf,
  tenantQueries,
} from "../metrics/usage";

export interface ViewCost extends ReadCost {
  /** Metrics the view needs when nothing is cached: what a cold load is billed for. */
  metricsNeeded: number;
  /** The fewest calls that could fetch them. */
  floorCalls: number;
}

export interface FleetInstance {
  id: string;
  mode: InstancePlacement["mode"];
  capacityMode: InstancePlacement["capacityMode"];
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  tenantCount: number;
  utilisation: number[];
  utilisationMean: number;
  utilisationPeak: number;
  /** Pools with two or more tenants only. */
  jain: number | null;
  jainOverTime: number[] | null;
  maxMinRatio: number | null;
  requests: number;
  throttled: number;
  capacityThrottled: number;
}

export interface NoisyTenantView extends Omit<NoisyTenant, "worst"> {
  tenantName: string;
  tier: PlacedTenant["tier"];
  recommendation: Recommendation;
  /** On the view's grid: the tenant's share over its fair share, and its co-tenants' capacity-throttled ratio. */
  evidence: { ratio: number[]; coTenantThrottleRatio: number[] };
}

export interface FleetView {
  window: ViewWindow;
  timestamps: number[];
  instances: FleetInstance[];
  throttling: { requests: number[]; throttled: number[]; capacityThrottled: number[] };
  noisy: NoisyTenantView[];
  /** Pools whose co-tenants' refusals and latency were read because someone stayed over its fair share. */
  screenedPools: number;
  detection: NoisyOptions;
  cost: ViewCost;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The busier of reads and writes per period, as a fraction of capacity. */
export function utilisationSeries(instance: InstancePlacement, read: MetricsRead, window: ViewWindow): number[] {
  const reads = seriesOf(read, instanceKey(instance.id, "read"), "read", window.range);
  const writes = seriesOf(read, instanceKey(instance.id, "write"), "write", window.range);
  return busierUtilisation(reads, writes, instance, read.periodSeconds);
}

export function headroomOf(instances: InstancePlacement[], read: MetricsRead, window: ViewWindow): PoolHeadroom[] {
  return instances
    .filter((i) => i.mode === "pool" && i.status === "active")
    .map((i) => ({
      storageInstanceId: i.id,
      region: i.region,
      readUnitsPerSec: i.readUnitsPerSec,
      writeUnitsPerSec: i.writeUnitsPerSec,
      peakUtilisation: Math.max(0, ...utilisationSeries(i, read, window)),
    }));
}

/** Flags on one instance, grouped per tenant, each with its recommendation and evidence. */
export function noisyTenantsOn(
  placement: InstancePlacement,
  usage: InstanceUsage,
  headroom: PoolHeadroom[],
  thresholds: Thresholds,
): NoisyTenantView[] {
  const groups = groupFlagsByTenant(detectNoisyNeighbours(usage, thresholds.noisy));
  if (!groups.length) return [];
  const ratios = shareRatios(usage);
  return groups.map(({ worst, ...group }) => {
    const index = usage.tenants.findIndex((t) => t.tenantId === group.tenantId);
    const tenant = placement.tenants[index]!;
    const coTenantThrottleRatio = usage.timestamps.map((_, p) => {
      let refused = 0;
      let requests = 0;
      usage.tenants.forEach((t, j) => {
        if (j === index) return;
        refused += t.capacityThrottled[p] ?? 0;
        requests += t.requests[p] ?? 0;
      });
      return requests > 0 ? refused / requests : 0;
    });
    return {
      ...group,
      tenantName: tenant.name,
      tier: tenant.tier,
      recommendation: recommend(worst, usage, headroom, thresholds.recommend),
      evidence: { ratio: ratios[index]!, coTenantThrottleRatio },
    };
  });
}

export function neededCost(metrics: number, pointsPerMetric: number): Pick<ViewCost, "metricsNeeded" | "floorCalls"> {
  return { metricsNeeded: metrics, floorCalls: callFloor(metrics, pointsPerMetric) };
}

function isShared(instance: InstancePlacement): boolean {
  return instance.mode === "pool" && instance.tenants.length >= 2;
}

export async function loadFleetView(db: Db, reader: MetricsReader, window: ViewWindow, thresholds: Thresholds): Promise<FleetView> {
  const placements = await loadPlacements(db);
  const shared = placements.filter(isShared);
  const totalsQueries = placements.flatMap((i) => instanceTotalMetrics.map((m) => instanceQuery(i.id, m)));
  const consumptionQueries = shared.flatMap((i) => tenantQueries(i, fairnessMetrics));
  const points = expectedDatapoints(window.range.endMs - window.range.startMs, window.periodSeconds);
  const firstQueries = [...totalsQueries, ...consumptionQueries];
  // When every pool's detection metrics fit in the calls the first read makes anyway, fetch them there: one round trip.
  const everyDetectionQuery = shared.flatMap((i) => tenantQueries(i, detectionMetrics));
  const prefetch = callFloor(firstQueries.length + everyDetectionQuery.length, points) === callFloor(firstQueries.length, points);
  const first = await readMetrics(reader, prefetch ? [...firstQueries, ...everyDetectionQuery] : firstQueries, window);

  const usages = new Map(shared.map((i) => [i.id, instanceUsage(i, first, window.range)]));
  const screened = shared.filter((i) => hasSustainedOverShare(usages.get(i.id)!, thresholds.noisy));
  const detectionQueries = screened.flatMap((i) => tenantQueries(i, detectionMetrics));
  const second = detectionQueries.length && !prefetch ? await readMetrics(reader, detectionQueries, window) : null;
  const all = second ? mergeReads(first, second) : first;

  const headroom = headroomOf(placements, first, window);
  // With the detection metrics prefetched, the usage already built is complete.
  const noisy = screened.flatMap((i) =>
    noisyTenantsOn(i, second ? instanceUsage(i, all, window.range) : usages.get(i.id)!, headroom, thresholds),
  );

  const instances = placements.map((placement): FleetInstance => {
    const utilisation = utilisationSeries(placement, first, window);
    const usage = usages.get(placement.id);
    const fairness = usage ? analyseInstance(usage) : null;
    const total = (metric: "requests" | "throttled" | "capacityThrottled") =>
      sum(seriesOf(first, instanceKey(placement.id, metric), metric, window.range));
    return {
      id: placement.id,
      mode: placement.mode,
      capacityMode: placement.capacityMode,
      readUnitsPerSec: placement.readUnitsPerSec,
      writeUnitsPerSec: placement.writeUnitsPerSec,
      tenantCount: placement.tenants.length,
      utilisation,
      utilisationMean: utilisation.length ? sum(utilisation) / utilisation.length : 0,
      utilisationPeak: Math.max(0, ...utilisation),
      jain: fairness?.jain ?? null,
      jainOverTime: fairness?.jainOverTime ?? null,
      maxMinRatio: fairness?.maxMinRatio ?? null,
      requests: total("requests"),
      throttled: total("throttled"),
      capacityThrottled: total("capacityThrottled"),
    };
  });

  const timestamps = gridTimestamps(window.range, window.periodSeconds);
  const fleetSeries = (metric: "requests" | "throttled" | "capacityThrottled") => {
    const out = timestamps.map(() => 0);
    for (const i of placements) seriesOf(first, instanceKey(i.id, metric), metric, window.range).forEach((v, p) => (out[p]! += v));
    return out;
  };
  return {
    window,
    timestamps,
    instances,
    throttling: {
      requests: fleetSeries("requests"),
      throttled: fleetSeries("throttled"),
      capacityThrottled: fleetSeries("capacityThrottled"),
    },
    noisy,
    screenedPools: screened.length,
    detection: thresholds.noisy,
    cost: { ...all.cost, ...neededCost(firstQueries.length + (prefetch ? everyDetectionQuery.length : detectionQueries.length), points) },
  };
}
