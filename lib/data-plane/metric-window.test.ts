import { describe, expect, it } from "vitest";
import { batches, LatencyHistogram, MetricWindow, quantiseLatency, windowDatums, windowEmfLines } from "./metric-window";
import { MetricsRecorder } from "./metrics";

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

  // A migration's cut-over inside a window: the requests on the new instance were published under the old one (the
  // window kept each tenant's first instance), so the console saw none on the new instance until a window held no
  // request of the old one; the integration check run just after a migration failed its metrics item.
  it("count a tenant moved within the window under each instance it was served on, its stored gauges on the newest", async () => {
    const published: string[] = [];
    const recorder = new MetricsRecorder({ mode: "emf", flushIntervalMs: 0, write: (line) => published.push(line) }, "us-east-1", (e) => {
      throw e;
    });
    recorder.refused("acme", "pool-a", { capacity: 1 }); // e.g. a write refused under the record that still said pool-a
    for (let i = 0; i < 3; i++)
      recorder.served({ tenantId: "acme", primaryInstance: "pool-b", servedInstance: "pool-b", latencyMs: 2, readUnits: 0, writeUnits: 1 });
    recorder.storedData("acme", "pool-b", { items: 40, bytes: 4_000 });
    await recorder.flush(0);
    const tenantLines = published
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((doc) => doc.TenantId === "acme")
      .map((doc) => [doc.StorageInstance, doc.Requests, doc.StoredItems ?? null]);
    expect(tenantLines).toEqual([
      ["pool-a", 1, null],
      ["pool-b", 3, 40],
    ]);

    const window = new MetricWindow();
    window.tenant("acme", "pool-a").requests = 2;
    window.tenant("acme", "pool-b").requests = 5;
    expect(window.hasTenant("acme")).toBe(true);
    expect(window.hasTenant("globex")).toBe(false);
    const datums = windowDatums(window, new Date(0), new Map([["acme", { items: 5, bytes: 5_000 }]]));
    const values = datums
      .filter((d) => d.Dimensions!.length === 2 && ["Requests", "StoredItems"].includes(d.MetricName!))
      .map((d) => `${d.MetricName}:${d.Dimensions!.map((x) => x.Value).join("/")}=${d.Value}`);
    expect(values).toEqual(["Requests:acme/pool-a=2", "Requests:acme/pool-b=5", "StoredItems:acme/pool-b=5"]);
    expect(windowEmfLines(window, "TenantStorage", 0).filter((line) => line.includes('"TenantId":"acme"'))).toHaveLength(2);
  });
});
