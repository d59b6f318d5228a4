import { describe, expect, it } from "vitest";
import { profileFor, scenarioSchema } from "./scenario";

describe("scenario", () => {
  it("derives a stable profile per tenant within the plan share, and applies overrides", () => {
    const scenario = scenarioSchema.parse({ tenants: { loud: { baseRate: 99, shape: { kind: "steady" } } } });
    const a = profileFor({ tenantId: "globex", ratePerSec: 100 }, scenario);
    expect(profileFor({ tenantId: "globex", ratePerSec: 100 }, scenario)).toEqual(a);
    expect(a.baseRate).toBeGreaterThanOrEqual(1);
    expect(a.baseRate).toBeLessThanOrEqual(5);
    expect(profileFor({ tenantId: "loud", ratePerSec: 100 }, scenario)).toMatchObject({ baseRate: 99, shape: { kind: "steady" } });
  });

  it("rejects a malformed scenario with the field named", () => {
    const result = scenarioSchema.safeParse({ tenants: { x: { shape: { kind: "noisy", noisyRate: -1 } } } });
    expect(result.success).toBe(false);
  });
});
