import { describe, expect, it } from "vitest";
import { watchCost } from "./cost";

describe("the watch's CloudWatch cost", () => {
  const fleet = {
    instances: 100,
    pooledTenants: 10_000,
    tenants: 10_000,
    pressuredTenants: 0,
    screenedTenants: 0,
    periodSeconds: 60,
    fairnessEvery: 60,
    totalsPerInstance: 4,
    consumptionPerTenant: 2,
    detectionPerTenant: 4,
  };

  it("counts totals each period and the fairness pass amortised over its slices", () => {
    // 400 totals + 20,000 / 60 fairness metrics per evaluation; 43,200 evaluations a month at $0.01 per 1,000.
    const cost = watchCost(fleet);
    expect(cost.metricsPerEvaluation).toBe(733);
    expect(cost.evaluationsPerMonth).toBe(43_200);
    expect(cost.monthlyUsd).toBeCloseTo((400 + 20_000 / 60) * 43_200 * 0.00001, 1);
    // Reading every tenant's six metrics every minute instead: 60,400 metrics a minute.
    expect(cost.naiveMonthlyUsd).toBeCloseTo(60_400 * 43_200 * 0.00001, 1);
  });

  it("adds the tenants of pools read in depth", () => {
    const quiet = watchCost(fleet);
    const busy = watchCost({ ...fleet, pressuredTenants: 300, screenedTenants: 100 });
    expect(busy.metricsPerEvaluation - quiet.metricsPerEvaluation).toBe(300 * 2 + 100 * 4);
  });
});
