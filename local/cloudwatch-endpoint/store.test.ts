import { describe, expect, it } from "vitest";
import { MetricStore, sortedDimensions } from "./store";

const identity = {
  namespace: "N",
  name: "Latency",
  dimensions: sortedDimensions([
    { Name: "b", Value: "2" },
    { Name: "a", Value: "1" },
  ]),
};
const minute = 60_000;
const base = Date.UTC(2026, 10, 24, 0);

describe("MetricStore", () => {
  it("keeps 1 s buckets for high-resolution data and answers 10 s periods from them", () => {
    const store = new MetricStore(86_400_000);
    for (let s = 0; s < 30; s++)
      store.put(identity, { timestampMs: base + s * 1000, highResolution: true, values: { values: [s], counts: [1] } }, base);
    expect(store.query(identity, base, base + minute, 10, "Sum").map((p) => p.value)).toEqual([45, 145, 245]);
    expect(store.query(identity, base, base + minute, 1, "Maximum")).toHaveLength(30);
  });

  it("reports no percentile for a period that mixes raw values with a statistic set", () => {
    const store = new MetricStore(86_400_000);
    store.put(identity, { timestampMs: base, highResolution: false, values: { values: [1, 2, 3], counts: [1, 1, 1] } }, base);
    store.put(
      identity,
      { timestampMs: base + minute, highResolution: false, statistics: { sampleCount: 2, sum: 10, minimum: 4, maximum: 6 } },
      base,
    );
    expect(store.query(identity, base, base + 2 * minute, 60, { percentile: 50 }).map((p) => p.value)).toEqual([2]);
    expect(store.query(identity, base, base + 2 * minute, 120, { percentile: 50 })).toEqual([]);
    expect(store.query(identity, base, base + 2 * minute, 120, "Average").map((p) => p.value)).toEqual([16 / 5]);
  });

  it("serves percentiles of statistic sets whose values are known: Minimum = Maximum, or a single sample", () => {
    const store = new MetricStore(86_400_000);
    const set = (timestampMs: number, sampleCount: number, sum: number, minimum: number, maximum: number) =>
      store.put(identity, { timestampMs, highResolution: false, statistics: { sampleCount, sum, minimum, maximum } }, base);
    set(base, 4, 28, 7, 7); // four samples of 7
    set(base + minute, 1, 3, 3, 3); // one sample of 3
    set(base + minute, 3, 15, 5, 5); // and three of 5 in the same minute
    set(base + 2 * minute, 2, 10, 4, 6); // two samples, values unknown
    const p = (percentile: number, period = 60) =>
      store.query(identity, base, base + 3 * minute, period, { percentile }).map((d) => [d.timestampMs - base, d.value]);
    expect(p(50)).toEqual([
      [0, 7],
      [minute, 5],
    ]);
    expect(p(10)).toEqual([
      [0, 7],
      [minute, 3],
    ]);
    // Over 120 s the values are 3, 5, 5, 5, 7, 7, 7, 7: p50 (nearest rank 4 of 8) is 5.
    expect(p(50, 120)).toEqual([[0, 5]]);
    // A period that holds a set of unknown values has no percentile, but all the other statistics.
    expect(p(50, 180)).toEqual([]);
    expect(store.query(identity, base, base + 3 * minute, 180, "Sum").map((d) => d.value)).toEqual([28 + 3 + 15 + 10]);
  });

  it("serves no percentile for a period with a negative value, as CloudWatch does not", () => {
    const store = new MetricStore(86_400_000);
    store.put(identity, { timestampMs: base, highResolution: false, values: { values: [-1, 2, 3], counts: [1, 1, 1] } }, base);
    store.put(identity, { timestampMs: base + minute, highResolution: false, values: { values: [2, 3], counts: [1, 1] } }, base);
    expect(store.query(identity, base, base + 2 * minute, 60, { percentile: 50 }).map((d) => d.timestampMs - base)).toEqual([minute]);
    expect(store.query(identity, base, base + 2 * minute, 60, "Minimum").map((d) => d.value)).toEqual([-1, 2]);
  });

  it("counts periods from the query's start, not from the epoch", () => {
    const store = new MetricStore(86_400_000);
    for (let m = 0; m < 12; m++)
      store.put(identity, { timestampMs: base + m * minute, highResolution: false, values: { values: [m], counts: [1] } }, base);
    const from = base + 2 * minute;
    expect(store.query(identity, from, base + 12 * minute, 300, "Sum")).toEqual([
      { timestampMs: from, value: 2 + 3 + 4 + 5 + 6 },
      { timestampMs: from + 5 * minute, value: 7 + 8 + 9 + 10 + 11 },
    ]);
  });

  it("drops whole hours past retention and survives a snapshot round trip", () => {
    const store = new MetricStore(2 * 3_600_000);
    for (let h = 0; h < 5; h++)
      store.put(identity, { timestampMs: base + h * 3_600_000, highResolution: false, values: { values: [h], counts: [2] } }, base);
    expect(store.expire(base + 5 * 3_600_000)).toHaveLength(3);
    const copy = new MetricStore(2 * 3_600_000);
    for (const partition of store.takeDirtyPartitions()) copy.restore(JSON.parse(JSON.stringify(partition)));
    expect(copy.query(identity, base, base + 6 * 3_600_000, 3600, "SampleCount")).toEqual([
      { timestampMs: base + 3 * 3_600_000, value: 2 },
      { timestampMs: base + 4 * 3_600_000, value: 2 },
    ]);
    expect(copy.stats()).toEqual({ metrics: 1, buckets: 2, hours: 2 });
  });

  it("keeps which statistic sets have known values across a snapshot", () => {
    const store = new MetricStore(86_400_000);
    store.put(identity, { timestampMs: base, highResolution: false, statistics: { sampleCount: 2, sum: 8, minimum: 4, maximum: 4 } }, base);
    store.put(
      identity,
      { timestampMs: base + minute, highResolution: false, statistics: { sampleCount: 2, sum: 8, minimum: 3, maximum: 5 } },
      base,
    );
    const copy = new MetricStore(86_400_000);
    for (const partition of store.takeDirtyPartitions()) copy.restore(JSON.parse(JSON.stringify(partition)));
    expect(copy.query(identity, base, base + 2 * minute, 60, { percentile: 99 })).toEqual([{ timestampMs: base, value: 4 }]);
  });

  it("identifies a metric by its exact dimension set, in any order", () => {
    const store = new MetricStore(86_400_000);
    store.put(identity, { timestampMs: base, highResolution: false, values: { values: [5], counts: [1] } }, base);
    const sameDimensionsOtherOrder = {
      ...identity,
      dimensions: sortedDimensions([
        { Name: "a", Value: "1" },
        { Name: "b", Value: "2" },
      ]),
    };
    expect(store.query(sameDimensionsOtherOrder, base, base + minute, 60, "Sum")).toHaveLength(1);
    expect(store.query({ ...identity, dimensions: [{ Name: "a", Value: "1" }] }, base, base + minute, 60, "Sum")).toEqual([]);
  });

  it("loads many samples of one metric in bulk as if put one by one", () => {
    const one = new MetricStore(86_400_000);
    const bulk = new MetricStore(86_400_000);
    const samples = Array.from({ length: 90 }, (_, m) => ({
      timestampMs: base + m * minute,
      highResolution: false,
      values: { values: [m % 7, 50], counts: [3, 1] },
    }));
    for (const sample of samples) one.put(identity, sample, base);
    bulk.putSeries(identity, samples, base);
    for (const stat of ["Sum", { percentile: 99 }] as const)
      expect(bulk.query(identity, base, base + 90 * minute, 300, stat)).toEqual(one.query(identity, base, base + 90 * minute, 300, stat));
    expect(bulk.stats()).toEqual(one.stats());
  });
});
