// The metric queries behind the fleet views, and the assembly of what they
// return into the fairness analysis's input. Per tenant the dimensions are
// TenantId + StorageInstance; an instance's totals carry StorageInstance alone.
import { dimensionInstance, dimensionTenant, tenantMetrics } from "./contract";
import type { TimeRange } from "./period";
import { gridLength, gridTimestamps, onGrid, type MetricQuery, type MetricsRead, type MetricStat } from "./reader";
import type { InstanceUsage } from "../fairness/fairness";
import type { InstancePlacement } from "../catalog/placements";

export const usageMetrics = {
  read: [tenantMetrics.consumedReadUnits.name, "Sum"],
  write: [tenantMetrics.consumedWriteUnits.name, "Sum"],
  requests: [tenantMetrics.requests.name, "Sum"],
  throttled: [tenantMetrics.throttled.name, "Sum"],
  capacityThrottled: [tenantMetrics.capacityThrottled.name, "Sum"],
  p50: [tenantMetrics.latency.name, "p50"],
  p99: [tenantMetrics.latency.name, "p99"],
  storedItems: [tenantMetrics.storedItems.name, "Maximum"],
  storedBytes: [tenantMetrics.storedBytes.name, "Maximum"],
} as const satisfies Record<string, readonly [string, MetricStat]>;

export type UsageMetric = keyof typeof usageMetrics;

/** What the fairness analysis needs per tenant. */
export const fairnessMetrics: UsageMetric[] = ["read", "write"];
/** What noisy-neighbour detection adds: who was refused or slowed. */
export const detectionMetrics: UsageMetric[] = ["requests", "throttled", "capacityThrottled", "p99"];
/** An instance's totals on the overview. */
export const instanceTotalMetrics: UsageMetric[] = ["read", "write", "requests", "throttled", "capacityThrottled"];

export function tenantKey(instanceId: string, tenantId: string, metric: UsageMetric): string {
  return `${instanceId}/${tenantId}/${metric}`;
}

export function instanceKey(instanceId: string, metric: UsageMetric): string {
  return `${instanceId}//${metric}`;
}

export function tenantQuery(instanceId: string, tenantId: string, metric: UsageMetric): MetricQuery {
  const [metricName, stat] = usageMetrics[metric];
  return {
    key: tenantKey(instanceId, tenantId, metric),
    metricName,
    stat,
    dimensions: { [dimensionTenant]: tenantId, [dimensionInstance]: instanceId },
  };
}

export function instanceQuery(instanceId: string, metric: UsageMetric): MetricQuery {
  const [metricName, stat] = usageMetrics[metric];
  return { key: instanceKey(instanceId, metric), metricName, stat, dimensions: { [dimensionInstance]: instanceId } };
}

export function tenantQueries(instance: InstancePlacement, metrics: UsageMetric[]): MetricQuery[] {
  return instance.tenants.flatMap((tenant) => metrics.map((metric) => tenantQuery(instance.id, tenant.id, metric)));
}

/** Percentiles and gauges have no value where nothing was measured; counts are 0 there. */
const emptyFill = (metric: UsageMetric) =>
  metric === "p50" || metric === "p99" || metric === "storedItems" || metric === "storedBytes" ? NaN : 0;

export function seriesOf(read: MetricsRead, key: string, metric: UsageMetric, range: TimeRange): number[] {
  const series = read.series.get(key);
  return series
    ? onGrid(series, range, read.periodSeconds, emptyFill(metric))
    : new Array<number>(gridLength(range, read.periodSeconds)).fill(emptyFill(metric));
}

/**
 * Per period of the grid: whether any series in the read has a datapoint there.
 * A count with no datapoint in a period that another series of the same read
 * covers is a real 0 (the publishers ran; nothing happened); a period that no
 * series covers has no data (nothing was published: the range starts before
 * the metrics do, or the pipeline stopped), and is drawn as a gap, not a 0.
 */
export function measuredPeriods(read: MetricsRead, range: TimeRange): boolean[] {
  const measured = new Array<boolean>(gridLength(range, read.periodSeconds)).fill(false);
  for (const series of read.series.values()) {
    onGrid(series, range, read.periodSeconds, NaN).forEach((v, p) => {
      if (!Number.isNaN(v)) measured[p] = true;
    });
  }
  return measured;
}

/** Either reading says a period was measured (two reads over the same grid). */
export function eitherMeasured(a: readonly boolean[], b: readonly boolean[]): boolean[] {
  return a.map((m, p) => m || (b[p] ?? false));
}

/** The values for a chart: NaN (a gap) in periods with no data, the value (a 0 included) elsewhere. */
export function gapsWhereUnmeasured(values: readonly number[], measured: readonly boolean[]): number[] {
  return values.map((v, p) => (measured[p] ? v : NaN));
}

/** The fairness analysis's input for one instance; metrics not read are zeros (NaN for latency). */
export function instanceUsage(instance: InstancePlacement, read: MetricsRead, range: TimeRange): InstanceUsage {
  const of = (tenantId: string, metric: UsageMetric) => seriesOf(read, tenantKey(instance.id, tenantId, metric), metric, range);
  return {
    storageInstanceId: instance.id,
    periodSeconds: read.periodSeconds,
    timestamps: gridTimestamps(range, read.periodSeconds),
    readUnitsPerSec: instance.readUnitsPerSec,
    writeUnitsPerSec: instance.writeUnitsPerSec,
    tenants: instance.tenants.map((tenant) => ({
      tenantId: tenant.id,
      planRatePerSec: tenant.planRatePerSec,
      readUnits: of(tenant.id, "read"),
      writeUnits: of(tenant.id, "write"),
      requests: of(tenant.id, "requests"),
      throttled: of(tenant.id, "throttled"),
      capacityThrottled: of(tenant.id, "capacityThrottled"),
      latencyP99: of(tenant.id, "p99"),
    })),
  };
}
