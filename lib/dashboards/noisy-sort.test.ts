import { describe, expect, it } from "vitest";
import { noisySortQuery, parseNoisySort, sortNoisy } from "./noisy-sort";

const victims = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    tenantId: `v${i}`,
    requests: 1,
    capacityThrottled: 0,
    capacityThrottleRatio: 0,
    latencyP99Max: 1,
  }));
const list = [
  { tenantId: "a", storageInstanceId: "pool-2", severity: "minor" as const, peakRatio: 9, lastMs: 300, victims: victims(1) },
  { tenantId: "b", storageInstanceId: "pool-1", severity: "critical" as const, peakRatio: 3, lastMs: 100, victims: victims(5) },
  { tenantId: "c", storageInstanceId: "pool-3", severity: "major" as const, peakRatio: 4, lastMs: 200, victims: victims(9) },
];

describe("sorting flagged tenants", () => {
  it("orders by each key the URL can name", () => {
    expect(sortNoisy(list, "severity").map((n) => n.tenantId)).toEqual(["b", "c", "a"]);
    expect(sortNoisy(list, "peak").map((n) => n.tenantId)).toEqual(["a", "c", "b"]);
    expect(sortNoisy(list, "victims").map((n) => n.tenantId)).toEqual(["c", "b", "a"]);
    expect(sortNoisy(list, "recent").map((n) => n.tenantId)).toEqual(["a", "c", "b"]);
    expect(sortNoisy(list, "instance").map((n) => n.tenantId)).toEqual(["b", "a", "c"]);
  });

  it("reverses an order when the URL asks for the other direction", () => {
    expect(sortNoisy(list, "peak", "asc").map((n) => n.tenantId)).toEqual(["b", "c", "a"]);
    expect(sortNoisy(list, "instance", "desc").map((n) => n.tenantId)).toEqual(["c", "a", "b"]);
  });

  it("reports an unknown sort or direction and falls back to the default", () => {
    expect(parseNoisySort("bogus")).toMatchObject({ sort: "severity", dir: "desc", errors: [expect.stringContaining("bogus")] });
    expect(parseNoisySort("peak", "up")).toMatchObject({ sort: "peak", dir: "desc", errors: [expect.stringContaining("up")] });
    expect(parseNoisySort(undefined)).toEqual({ sort: "severity", dir: "desc", errors: [] });
    expect(parseNoisySort("instance", "desc")).toEqual({ sort: "instance", dir: "desc", errors: [] });
  });

  it("leaves defaults out of the URL", () => {
    expect(noisySortQuery("severity", "desc")).toEqual({ sort: undefined, dir: undefined });
    expect(noisySortQuery("peak", "asc")).toEqual({ sort: "peak", dir: "asc" });
    expect(noisySortQuery("instance", "asc")).toEqual({ sort: "instance", dir: undefined });
  });
});
