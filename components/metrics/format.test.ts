import { describe, expect, it } from "vitest";
import { formatBytes, formatMs, formatPercent, formatRatio, formatSpan } from "./format";

describe("metric formatting", () => {
  it("shows unmeasured values as a dash, never as zero", () => {
    expect(formatMs(Number.NaN)).toBe("—");
    expect(formatPercent(null)).toBe("—");
    expect(formatRatio(undefined)).toBe("—");
  });

  it("keeps small percentages visible and units attached", () => {
    expect(formatPercent(0.0004)).toBe("< 0.1%");
    expect(formatPercent(0.0123)).toBe("1.2%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatRatio(3.44)).toBe("3.4×");
    expect(formatMs(312.4)).toBe("312 ms");
    expect(formatBytes(509_600)).toBe("497.7 KiB");
  });

  it("writes spans in UTC, with the day once", () => {
    const start = Date.UTC(2026, 10, 24, 10, 0);
    expect(formatSpan(start, start + 30 * 60_000)).toBe("24 Nov, 10:00–10:30 UTC");
  });
});
