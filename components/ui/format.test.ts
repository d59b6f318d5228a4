import { describe, expect, it } from "vitest";
import {
  countOf,
  formatBytes,
  formatClock,
  formatCount,
  formatDateTime,
  formatDuration,
  formatIndex,
  formatInteger,
  formatMs,
  formatPercent,
  formatRate,
  formatRatio,
  formatSpan,
  formatTime,
  formatUsd,
  withUnit,
} from "./format";

describe("formatting", () => {
  it("shows unmeasured values as a dash, never as zero", () => {
    for (const missing of [Number.NaN, null, undefined, Number.POSITIVE_INFINITY]) {
      expect(formatMs(missing)).toBe("—");
      expect(formatPercent(missing)).toBe("—");
      expect(formatRatio(missing)).toBe("—");
      expect(formatBytes(missing)).toBe("—");
      expect(formatDuration(missing)).toBe("—");
      expect(formatRate(missing, "req/s")).toBe("—");
      expect(formatInteger(missing)).toBe("—");
      expect(withUnit(missing, "req")).toBe("—");
    }
    expect(formatDateTime(null)).toBe("—");
    expect(formatClock(undefined)).toBe("—");
  });

  it("writes counts with separators and their noun", () => {
    expect(formatInteger(1234567)).toBe("1,234,567");
    expect(withUnit(1200, "req/s")).toBe("1,200 req/s");
    expect(countOf(1, "pool")).toBe("1 pool");
    expect(countOf(3, "pool")).toBe("3 pools");
    expect(countOf(2, "entry", "entries")).toBe("2 entries");
    expect(formatCount(99_999)).toBe("99,999");
    expect(formatCount(1_234_567, "req")).toBe("1.2M req");
  });

  it("keeps small shares visible and units attached", () => {
    expect(formatPercent(0.0004)).toBe("< 0.1%");
    expect(formatPercent(0.0123)).toBe("1.2%");
    expect(formatPercent(0.05)).toBe("5%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(0.1234, 1)).toBe("12.3%");
    expect(formatPercent(0, 1)).toBe("0%");
    expect(formatRatio(3.44)).toBe("3.4×");
    expect(formatRatio(12.4)).toBe("12×");
    expect(formatIndex(0.5)).toBe("0.50");
    expect(formatMs(312.4)).toBe("312 ms");
    expect(formatMs(4.44)).toBe("4.4 ms");
    expect(formatRate(12.34, "req/s")).toBe("12.3 req/s");
    expect(formatRate(1234.5, "WCU/s")).toBe("1,235 WCU/s");
    expect(formatUsd(0.0012)).toBe("$0.0012");
    expect(formatUsd(3.4)).toBe("$3.40");
  });

  it("writes bytes in binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(509_600)).toBe("497.7 KiB");
    expect(formatBytes(5n * 1024n ** 3n)).toBe("5 GiB");
  });

  it("writes durations in the unit a reader expects", () => {
    expect(formatDuration(840)).toBe("840 ms");
    expect(formatDuration(999.7)).toBe("1 s");
    expect(formatDuration(4_240)).toBe("4.2 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatDuration(180_000)).toBe("3 min");
    expect(formatDuration(42 * 60_000)).toBe("42 min");
    expect(formatDuration(72 * 60_000)).toBe("72 min");
    expect(formatDuration(132 * 60_000)).toBe("2 h 12 min");
    expect(formatDuration(76 * 3_600_000)).toBe("3 d 4 h");
  });

  it("writes times in UTC, with the day once in a span", () => {
    const start = Date.UTC(2026, 10, 24, 10, 0, 7);
    expect(formatDateTime(new Date(start))).toBe("24 Nov 2026, 10:00 UTC");
    expect(formatDateTime(new Date(start).toISOString())).toBe("24 Nov 2026, 10:00 UTC");
    expect(formatTime(start)).toBe("10:00");
    expect(formatTime(start, true)).toBe("24 Nov, 10:00");
    expect(formatClock(new Date(start).toISOString())).toBe("10:00:07 UTC");
    expect(formatSpan(start, start + 30 * 60_000)).toBe("24 Nov, 10:00–10:30 UTC");
    expect(formatSpan(start, start + 24 * 3_600_000)).toBe("24 Nov, 10:00–25 Nov, 10:00 UTC");
  });
});
