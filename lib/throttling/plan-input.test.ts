import { describe, expect, it } from "vitest";
import { planLimitsSchema, priceCents } from "./plan-input";

const limits = { name: "Basic", ratePerSec: "50", burst: "50", quotaPerDay: "1000" };

describe("a plan's price", () => {
  it("is dollars and cents from the form, empty for not priced, absent to leave it as it is", () => {
    expect(planLimitsSchema.parse({ ...limits, priceUsdPerMonth: "49.90" }).priceUsdPerMonth).toBe(49.9);
    expect(planLimitsSchema.parse({ ...limits, priceUsdPerMonth: "" }).priceUsdPerMonth).toBeNull();
    expect(planLimitsSchema.parse(limits).priceUsdPerMonth).toBeUndefined();
    expect(priceCents(49.9)).toBe(4_990);
    expect(priceCents(null)).toBeNull();
    expect(priceCents(undefined)).toBeUndefined();
  });

  it("refuses fractions of a cent, negatives and text", () => {
    for (const bad of ["1.005", "-1", "ten"]) expect(planLimitsSchema.safeParse({ ...limits, priceUsdPerMonth: bad }).success).toBe(false);
  });

  it("parses its own output again (operations re-read their parameters)", () => {
    const once = planLimitsSchema.parse({ ...limits, priceUsdPerMonth: "" });
    expect(planLimitsSchema.parse(once).priceUsdPerMonth).toBeNull();
  });
});
