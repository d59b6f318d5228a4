import { describe, expect, it } from "vitest";
import { maxRetryDelayMs, retryDelayMs } from "./backoff";

/** The largest value a random source in [0, 1) gives, near enough. */
const almostOne = () => 1 - 1e-12;

describe("the retry schedule", () => {
  it("doubles with each failed attempt, from half to all of base × 2^attempts", () => {
    const base = 30_000;
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, base, almostOne))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, base, () => 0))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(1, base, () => 0.5)).toBe(45_000);
  });

  it("is capped at an hour, however many attempts", () => {
    expect(retryDelayMs(12, 30_000, almostOne)).toBe(maxRetryDelayMs);
    expect(retryDelayMs(1_000, 30_000, almostOne)).toBe(maxRetryDelayMs);
    expect(retryDelayMs(1_000, 30_000, () => 0)).toBe(maxRetryDelayMs / 2);
  });
});
