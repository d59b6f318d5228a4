import { describe, expect, it } from "vitest";
import { parseNoisySort, sortNoisy } from "./noisy-sort";

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

  it("reports an unknown sort and falls back to severity", () => {
    expect(parseNoisySort("bogus")).toMatchObject({ sort: "severity", error: expect.stringContaining("bogus") });
    expect(parseNoisySort(undefined)).toEqual({ sort: "severity" });
  });
});
