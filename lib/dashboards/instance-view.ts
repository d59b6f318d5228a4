// One storage instance as its page shows it: consumption by tenant against
// capacity, each tenant's share against its fair share, refusals, latency,
// and the noisy neighbours flagged on it with their recommendations.
import type { Db } from "../db/client";
import { analyseInstance, type InstanceFairness } from "../fairness/fairness";
import type { NoisyOptions } from "../fairness/noisy";
import { expectedDatapoints } from "../metrics/batching";
import { gridTimestamps, type MetricsReader } from "../metrics/reader";
import { headroomOf, neededCost, noisyTenantsOn, utilisationSeries, type NoisyTenantView, type ViewCost } from "./fleet-view";
import { readMetrics, type ViewWindow } from "../metrics/source";
import { loadPlacements, type InstancePlacement, type PlacedTenant } from "../catalog/placements";
import type { Thresholds } from "./thresholds";
import {
  detectionMetrics,
  fairnessMetrics,
  gapsWhereUnmeasured,
  instanceKey,
  instanceQuery,
  instanceUsage,
  measuredPeriods,
  seriesOf,
  tenantQueries,
  type UsageMetric,
} from "../metrics/usage";

/** Tenants drawn one by one in the stacked charts; the rest are summed into one band. */
const stackedTenants = 7;

export interface StackedSeries {
  /** A tenant id, or null for the band of all other tenants. */
  tenantId: string | null;
  label: string;
  /** Units per second, per period. */
  values: number[];
}

export interface InstanceView {
  window: ViewWindow;
  timestamps: number[];
  instance: Omit<InstancePlacement, "tenants">;
  tenants: PlacedTenant[];
  readUnits: StackedSeries[];
  writeUnits: StackedSeries[];
  /** Per period and in the series: NaN where nothing on the instance was published (no data, not a 0). */
  totals: Record<"requests" | "throttled" | "capacityThrottled" | "p50" | "p99" | "utilisation", number[]>;
  /** Per period: whether anything on the instance was published (see measuredPeriods). */
  measured: boolean[];
  /** For pools with two or more tenants. */
  fairness: InstanceFairness | null;
  noisy: NoisyTenantView[];
  detection: NoisyOptions;
  cost: ViewCost;
}

const instanceSeries: UsageMetric[] = ["read", "write", "requests", "throttled", "capacityThrottled", "p50", "p99"];

function stacked(
  placement: InstancePlacement,
  order: string[],
  unitsOf: (tenantId: string) => number[],
  periodSeconds: number,
  length: number,
): StackedSeries[] {
  const perSecond = (values: number[]) => values.map((v) => v / periodSeconds);
  const shown = order.slice(0, stackedTenants);
  const rest = order.slice(stackedTenants);
  const series: StackedSeries[] = shown.map((id) => ({
    tenantId: id,
    label: placement.tenants.find((t) => t.id === id)?.name ?? id,
    values: perSecond(unitsOf(id)),
  }));
  if (rest.length) {
    const others = new Array<number>(length).fill(0);
    for (const id of rest) unitsOf(id).forEach((v, p) => (others[p]! += v));
    series.push({ tenantId: null, label: `${rest.length} other tenant${rest.length === 1 ? "" : "s"}`, values: perSecond(others) });
  }
  return series;
}

/** null when no such instance (or it is retired). */
export async function loadInstanceView(
  db: Db,
  reader: MetricsReader,
  window: ViewWindow,
  thresholds: Thresholds,
  instanceId: string,
): Promise<InstanceView | null> {
  const [[placement], pools] = await Promise.all([
    loadPlacements(db, { id: instanceId }),
    loadPlacements(db, { mode: "pool", withTenants: false }),
  ]);
  if (!placement) return null;
  const shared = placement.mode === "pool" && placement.tenants.length >= 2;
  const otherPools = pools.filter((i) => i.id !== placement.id);
  const queries = [
    ...instanceSeries.map((m) => instanceQuery(placement.id, m)),
    ...tenantQueries(placement, shared ? [...fairnessMetrics, ...detectionMetrics] : fairnessMetrics),
    ...(shared ? otherPools.flatMap((i) => (["read", "write"] as const).map((m) => instanceQuery(i.id, m))) : []),
  ];
  const read = await readMetrics(reader, queries, window);
  const timestamps = gridTimestamps(window.range, window.periodSeconds);
  const usage = instanceUsage(placement, read, window.range);
  // The charts' series: gaps where nothing on the instance was published (the analyses count those periods as zeros).
  const measured = measuredPeriods(read, window.range);
  const charted = (values: number[]) => gapsWhereUnmeasured(values, measured);
  const fairness = shared ? analyseInstance(usage) : null;
  const order = (
    fairness?.tenants ??
    usage.tenants.map((t) => ({
      tenantId: t.tenantId,
      consumption: t.readUnits.reduce((a, b) => a + b, 0) + t.writeUnits.reduce((a, b) => a + b, 0),
    }))
  )
    .slice()
    .sort((a, b) => b.consumption - a.consumption)
    .map((t) => t.tenantId);
  const unitsOf = (kind: "readUnits" | "writeUnits") => (id: string) => usage.tenants.find((t) => t.tenantId === id)![kind];
  const total = (metric: UsageMetric) => charted(seriesOf(read, instanceKey(placement.id, metric), metric, window.range));
  const { tenants, ...instance } = placement;
  return {
    window,
    timestamps,
    instance,
    tenants,
    readUnits: stacked(placement, order, unitsOf("readUnits"), read.periodSeconds, timestamps.length).map((s) => ({
      ...s,
      values: charted(s.values),
    })),
    writeUnits: stacked(placement, order, unitsOf("writeUnits"), read.periodSeconds, timestamps.length).map((s) => ({
      ...s,
      values: charted(s.values),
    })),
    measured,
    totals: {
      requests: total("requests"),
      throttled: total("throttled"),
      capacityThrottled: total("capacityThrottled"),
      p50: total("p50"),
      p99: total("p99"),
      utilisation: charted(utilisationSeries(placement, read, window)),
    },
    fairness,
    noisy: shared ? noisyTenantsOn(placement, usage, headroomOf([placement, ...otherPools], read, window), thresholds) : [],
    detection: thresholds.noisy,
    cost: {
      ...read.cost,
      ...neededCost(queries.length, expectedDatapoints(window.range.endMs - window.range.startMs, window.periodSeconds)),
    },
  };
}
