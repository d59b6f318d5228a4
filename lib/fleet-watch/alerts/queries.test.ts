import { describe, expect, it } from "vitest";
import { notificationState } from "./queries";

const at = new Date("2026-12-02T07:00:00Z");

describe("a notification's state in words", () => {
  it("says what became of it", () => {
    expect(notificationState({ status: "sent", attempts: 2, nextAttemptAt: at, lastError: null })).toBe("sent (attempt 2)");
    expect(notificationState({ status: "pending", attempts: 0, nextAttemptAt: at, lastError: null })).toBe(
      "waiting to be sent (not before 2026-12-02 07:00 UTC)",
    );
    expect(notificationState({ status: "pending", attempts: 1, nextAttemptAt: at, lastError: null })).toBe("being sent (attempt 1)");
    expect(notificationState({ status: "pending", attempts: 2, nextAttemptAt: at, lastError: "HTTP 500" })).toBe(
      "attempt 2 failed (HTTP 500); next at 2026-12-02 07:00 UTC",
    );
    expect(notificationState({ status: "failed", attempts: 8, nextAttemptAt: at, lastError: "HTTP 404" })).toBe(
      "failed after 8 attempts: HTTP 404",
    );
    expect(notificationState({ status: "suppressed", attempts: 0, nextAttemptAt: at, lastError: "its opening alert was not sent" })).toBe(
      "suppressed: its opening alert was not sent",
    );
  });
});
