import { describe, expect, it } from "vitest";
import { addedUtilisation, choosePool, quantile, type PoolCandidate } from "./placement";

const pool = (id: string, p95: number, extra: Partial<PoolCandidate> = {}): PoolCandidate => ({
  storageInstanceId: id,
  region: "us-east-1",
  readUnitsPerSec: 80,
  writeUnitsPerSec: 40,
  tenantCount: 10,
  p95Utilisation: p95,
  ...extra,
});

describe("pool placement", () => {
  it("counts the expected load against the smaller capacity", () => {
    expect(addedUtilisation({ readUnitsPerSec: 80, writeUnitsPerSec: 40 }, 5)).toBe(0.125);
  });

  it("chooses the pool with the most measured headroom after the tenant, not the fewest tenants", () => {
    const result = choosePool(
      [pool("busy-but-small", 0.7, { tenantCount: 2 }), pool("quiet-but-crowded", 0.2, { tenantCount: 40 })],
      "us-east-1",
      50,
    );
    expect(result.ok && result.choice.storageInstanceId).toBe("quiet-but-crowded");
    // 50 req/s plan × 10 % = 5 units/s over 40 write units/s.
    expect(result.ok && result.choice.utilisationAfter).toBeCloseTo(0.325);
  });

  it("weighs capacity: a bigger pool at the same utilisation gains less from the tenant", () => {
    const result = choosePool([pool("small", 0.3), pool("big", 0.3, { readUnitsPerSec: 800, writeUnitsPerSec: 400 })], "us-east-1", 100);
    expect(result.ok && result.choice.storageInstanceId).toBe("big");
  });

  it("stays in the tenant's region", () => {
    const result = choosePool([pool("far", 0, { region: "eu-west-1" }), pool("near", 0.5)], "us-east-1", 50);
    expect(result.ok && result.choice.storageInstanceId).toBe("near");
    expect(result.considered.map((c) => c.storageInstanceId)).toEqual(["near"]);
  });

  it("refuses when every pool would pass the ceiling, naming the emptiest and suggesting a new pool", () => {
    const result = choosePool([pool("a", 0.75), pool("b", 0.7)], "us-east-1", 50);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/emptiest, b, would reach 83 % .* ceiling is 80 %.*Create a new pool/);
  });

  it("refuses a region without pools", () => {
    const result = choosePool([pool("a", 0)], "ap-south-1", 50);
    expect(!result.ok && result.reason).toMatch(/No active pool in ap-south-1/);
  });

  it("quantiles ignore gaps", () => {
    expect(quantile([0, 1, 2, 3, 4, NaN], 0.5)).toBe(2);
    expect(quantile([], 0.95)).toBe(0);
    expect(quantile([1, 2], 0.95)).toBeCloseTo(1.95);
  });
});
