import { describe, expect, it } from "vitest";
import { healthVerdict, tenantLifecycle, type HealthFacts } from "./health-verdict";

const calm: HealthFacts = {
  requests: 10_000,
  planThrottled: 0,
  capacityThrottled: 0,
  p99RecentMs: 12,
  p99BaselineMs: 10,
  usedToday: 1_000,
  quotaPerDay: 1_000_000,
  planRatePerSec: 50,
  storageInstanceId: "pool-a",
  hurtBy: [],
  flagged: null,
  hasData: true,
};

describe("tenant health verdict", () => {
  it("is healthy with nothing refused, latency as usual and quota to spare", () => {
    expect(healthVerdict(calm)).toEqual({ level: "healthy", reasons: [] });
  });

  it("says there is no data yet for a tenant with nothing measured", () => {
    expect(healthVerdict({ ...calm, hasData: false }).level).toBe("no_data");
  });

  it("grades capacity refusals and names the instance", () => {
    expect(healthVerdict({ ...calm, capacityThrottled: 200 })).toEqual({
      level: "degraded",
      reasons: [{ level: "degraded", text: "2.0% of its requests were refused because pool-a was over capacity." }],
    });
    expect(healthVerdict({ ...calm, capacityThrottled: 800 }).level).toBe("critical");
  });

  it("tells plan refusals and quota apart from capacity, critical first", () => {
    const verdict = healthVerdict({ ...calm, planThrottled: 150, usedToday: 1_000_000 });
    expect(verdict.level).toBe("critical");
    expect(verdict.reasons.map((r) => r.level)).toEqual(["critical", "degraded"]);
    expect(verdict.reasons[0]!.text).toMatch(/quota is used up/);
    expect(verdict.reasons[1]!.text).toMatch(/throttling plan \(50 req\/s\)/);
  });

  it("flags latency at twice its usual p99 and a noisy co-tenant", () => {
    expect(healthVerdict({ ...calm, p99RecentMs: 25 }).reasons[0]!.text).toMatch(/25 ms, 2\.5× its usual 10 ms/);
    expect(healthVerdict({ ...calm, p99RecentMs: Number.NaN }).level).toBe("healthy");
    expect(healthVerdict({ ...calm, hurtBy: [{ tenantId: "loud", severity: "critical" }] }).reasons[0]!.text).toMatch(/loud was flagged/);
    expect(healthVerdict({ ...calm, flagged: { severity: "major", peakRatio: 4.25 } }).reasons[0]!.text).toMatch(
      /reached 4\.3× its fair share/,
    );
  });

  it("says a suspended tenant is suspended, why and since when, before any measured reason", () => {
    const lifecycle = tenantLifecycle({
      status: "suspended",
      suspendedReason: "unpaid invoice",
      suspendedAt: new Date("2026-12-03T14:02:09Z"),
    });
    const verdict = healthVerdict({ ...calm, capacityThrottled: 800, lifecycle });
    expect(verdict.level).toBe("suspended");
    expect(verdict.statement).toBe(
      "Suspended since 2026-12-03 14:02 UTC (“unpaid invoice”): the data plane refuses its reads and writes with this reason; its items are kept, and resuming serves it again.",
    );
    expect(verdict.reasons.map((r) => r.level)).toEqual(["critical"]);
    expect(healthVerdict({ ...calm, hasData: false, lifecycle })).toMatchObject({ level: "suspended", reasons: [] });
  });

  it("says an offboarded tenant is offboarded; other states are judged on their measurements", () => {
    const verdict = healthVerdict({
      ...calm,
      hasData: false,
      lifecycle: tenantLifecycle({ status: "offboarded", offboardedAt: "2026-12-10T08:00:00Z" }),
    });
    expect(verdict).toMatchObject({ level: "offboarded", reasons: [] });
    expect(verdict.statement).toMatch(/^Offboarded on 2026-12-10 08:00 UTC: its items were deleted/);
    expect(tenantLifecycle({ status: "active", suspendedReason: "stale" })).toBeNull();
    expect(healthVerdict({ ...calm, lifecycle: tenantLifecycle({ status: "migrating" }) })).toEqual({ level: "healthy", reasons: [] });
  });
});
