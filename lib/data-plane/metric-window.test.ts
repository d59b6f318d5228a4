import { describe, expect, it } from "vitest";
import { batches, LatencyHistogram, MetricWindow, quantiseLatency, windowDatums } from "./metric-window";

describe("latency histogram", () => {
  it("quantises finely for fast calls and coarsely for slow ones", () => {
    expect(quantiseLatency(1.234)).toBe(1.2);
    expect(quantiseLatency(42.4)).toBe(42);
    expect(quantiseLatency(1234)).toBe(1230);
  });

  it("keeps every count while coarsening to PutMetricData's 150 distinct values", () => {
    const histogram = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) histogram.add(i / 100);
    for (let i = 0; i < 180; i++) histogram.add(10 + i / 2, 2);
    const { Values, Counts } = histogram.valuesAndCounts()!;
    expect(Values.length).toBeLessThanOrEqual(150);
    expect(Counts.reduce((a, b) => a + b, 0)).toBe(1000 + 180 * 2);
    expect(Values).toEqual([...Values].sort((a, b) => a - b));
  });
});

describe("window datums", () => {
  it("follow the metric contract: tenant and instance dimensions, counts, latency values, stored gauges", () => {
    const window = new MetricWindow();
    const tenant = window.tenant("acme", "pool-a");
    tenant.requests = 12;
    tenant.throttled = 2;
    tenant.latency.add(3.2, 10);
    window.instance("pool-a").requests = 12;
    const datums = windowDatums(window, new Date(0), new Map([["acme", { items: 5, bytes: 5_000 }]]));
    const names = datums.map((d) => `${d.MetricName}:${d.Dimensions!.map((x) => x.Value).join("/")}`);
    expect(names).toContain("Requests:acme/pool-a");
    expect(names).toContain("StoredBytes:acme/pool-a");
    expect(names).toContain("Requests:pool-a");
    expect(names).not.toContain("StoredItems:pool-a");
    const latency = datums.find((d) => d.MetricName === "Latency" && d.Dimensions!.length === 2)!;
    expect(latency).toMatchObject({ Values: [3.2], Counts: [10], Unit: "Milliseconds" });
    expect(batches(Array.from({ length: 2_500 }, (_, i) => i)).map((b) => b.length)).toEqual([1_000, 1_000, 500]);
  });
});
