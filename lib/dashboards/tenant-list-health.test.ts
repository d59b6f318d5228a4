import { describe, expect, it } from "vitest";
import { listHealthVerdicts, matchesHealthFilter, type ListHealthReadings, pageHealthQueries } from "./tenant-list-health";

const plan = { ratePerSec: 50, quotaPerDay: 100_000 };
const tenants = ["calm", "refused", "quota", "noisy", "victim", "idle", "stored"].map((id) => ({ id, storageInstanceId: "pool-a", plan }));
const map = (entries: Record<string, number>) => new Map(Object.entries(entries));

const readings: ListHealthReadings = {
  requests: map({ calm: 1000, refused: 1000, quota: 1000, noisy: 5000, victim: 1000 }),
  // "refused": 6% refused for capacity (critical ≥ 5%); everyone else nothing.
  throttled: map({ refused: 60 }),
  capacityThrottled: map({ refused: 60 }),
  storedItems: map({ calm: 10, stored: 2500 }),
  todayRequests: map({ quota: 95_000, calm: 2000 }),
  todayThrottled: map({}),
  todayCapacityThrottled: map({}),
};

describe("the tenant list's health verdicts", () => {
  const levels = listHealthVerdicts(tenants, readings, [{ tenantId: "noisy", severity: "major", peakRatio: 4.2, victims: ["victim"] }]);

  it("grades each tenant with the tenant page's verdict from fleet-wide readings and open findings", () => {
    expect(Object.fromEntries(levels)).toEqual({
      calm: "healthy",
      refused: "critical",
      quota: "degraded",
      noisy: "degraded",
      victim: "degraded",
      idle: "no_data",
      stored: "healthy",
    });
  });

  it("filters by level, and by unhealthy for degraded or critical", () => {
    const unhealthy = [...levels].filter(([, level]) => matchesHealthFilter(level, "unhealthy")).map(([id]) => id);
    expect(unhealthy).toEqual(["refused", "quota", "noisy", "victim"]);
    expect(matchesHealthFilter("no_data", "no_data")).toBe(true);
    expect(matchesHealthFilter("healthy", "unhealthy")).toBe(false);
  });
});

describe("pageHealthQueries", () => {
  it("reads each of a bridge tenant's instances, over the range and since midnight", () => {
    const { range, today } = pageHealthQueries({
      id: "bridge-co",
      storageInstanceId: "pool-a",
      bridgeInstanceId: "silo-bridge-co",
      plan: { ratePerSec: 50, quotaPerDay: 1_000 },
    });
    expect(range.map((q) => `${q.dimensions.StorageInstance} ${q.metricName} ${q.stat}`)).toEqual([
      "pool-a Requests Sum",
      "pool-a ThrottledRequests Sum",
      "pool-a CapacityThrottledRequests Sum",
      "pool-a StoredItems Maximum",
      "silo-bridge-co Requests Sum",
      "silo-bridge-co ThrottledRequests Sum",
      "silo-bridge-co CapacityThrottledRequests Sum",
      "silo-bridge-co StoredItems Maximum",
    ]);
    expect(today).toHaveLength(6);
    expect(new Set([...range, ...today].map((q) => q.dimensions.TenantId))).toEqual(new Set(["bridge-co"]));
  });

  it("reads nothing for a tenant with no placement yet", () => {
    expect(
      pageHealthQueries({ id: "new", storageInstanceId: null, bridgeInstanceId: null, plan: { ratePerSec: 1, quotaPerDay: 1 } }),
    ).toEqual({
      range: [],
      today: [],
    });
  });

  it("judges suspended and offboarded tenants by their state, so no health filter lists them", () => {
    const states = listHealthVerdicts(
      [
        { id: "refused", storageInstanceId: "pool-a", plan, status: "suspended" },
        { id: "idle", storageInstanceId: "pool-a", plan, status: "offboarded" },
        { id: "calm", storageInstanceId: "pool-a", plan, status: "active" },
      ],
      readings,
      [],
    );
    expect(Object.fromEntries(states)).toEqual({ refused: "suspended", idle: "offboarded", calm: "healthy" });
    for (const filter of ["unhealthy", "critical", "degraded", "healthy", "no_data"] as const)
      expect(matchesHealthFilter("suspended", filter) || matchesHealthFilter("offboarded", filter)).toBe(false);
  });
});
