import { describe, expect, it } from "vitest";
import { judgeOutcome } from "./outcome";

const recommendation = {
  before: { coTenantCapacityThrottled: 1_000, jain: 0.4, peakUtilisation: 1.3 },
  after: { coTenantCapacityThrottled: 0, jain: 0.9, peakUtilisation: 0.6 },
};

describe("whether a fix did what was predicted", () => {
  it("came true when co-tenants stopped being refused and the pool calmed as predicted", () => {
    const judged = judgeOutcome(
      { coTenantThrottleRatio: 0.12, peakUtilisation: 1 },
      { coTenantThrottleRatio: 0, peakUtilisation: 0.55 },
      recommendation,
    );
    expect(judged.predicted).toEqual({ coTenantThrottleRatio: 0, peakUtilisation: 0.6 });
    expect(judged.cameTrue).toBe(true);
    expect(judged.detail).toMatch(/as predicted\.$/);
  });

  it("did not when co-tenants are still refused", () => {
    const judged = judgeOutcome(
      { coTenantThrottleRatio: 0.12, peakUtilisation: 1 },
      { coTenantThrottleRatio: 0.05, peakUtilisation: 0.9 },
      recommendation,
    );
    expect(judged.cameTrue).toBe(false);
    expect(judged.detail).toMatch(/not as predicted/);
  });

  it("scales the measured refusals by the predicted reduction", () => {
    const half = { ...recommendation, after: { ...recommendation.after, coTenantCapacityThrottled: 500 } };
    const judged = judgeOutcome(
      { coTenantThrottleRatio: 0.1, peakUtilisation: 1 },
      { coTenantThrottleRatio: 0.052, peakUtilisation: 0.6 },
      half,
    );
    expect(judged.predicted.coTenantThrottleRatio).toBeCloseTo(0.05);
    expect(judged.cameTrue).toBe(true);
  });
});
