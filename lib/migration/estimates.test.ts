import { describe, expect, it } from "vitest";
import { estimateMigration, minimumCopyRatePerSec, suggestedCopyRate } from "./estimates";

describe("suggestedCopyRate", () => {
  const quiet = { readUnitsPerSec: 1_000, writeUnitsPerSec: 1_000, p95Utilisation: 0.3 };
  it("gives the copy a share of the headroom under 80 % on the busier side", () => {
    // Target writes: (0.8 - 0.3) * 1000 * 0.5 = 250 units/s; 1 KB items cost one unit each.
    expect(suggestedCopyRate({ ...quiet, readUnitsPerSec: 100_000 }, quiet, 1_000, 0.5)).toBe(250);
    // 2 KB items cost two write units each.
    expect(suggestedCopyRate({ ...quiet, readUnitsPerSec: 100_000 }, quiet, 2_000, 0.5)).toBe(125);
    // Source reads limit when the source is busy: (0.8 - 0.7) * 2000 * 0.5 = 100 units/s.
    expect(suggestedCopyRate({ ...quiet, p95Utilisation: 0.7, readUnitsPerSec: 2_000 }, quiet, 1_000, 0.5)).toBe(100);
  });
  it("never suggests less than the floor, even for a saturated instance", () => {
    expect(suggestedCopyRate({ ...quiet, p95Utilisation: 0.95 }, quiet, 1_000, 0.5)).toBe(minimumCopyRatePerSec);
  });
});

describe("estimateMigration", () => {
  it("uses defaults until migrations have been measured", () => {
    const estimate = estimateMigration(10_000, 0, []);
    expect(estimate.measured).toBe(false);
    expect(estimate.copySeconds).toBe(2);
  });
  it("uses the medians of past migrations, and the copy cap when it is lower", () => {
    const past = [
      { copyItemsPerSec: 1_000, verifyItemsPerSec: 10_000, freezeMs: 400 },
      { copyItemsPerSec: 3_000, verifyItemsPerSec: 10_000, freezeMs: 900 },
      { copyItemsPerSec: 2_000, verifyItemsPerSec: 10_000, freezeMs: 600 },
    ];
    expect(estimateMigration(10_000, 0, past)).toMatchObject({ copySeconds: 5, freezeMs: 600, measured: true });
    expect(estimateMigration(10_000, 500, past).copySeconds).toBe(20);
    expect(estimateMigration(10_000, 0, past).totalSeconds).toBeCloseTo(3 + 5 + 1);
  });
});
