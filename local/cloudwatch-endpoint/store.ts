// The metric store behind the local CloudWatch endpoint: datapoints aggregated
// on arrival into buckets of their storage resolution (60 s, or 1 s for
// high-resolution metrics), as CloudWatch keeps them, with the raw values
// kept (as a value/count histogram) so percentiles are exact. Buckets are
// partitioned by hour, so retention drops whole hours and persistence only
// rewrites the hours that changed. Periods are counted from the (already
// rounded) start of a query, as GetMetricData counts them. Pure: no I/O, no clock.

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricIdentity {
  namespace: string;
  name: string;
  /** Sorted by name: a metric is its namespace, name and exact dimension set. */
  dimensions: Dimension[];
}

export interface Sample {
  timestampMs: number;
  unit?: string;
  highResolution: boolean;
  /** Raw values with their counts (Value, or Values + Counts). */
  values?: { values: number[]; counts: number[] };
  /**
   * A pre-aggregated statistic set. CloudWatch computes percentiles of a set only when its values are known:
   * Minimum = Maximum (every sample is that value) or SampleCount = 1 (the one sample is its Sum); otherwise
   * percentiles are unavailable for its bucket.
   */
  statistics?: { sampleCount: number; sum: number; minimum: number; maximum: number };
}

/**
 * Sixty consecutive buckets of one series at one resolution (an hour of
 * 60 s buckets, or a minute of 1 s buckets) in typed arrays: about 100 bytes
 * a bucket instead of several hundred as objects. `histograms[i]` holds the
 * bucket's values as sorted [value, count, value, count, ...]; it is null
 * once a statistic set of unknown values makes the bucket inexact, and
 * undefined while every value in the bucket is the same (its minimum, as
 * many times as its sample count: a single value, or statistic sets with
 * Minimum = Maximum, as an aggregating publisher sends counts), so such
 * buckets cost no array.
 */
class BucketBlock {
  // One buffer for the four statistics: a block costs one allocation, not four.
  private readonly data = new Float64Array(240);
  readonly sampleCount = this.data.subarray(0, 60);
  readonly sum = this.data.subarray(60, 120);
  readonly min = this.data.subarray(120, 180).fill(Infinity);
  readonly max = this.data.subarray(180, 240).fill(-Infinity);
  /** Grows as slots are filled (in time order, as data arrives), so a block of a quiet hour stays small. */
  readonly histograms: (number[] | null | undefined)[] = [];

  constructor(
    readonly resolutionMs: number,
    readonly startMs: number,
  ) {}
}

/** One period of one metric (or of several, for a Metrics Insights group). */
export interface PeriodAggregate {
  timestampMs: number;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** The period's values (sorted value/count pairs) when asked for and known; otherwise null (no percentile). */
  histogram: number[] | null;
}

interface Series extends MetricIdentity {
  id: number;
  key: string;
  unit?: string;
  lastPutMs: number;
}

export type Statistic = "SampleCount" | "Sum" | "Average" | "Minimum" | "Maximum" | { percentile: number };

const hourMs = 3_600_000;

const nameKey = (namespace: string, name: string) => `${namespace}\u0000${name}`;

function metricKey(identity: MetricIdentity): string {
  return JSON.stringify([identity.namespace, identity.name, identity.dimensions.map((d) => [d.Name, d.Value])]);
}

export function sortedDimensions(dimensions: Dimension[] = []): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** Merges two sorted [value, count, ...] histograms. */
function mergeHistograms(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const fromA = j >= b.length || (i < a.length && a[i]! <= b[j]!);
    const value = fromA ? a[i]! : b[j]!;
    const count = fromA ? a[i + 1]! : b[j + 1]!;
    if (fromA) i += 2;
    else j += 2;
    if (out.length && out[out.length - 2] === value) out[out.length - 1]! += count;
    else out.push(value, count);
  }
  return out;
}

function histogramOf(values: number[], counts: number[]): number[] {
  const pairs = values
    .map((v, i) => [v, counts[i] ?? 1] as const)
    .filter(([, c]) => c > 0)
    .sort((x, y) => x[0] - y[0]);
  return mergeHistograms([], pairs.flat());
}

/** A bucket's values as a histogram: explicit, implied (all equal to its minimum), or null when unknown. */
function bucketHistogram(block: BucketBlock, slot: number): number[] | null {
  const histogram = block.histograms[slot];
  if (histogram !== undefined) return histogram;
  const count = block.sampleCount[slot]!;
  return count > 0 ? [block.min[slot]!, count] : [];
}

/** The values a sample adds, or null when a statistic set does not say them. */
function sampleHistogram(sample: Sample): number[] | null {
  if (sample.values) return histogramOf(sample.values.values, sample.values.counts);
  const s = sample.statistics!;
  if (s.minimum === s.maximum) return [s.minimum, s.sampleCount];
  if (s.sampleCount === 1) return [s.sum, 1];
  return null;
}

function addSample(block: BucketBlock, slot: number, sample: Sample): void {
  const existing = block.histograms[slot];
  const countBefore = block.sampleCount[slot]!;
  const minBefore = block.min[slot]!;
  if (sample.values) {
    const { values, counts } = sample.values;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      const count = counts[i] ?? 1;
      if (count === 0) continue;
      block.sampleCount[slot]! += count;
      block.sum[slot]! += value * count;
      block.min[slot] = Math.min(block.min[slot]!, value);
      block.max[slot] = Math.max(block.max[slot]!, value);
    }
  } else if (sample.statistics) {
    const s = sample.statistics;
    block.sampleCount[slot]! += s.sampleCount;
    block.sum[slot]! += s.sum;
    block.min[slot] = Math.min(block.min[slot]!, s.minimum);
    block.max[slot] = Math.max(block.max[slot]!, s.maximum);
  }
  // Unknown values stay unknown; values all equal to the minimum stay implied (no array: the common case of counts).
  if (existing === null || (existing === undefined && block.min[slot] === block.max[slot])) return;
  const before = existing ?? (countBefore > 0 ? [minBefore, countBefore] : []);
  const added = sampleHistogram(sample);
  setHistogram(block, slot, added === null ? null : mergeHistograms(before, added));
}

/** Keeps a bucket's histogram, as nothing (undefined) when its values are all its minimum. */
function setHistogram(block: BucketBlock, slot: number, histogram: number[] | null): void {
  const implied =
    histogram !== null &&
    (histogram.length === 0 ||
      (histogram.length === 2 &&
        histogram[0] === block.min[slot] &&
        block.min[slot] === block.max[slot] &&
        histogram[1] === block.sampleCount[slot]));
  block.histograms[slot] = implied ? undefined : histogram;
}

/** Nearest-rank percentile over a sorted histogram, as CloudWatch reports percentiles of raw values. */
function percentileOf(histogram: number[], total: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 2) {
    seen += histogram[i + 1]!;
    if (seen >= rank) return histogram[i]!;
  }
  return histogram[histogram.length - 2]!;
}

export interface Datapoint {
  timestampMs: number;
  value: number;
}

/**
 * A statistic of one period, or undefined where CloudWatch has none: a
 * percentile needs the period's values, and is not available when any of
 * them is negative.
 */
export function statisticOf(aggregate: PeriodAggregate, statistic: Statistic): number | undefined {
  if (statistic === "SampleCount") return aggregate.sampleCount;
  if (statistic === "Sum") return aggregate.sum;
  if (statistic === "Average") return aggregate.sum / aggregate.sampleCount;
  if (statistic === "Minimum") return aggregate.min;
  if (statistic === "Maximum") return aggregate.max;
  if (!aggregate.histogram || aggregate.min < 0) return undefined;
  return percentileOf(aggregate.histogram, aggregate.sampleCount, statistic.percentile);
}

/** A snapshot bucket: [slot, sampleCount, sum, min, max, histogram (written out even when implied) or null when inexact]. */
type SnapshotBucket = [number, number, number, number, number, number[] | null];

const snapshotFormat = 2;

export interface StoreSnapshotPartition {
  format: typeof snapshotFormat;
  hourMs: number;
  series: {
    namespace: string;
    name: string;
    dimensions: Dimension[];
    unit?: string;
    lastPutMs: number;
    blocks: { resolutionMs: number; startMs: number; buckets: SnapshotBucket[] }[];
  }[];
}

export class MetricStore {
  private readonly series = new Map<string, Series>();
  private readonly byId: Series[] = [];
  /** namespace + metric name → its series, for Metrics Insights queries. */
  private readonly byName = new Map<string, Series[]>();
  /** hour → series id → blocks (keyed by `${resolutionMs}:${startMs}`) */
  private readonly partitions = new Map<number, Map<number, Map<string, BucketBlock>>>();
  private readonly dirtyHours = new Set<number>();

  constructor(private readonly retentionMs: number) {}

  private seriesFor(identity: MetricIdentity, unit: string | undefined, nowMs: number): Series {
    const key = metricKey(identity);
    let series = this.series.get(key);
    if (!series) {
      series = { ...identity, id: this.byId.length, key, unit, lastPutMs: nowMs };
      this.series.set(key, series);
      this.byId.push(series);
      const named = this.byName.get(nameKey(identity.namespace, identity.name));
      if (named) named.push(series);
      else this.byName.set(nameKey(identity.namespace, identity.name), [series]);
    }
    if (unit && unit !== "None") series.unit = unit;
    series.lastPutMs = Math.max(series.lastPutMs, nowMs);
    return series;
  }

  private blockFor(seriesId: number, resolutionMs: number, timestampMs: number): { block: BucketBlock; slot: number; hour: number } {
    const span = resolutionMs * 60;
    const startMs = Math.floor(timestampMs / span) * span;
    const hour = Math.floor(startMs / hourMs) * hourMs;
    let partition = this.partitions.get(hour);
    if (!partition) {
      partition = new Map();
      this.partitions.set(hour, partition);
    }
    let blocks = partition.get(seriesId);
    if (!blocks) {
      blocks = new Map();
      partition.set(seriesId, blocks);
    }
    const key = `${resolutionMs}:${startMs}`;
    let block = blocks.get(key);
    if (!block) {
      block = new BucketBlock(resolutionMs, startMs);
      blocks.set(key, block);
    }
    return { block, slot: Math.floor((timestampMs - startMs) / resolutionMs), hour };
  }

  put(identity: MetricIdentity, sample: Sample, nowMs: number): void {
    const series = this.seriesFor(identity, sample.unit, nowMs);
    const { block, slot, hour } = this.blockFor(series.id, sample.highResolution ? 1_000 : 60_000, sample.timestampMs);
    addSample(block, slot, sample);
    this.dirtyHours.add(hour);
  }

  /** Many samples of one metric: what a bulk load (a snapshot, a benchmark's fleet) needs without re-keying each sample. */
  putSeries(identity: MetricIdentity, samples: Iterable<Sample>, nowMs: number): void {
    let series: Series | undefined;
    for (const sample of samples) {
      series ??= this.seriesFor(identity, sample.unit, nowMs);
      const { block, slot, hour } = this.blockFor(series.id, sample.highResolution ? 1_000 : 60_000, sample.timestampMs);
      addSample(block, slot, sample);
      this.dirtyHours.add(hour);
    }
  }

  /**
   * One aggregate per period that has data, ascending. Periods are counted
   * from `startMs` (the query's rounded StartTime): period k covers
   * [startMs + k × period, startMs + (k + 1) × period), and only buckets that
   * start before `endMs` (and not before `dataFromMs`) count. Histograms are
   * built only when asked for.
   */
  aggregates(
    identity: MetricIdentity,
    startMs: number,
    endMs: number,
    periodSeconds: number,
    options: { unit?: string; histograms?: boolean; dataFromMs?: number } = {},
  ): PeriodAggregate[] {
    const series = this.series.get(metricKey(identity));
    if (!series) return [];
    const { unit } = options;
    if (unit && unit !== "None" && series.unit && unit !== series.unit) return [];
    const periodMs = periodSeconds * 1000;
    const fromMs = Math.max(startMs, options.dataFromMs ?? startMs);
    const periods = new Map<number, PeriodAggregate>();
    for (let hour = Math.floor(fromMs / hourMs) * hourMs; hour < endMs; hour += hourMs) {
      const blocks = this.partitions.get(hour)?.get(series.id);
      if (!blocks) continue;
      for (const block of blocks.values()) {
        for (let slot = 0; slot < 60; slot++) {
          const count = block.sampleCount[slot]!;
          if (count === 0) continue;
          const bucketStart = block.startMs + slot * block.resolutionMs;
          if (bucketStart < fromMs || bucketStart >= endMs) continue;
          const periodStart = startMs + Math.floor((bucketStart - startMs) / periodMs) * periodMs;
          let aggregate = periods.get(periodStart);
          if (!aggregate) {
            aggregate = { timestampMs: periodStart, sampleCount: 0, sum: 0, min: Infinity, max: -Infinity, histogram: [] };
            periods.set(periodStart, aggregate);
          }
          aggregate.sampleCount += count;
          aggregate.sum += block.sum[slot]!;
          aggregate.min = Math.min(aggregate.min, block.min[slot]!);
          aggregate.max = Math.max(aggregate.max, block.max[slot]!);
          if (!options.histograms || aggregate.histogram === null) continue;
          const histogram = bucketHistogram(block, slot);
          aggregate.histogram = histogram === null ? null : mergeHistograms(aggregate.histogram, histogram);
        }
      }
    }
    const out = [...periods.values()].sort((a, b) => a.timestampMs - b.timestampMs);
    if (!options.histograms) for (const aggregate of out) aggregate.histogram = null;
    return out;
  }

  /** Datapoints of one metric, one per period that has data (and, for a percentile, known values), ascending. */
  query(identity: MetricIdentity, startMs: number, endMs: number, periodSeconds: number, statistic: Statistic, unit?: string): Datapoint[] {
    const histograms = typeof statistic === "object";
    const points: Datapoint[] = [];
    for (const aggregate of this.aggregates(identity, startMs, endMs, periodSeconds, { unit, histograms })) {
      const value = statisticOf(aggregate, statistic);
      if (value !== undefined) points.push({ timestampMs: aggregate.timestampMs, value });
    }
    return points;
  }

  /** The unit a metric was last published with (other than None), if any. */
  unitOf(identity: MetricIdentity): string | undefined {
    return this.series.get(metricKey(identity))?.unit;
  }

  /** Every metric of one name in one namespace, in the order they were first published. */
  named(namespace: string, name: string): readonly MetricIdentity[] {
    return this.byName.get(nameKey(namespace, name)) ?? [];
  }

  /** Metrics matching the filters, in a stable order (namespace, name, dimensions). */
  list(filter: {
    namespace?: string;
    name?: string;
    dimensions?: { Name: string; Value?: string }[];
    activeSinceMs?: number;
  }): MetricIdentity[] {
    return [...this.series.values()]
      .filter(
        (s) =>
          (filter.namespace === undefined || s.namespace === filter.namespace) && (filter.name === undefined || s.name === filter.name),
      )
      .filter((s) => filter.activeSinceMs === undefined || s.lastPutMs >= filter.activeSinceMs)
      .filter((s) =>
        (filter.dimensions ?? []).every((f) =>
          s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
        ),
      )
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ namespace, name, dimensions }) => ({ namespace, name, dimensions }));
  }

  /** Drops hours wholly older than the retention period. */
  expire(nowMs: number): number[] {
    const cutoff = nowMs - this.retentionMs;
    const dropped: number[] = [];
    for (const hour of this.partitions.keys()) {
      if (hour + hourMs <= cutoff) {
        this.partitions.delete(hour);
        this.dirtyHours.delete(hour);
        dropped.push(hour);
      }
    }
    return dropped;
  }

  stats(): { metrics: number; buckets: number; hours: number } {
    let buckets = 0;
    for (const partition of this.partitions.values()) {
      for (const blocks of partition.values()) for (const block of blocks.values()) for (const n of block.sampleCount) if (n > 0) buckets++;
    }
    return { metrics: this.series.size, buckets, hours: this.partitions.size };
  }

  /** The hours changed since the last call, as snapshot partitions. */
  takeDirtyPartitions(): StoreSnapshotPartition[] {
    const out = [...this.dirtyHours].map((hour) => this.partitionSnapshot(hour));
    this.dirtyHours.clear();
    return out;
  }

  private partitionSnapshot(hour: number): StoreSnapshotPartition {
    const partition = this.partitions.get(hour) ?? new Map<number, Map<string, BucketBlock>>();
    return {
      format: snapshotFormat,
      hourMs: hour,
      series: [...partition].map(([id, blocks]) => {
        const s = this.byId[id]!;
        return {
          namespace: s.namespace,
          name: s.name,
          dimensions: s.dimensions,
          unit: s.unit,
          lastPutMs: s.lastPutMs,
          blocks: [...blocks.values()].map((block) => ({
            resolutionMs: block.resolutionMs,
            startMs: block.startMs,
            buckets: Array.from({ length: 60 }, (_, slot): SnapshotBucket | null =>
              block.sampleCount[slot]! > 0
                ? [slot, block.sampleCount[slot]!, block.sum[slot]!, block.min[slot]!, block.max[slot]!, bucketHistogram(block, slot)]
                : null,
            ).filter((b): b is SnapshotBucket => b !== null),
          })),
        };
      }),
    };
  }

  restore(partition: StoreSnapshotPartition): void {
    if (partition.format !== snapshotFormat) throw new Error(`snapshot format ${String(partition.format)} is not ${snapshotFormat}`);
    for (const s of partition.series) {
      const series = this.seriesFor({ namespace: s.namespace, name: s.name, dimensions: s.dimensions }, s.unit, s.lastPutMs);
      for (const saved of s.blocks) {
        const { block } = this.blockFor(series.id, saved.resolutionMs, saved.startMs);
        for (const [slot, sampleCount, sum, min, max, histogram] of saved.buckets) {
          block.sampleCount[slot] = sampleCount;
          block.sum[slot] = sum;
          block.min[slot] = min;
          block.max[slot] = max;
          setHistogram(block, slot, histogram);
        }
      }
    }
  }
}
