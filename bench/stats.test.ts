import { describe, expect, it } from "vitest";
import { percentile } from "./stats";

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it("refuses an empty sample", () => {
    expect(() => percentile([], 50)).toThrow();
  });
});
