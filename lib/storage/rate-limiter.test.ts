import { describe, expect, it, vi } from "vitest";
import { RateLimiter } from "./tenant-partitions";

describe("RateLimiter", () => {
  it("lets a batch larger than a second's rate through once its tokens have accrued (it waited forever before)", async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(10);
      let done = false;
      const taking = limiter.take(25).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1_600);
      await taking;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("takes at once what the bucket holds", async () => {
    const limiter = new RateLimiter(100);
    await limiter.take(25);
    await limiter.take(25);
  });
});
