import { describe, expect, it } from "vitest";
import { compareBeforeAfter, latencyChange, refusalChange, type CoTenantSeries } from "./before-after";

const minute = 60_000;
const finishedAtMs = Date.UTC(2026, 11, 2, 12, 30, 20);
// Two hours of minutes around the operation's end, from 11:30 to 13:30.
const start = Date.UTC(2026, 11, 2, 11, 30);
const timestamps = Array.from({ length: 120 }, (_, i) => start + i * minute);
const isBefore = (t: number) => t + minute <= finishedAtMs;

function series(tenantId: string, values: (t: number) => { requests: number; refused: number; p99: number }): CoTenantSeries {
  const points = timestamps.map(values);
  return {
    tenantId,
    requests: points.map((p) => p.requests),
    capacityThrottled: points.map((p) => p.refused),
    p99: points.map((p) => p.p99),
  };
}

describe("before and after an operation", () => {
  it("compares co-tenants' refusals and p99 in the hour before the operation finished and the hour after", () => {
    const coTenants = [
      series("victim", (t) => (isBefore(t) ? { requests: 100, refused: 20, p99: 300 } : { requests: 100, refused: 0, p99: 40 })),
      series("quiet", (t) => (isBefore(t) ? { requests: 10, refused: 1, p99: 250 } : { requests: 10, refused: 0, p99: NaN })),
    ];
    const result = compareBeforeAfter({ timestamps, periodSeconds: 60, finishedAtMs, nowMs: finishedAtMs + 2 * 3_600_000, coTenants });
    // Whole minutes only: 11:31..12:29 before (the hour before starts at 11:30:20), 12:31..13:29 after (it ends at
    // 13:30:20); the minute the operation finished in (12:30) belongs to neither.
    expect(result.before).toMatchObject({ periods: 59, requests: 6_490, capacityThrottled: 1_239, p99Worst: 300, p99Typical: 300 });
    expect(result.before.throttleRatio).toBeCloseTo(1_239 / 6_490);
    expect(result.after).toMatchObject({ periods: 59, capacityThrottled: 0, throttleRatio: 0, p99Worst: 40, p99Typical: 40 });
    expect(result.afterComplete).toBe(true);
    expect(result).toMatchObject({ refusals: "better", latency: "better" });
    expect(result.coTenants.map((c) => [c.tenantId, c.before.capacityThrottled, c.after.p99Worst])).toEqual([
      ["victim", 1_180, 40],
      ["quiet", 59, null],
    ]);
  });

  it("says so when it got worse, and when the hour after has not passed yet", () => {
    const coTenants = [
      series("victim", (t) => (isBefore(t) ? { requests: 100, refused: 1, p99: 50 } : { requests: 100, refused: 10, p99: 90 })),
    ];
    const nowMs = finishedAtMs + 20 * minute;
    const result = compareBeforeAfter({ timestamps, periodSeconds: 60, finishedAtMs, nowMs, coTenants });
    expect(result.afterComplete).toBe(false);
    expect(result.after.periods).toBe(19);
    expect(result.after.endMs).toBe(nowMs);
    expect(result).toMatchObject({ refusals: "worse", latency: "worse" });
  });

  it("has nothing to say about an after window that has no whole period yet, or about co-tenants that made no request", () => {
    const coTenants = [series("idle", () => ({ requests: 0, refused: 0, p99: NaN }))];
    const early = compareBeforeAfter({ timestamps, periodSeconds: 60, finishedAtMs, nowMs: finishedAtMs + 10_000, coTenants });
    expect(early).toMatchObject({ refusals: "unknown", latency: "unknown" });
    expect(early.after.periods).toBe(0);
    const idle = compareBeforeAfter({ timestamps, periodSeconds: 60, finishedAtMs, nowMs: finishedAtMs + 3 * 3_600_000, coTenants });
    expect(idle.before).toMatchObject({ throttleRatio: null, p99Typical: null, p99Worst: null });
    expect(idle).toMatchObject({ refusals: "unknown", latency: "unknown" });
  });

  it("takes a p99 median over periods, so one spike does not decide", () => {
    const coTenants = [
      series("a", (t) => ({ requests: 10, refused: 0, p99: isBefore(t) ? (t === start + minute ? 5_000 : 100) : 100 })),
      series("b", () => ({ requests: 10, refused: 0, p99: 20 })),
    ];
    const result = compareBeforeAfter({ timestamps, periodSeconds: 60, finishedAtMs, nowMs: finishedAtMs + 3 * 3_600_000, coTenants });
    expect(result.before).toMatchObject({ p99Worst: 5_000, p99Typical: 100 });
    expect(result.latency).toBe("unchanged");
    expect(result.refusals).toBe("unchanged");
  });

  it("counts small moves in refusals and latency as no change", () => {
    expect(refusalChange(0.0004, 0.0009)).toBe("unchanged");
    expect(refusalChange(0.1, 0.09)).toBe("unchanged");
    expect(refusalChange(0.1, 0.08)).toBe("better");
    expect(refusalChange(0.01, 0)).toBe("better");
    expect(refusalChange(0, 0.01)).toBe("worse");
    expect(refusalChange(null, 0.01)).toBe("unknown");
    expect(latencyChange(100, 95)).toBe("unchanged");
    expect(latencyChange(100, 120)).toBe("worse");
  });
});
