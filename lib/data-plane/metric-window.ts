// Per-tenant and per-instance counters for one publishing window, turned into
// what follows the metric contract (lib/metrics/contract.ts): PutMetricData
// datums, or CloudWatch embedded metric format (EMF) log lines.
import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../metrics/contract";

/** PutMetricData takes at most 150 distinct values per datum. */
const maxDistinctValues = 150;

export class LatencyHistogram {
  readonly counts = new Map<number, number>();

  add(ms: number, count = 1): void {
    const value = quantiseLatency(ms);
    this.counts.set(value, (this.counts.get(value) ?? 0) + count);
  }

  merge(other: LatencyHistogram): void {
    for (const [value, count] of other.counts) this.counts.set(value, (this.counts.get(value) ?? 0) + count);
  }

  /** Values and counts for a datum, coarsened until they fit PutMetricData's limit. */
  valuesAndCounts(): { Values: number[]; Counts: number[] } | null {
    if (this.counts.size === 0) return null;
    let entries = [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
    let step = 1;
    while (entries.length > maxDistinctValues) {
      step *= 2;
      const merged = new Map<number, number>();
      for (const [value, count] of entries) {
        const key = Math.round(value / step) * step;
        merged.set(key, (merged.get(key) ?? 0) + count);
      }
      entries = [...merged.entries()].sort((a, b) => a[0] - b[0]);
    }
    return { Values: entries.map(([v]) => v), Counts: entries.map(([, c]) => c) };
  }
}

/** 0.1 ms under 10 ms, 1 ms under 100 ms, 10 ms above: percentiles stay within a few percent. */
export function quantiseLatency(ms: number): number {
  if (ms < 10) return Math.round(ms * 10) / 10;
  if (ms < 100) return Math.round(ms);
  return Math.round(ms / 10) * 10;
}

export interface Counters {
  requests: number;
  throttled: number;
  capacityThrottled: number;
  readUnits: number;
  writeUnits: number;
  latency: LatencyHistogram;
}

const emptyCounters = (): Counters => ({
  requests: 0,
  throttled: 0,
  capacityThrottled: 0,
  readUnits: 0,
  writeUnits: 0,
  latency: new LatencyHistogram(),
});

export interface TenantCounters {
  tenantId: string;
  instanceId: string;
  counters: Counters;
}

export class MetricWindow {
  /**
   * Per tenant and instance: a tenant moved while the window was open (a migration's cut-over) has its requests
   * before and after it under each instance, as the contract's TenantId + StorageInstance dimensions say.
   */
  readonly tenants = new Map<string, TenantCounters>();
  readonly instances = new Map<string, Counters>();

  tenant(tenantId: string, instanceId: string): Counters {
    const key = `${tenantId} ${instanceId}`;
    let entry = this.tenants.get(key);
    if (!entry) {
      entry = { tenantId, instanceId, counters: emptyCounters() };
      this.tenants.set(key, entry);
    }
    return entry.counters;
  }

  /** Whether the tenant had requests in this window (on any instance). */
  hasTenant(tenantId: string): boolean {
    for (const entry of this.tenants.values()) if (entry.tenantId === tenantId) return true;
    return false;
  }

  /** Each tenant's counters, with whether they are on the tenant's newest instance of the window (the one its stored gauges go with). */
  *tenantCounters(): Iterable<TenantCounters & { newest: boolean }> {
    const newest = new Map<string, TenantCounters>();
    for (const entry of this.tenants.values()) newest.set(entry.tenantId, entry);
    for (const entry of this.tenants.values()) yield { ...entry, newest: newest.get(entry.tenantId) === entry };
  }

  instance(instanceId: string): Counters {
    let counters = this.instances.get(instanceId);
    if (!counters) {
      counters = emptyCounters();
      this.instances.set(instanceId, counters);
    }
    return counters;
  }

  /** A tenant's requests and refusals in one interval, on the tenant and on its primary instance; returns the tenant's counters. */
  countRequests(
    tenantId: string,
    instanceId: string,
    result: { requests: number; planThrottled: number; capacityThrottled: number },
  ): Counters {
    const counters = this.tenant(tenantId, instanceId);
    for (const target of [counters, this.instance(instanceId)]) {
      target.requests += result.requests;
      target.throttled += result.planThrottled + result.capacityThrottled;
      target.capacityThrottled += result.capacityThrottled;
    }
    return counters;
  }
}

function countersToDatums(counters: Counters, dimensions: { Name: string; Value: string }[], timestamp: Date): MetricDatum[] {
  const datum = (metric: { name: string; unit: string }, value: number): MetricDatum => ({
    MetricName: metric.name,
    Dimensions: dimensions,
    Timestamp: timestamp,
    Unit: metric.unit as MetricDatum["Unit"],
    Value: Math.round(value * 1000) / 1000,
  });
  const datums = [
    datum(tenantMetrics.requests, counters.requests),
    datum(tenantMetrics.throttled, counters.throttled),
    datum(tenantMetrics.capacityThrottled, counters.capacityThrottled),
    datum(tenantMetrics.consumedReadUnits, counters.readUnits),
    datum(tenantMetrics.consumedWriteUnits, counters.writeUnits),
  ];
  const latency = counters.latency.valuesAndCounts();
  if (latency) {
    datums.push({ MetricName: tenantMetrics.latency.name, Dimensions: dimensions, Timestamp: timestamp, Unit: "Milliseconds", ...latency });
  }
  return datums;
}

export interface StoredData {
  items: number;
  bytes: number;
}

/** The window's datums: per tenant (TenantId + StorageInstance) and per instance (StorageInstance). */
export function windowDatums(window: MetricWindow, timestamp: Date, stored?: Map<string, StoredData>): MetricDatum[] {
  const datums: MetricDatum[] = [];
  for (const { tenantId, instanceId, counters, newest } of window.tenantCounters()) {
    const dimensions = [
      { Name: dimensionTenant, Value: tenantId },
      { Name: dimensionInstance, Value: instanceId },
    ];
    datums.push(...countersToDatums(counters, dimensions, timestamp));
    const data = newest ? stored?.get(tenantId) : undefined;
    if (data) {
      datums.push(
        { MetricName: tenantMetrics.storedItems.name, Dimensions: dimensions, Timestamp: timestamp, Unit: "Count", Value: data.items },
        { MetricName: tenantMetrics.storedBytes.name, Dimensions: dimensions, Timestamp: timestamp, Unit: "Bytes", Value: data.bytes },
      );
    }
  }
  for (const [instanceId, counters] of window.instances) {
    datums.push(...countersToDatums(counters, [{ Name: dimensionInstance, Value: instanceId }], timestamp));
  }
  return datums;
}

/** PutMetricData accepts at most 1,000 datums per call. */
export function batches<T>(items: T[], size = 1_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** EMF: a metric directive names at most 100 metrics, and an array value holds at most 100 values. */
export const emfLimits = { metricsPerDirective: 100, valuesPerMetric: 100 } as const;

interface EmfMetric {
  name: string;
  unit: string;
  value: number | number[];
}

/**
 * One EMF document (AWS's "Specification: Embedded metric format"): the root holds
 * `_aws` (Timestamp in ms, one MetricDirective with Namespace, one dimension set
 * and the metric definitions), the dimension values as strings and each metric's
 * value (a number, or an array of at most 100 numbers).
 */
function emfDocument(namespace: string, timestampMs: number, dimensions: Record<string, string>, metrics: EmfMetric[]): string {
  if (metrics.length > emfLimits.metricsPerDirective) throw new Error(`an EMF directive holds at most 100 metrics, not ${metrics.length}`);
  const root: Record<string, unknown> = {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const metric of metrics) root[metric.name] = metric.value;
  return JSON.stringify(root);
}

/** Every served request's latency as individual values (EMF arrays carry samples, not counts), in chunks of 100. */
function latencyChunks(histogram: LatencyHistogram): number[][] {
  const values: number[] = [];
  for (const [value, count] of [...histogram.counts.entries()].sort((a, b) => a[0] - b[0])) {
    for (let i = 0; i < count; i++) values.push(value);
  }
  const chunks: number[][] = [];
  for (let i = 0; i < values.length; i += emfLimits.valuesPerMetric) chunks.push(values.slice(i, i + emfLimits.valuesPerMetric));
  return chunks;
}

function countersToEmf(
  counters: Counters,
  namespace: string,
  timestampMs: number,
  dimensions: Record<string, string>,
  gauges: EmfMetric[] = [],
): string[] {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const chunks = latencyChunks(counters.latency);
  const metrics: EmfMetric[] = [
    { ...tenantMetrics.requests, value: counters.requests },
    { ...tenantMetrics.throttled, value: counters.throttled },
    { ...tenantMetrics.capacityThrottled, value: counters.capacityThrottled },
    { ...tenantMetrics.consumedReadUnits, value: round(counters.readUnits) },
    { ...tenantMetrics.consumedWriteUnits, value: round(counters.writeUnits) },
    ...gauges,
  ];
  if (chunks[0]) metrics.push({ ...tenantMetrics.latency, value: chunks[0] });
  const lines = [emfDocument(namespace, timestampMs, dimensions, metrics)];
  // Further samples go in documents of their own that carry only Latency, so no count is published twice.
  for (const chunk of chunks.slice(1))
    lines.push(emfDocument(namespace, timestampMs, dimensions, [{ ...tenantMetrics.latency, value: chunk }]));
  return lines;
}

/** The window as EMF lines: per tenant (TenantId + StorageInstance) and per instance (StorageInstance). */
export function windowEmfLines(window: MetricWindow, namespace: string, timestampMs: number, stored?: Map<string, StoredData>): string[] {
  const lines: string[] = [];
  for (const { tenantId, instanceId, counters, newest } of window.tenantCounters()) {
    const data = newest ? stored?.get(tenantId) : undefined;
    const gauges: EmfMetric[] = data
      ? [
          { ...tenantMetrics.storedItems, value: data.items },
          { ...tenantMetrics.storedBytes, value: data.bytes },
        ]
      : [];
    lines.push(
      ...countersToEmf(counters, namespace, timestampMs, { [dimensionTenant]: tenantId, [dimensionInstance]: instanceId }, gauges),
    );
  }
  for (const [instanceId, counters] of window.instances) {
    lines.push(...countersToEmf(counters, namespace, timestampMs, { [dimensionInstance]: instanceId }));
  }
  return lines;
}
