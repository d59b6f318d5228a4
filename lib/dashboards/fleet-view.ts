// The fleet as the overview draws it, and the pieces the instance page shares
// with it: utilisation from an instance's totals, the pools' headroom, one
// instance's noisy tenants with their recommendation and evidence. The
// overview reads instance totals only; fairness and noisy neighbours across
// the fleet are the fleet watch's (lib/fleet-watch), evaluated off the request.
import type { Db } from "../db/client";
import { busierUtilisation, type InstanceUsage } from "../fairness/fairness";
import { detectNoisyNeighbours, groupFlagsByTenant, shareRatios } from "../fairness/noisy";
import type { NoisyTenant } from "../fairness/noisy";
import { recommend, type PoolHeadroom, type Recommendation } from "../fairness/recommend";
import { callFloor, expectedDatapoints } from "../metrics/batching";
import { gridTimestamps, type MetricsRead, type MetricsReader, type ReadCost } from "../metrics/reader";
import { readMetrics, type ViewWindow } from "../metrics/source";
import { loadPlacements, type InstancePlacement, type PlacedTenant } from "../catalog/placements";
import type { Thresholds } from "./thresholds";
import { gapsWhereUnmeasured, instanceKey, instanceQuery, instanceTotalMetrics, measuredPeriods, seriesOf } from "../metrics/usage";

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

/**
 * What the overview draws: every instance's totals (utilisation, refusals),
 * one metric per instance and statistic, never its tenants' series. Fairness
 * and noisy neighbours come from the fleet watch's findings and snapshot,
 * evaluated off the request.
 */
export async function loadFleetView(db: Db, reader: MetricsReader, window: ViewWindow): Promise<FleetView> {
  const placements = await loadPlacements(db, { withTenants: false });
  const tenantCounts = await db.tenant.groupBy({ by: ["storageInstanceId"], where: { status: { not: "offboarded" } }, _count: true });
  const countOf = new Map(tenantCounts.map((row) => [row.storageInstanceId, row._count]));
  const queries = placements.flatMap((i) => instanceTotalMetrics.map((m) => instanceQuery(i.id, m)));
  const read = await readMetrics(reader, queries, window);
  const points = expectedDatapoints(window.range.endMs - window.range.startMs, window.periodSeconds);
  const measured = measuredPeriods(read, window.range);

  const instances = placements.map((placement): FleetInstance => {
    // Gaps where the fleet published nothing; the mean is over the periods with data.
    const utilisation = gapsWhereUnmeasured(utilisationSeries(placement, read, window), measured);
    const withData = utilisation.filter((v) => !Number.isNaN(v));
    const total = (metric: "requests" | "throttled" | "capacityThrottled") =>
      sum(seriesOf(read, instanceKey(placement.id, metric), metric, window.range));
    return {
      id: placement.id,
      mode: placement.mode,
      capacityMode: placement.capacityMode,
      readUnitsPerSec: placement.readUnitsPerSec,
      writeUnitsPerSec: placement.writeUnitsPerSec,
      tenantCount: countOf.get(placement.id) ?? 0,
      utilisation,
      utilisationMean: withData.length ? sum(withData) / withData.length : 0,
      utilisationPeak: Math.max(0, ...withData),
      requests: total("requests"),
      throttled: total("throttled"),
      capacityThrottled: total("capacityThrottled"),
    };
  });

  const timestamps = gridTimestamps(window.range, window.periodSeconds);
  const fleetSeries = (metric: "requests" | "throttled" | "capacityThrottled") => {
    const out = timestamps.map(() => 0);
    for (const i of placements) seriesOf(read, instanceKey(i.id, metric), metric, window.range).forEach((v, p) => (out[p]! += v));
    return gapsWhereUnmeasured(out, measured);
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
    cost: { ...read.cost, ...neededCost(queries.length, points) },
  };
}
