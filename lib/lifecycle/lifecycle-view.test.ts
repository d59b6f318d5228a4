import { describe, expect, it } from "vitest";
import type { StepRecord } from "../operations/definition";
import { offboardingPhase } from "./lifecycle-view";

const names = ["validate", "suspend", "export", "grace", "purge", "verify", "retire", "certificate"] as const;
/** The offboarding's steps with the first `done` done and the next one in `current` (a status). */
function steps(done: number, current?: string, extra: Record<string, unknown> = {}): StepRecord[] {
  return names.map((name, index) => ({
    name,
    label: name,
    changesTenant: name !== "validate",
    ...(name === "grace" ? { cancellableWhileWaiting: true } : {}),
    status: (index < done ? "done" : index === done && current ? current : "pending") as StepRecord["status"],
    ...(index === done ? extra : {}),
  }));
}
const row = (status: string, s: StepRecord[], more: Partial<Parameters<typeof offboardingPhase>[0]> = {}) =>
  offboardingPhase({ status: status as never, steps: s, currentStep: null, runAfter: null, approvedAt: new Date(), error: null, ...more });

describe("an offboarding's phase", () => {
  it("follows the operation from the request to the certificate", () => {
    expect(row("awaiting_approval", steps(0), { approvedAt: null })).toEqual({ phase: "awaiting_approval" });
    expect(row("queued", steps(0))).toMatchObject({ phase: "preparing" });
    expect(row("running", steps(2, "running"), { currentStep: "export" })).toEqual({ phase: "preparing", step: "export" });
    const endsAt = new Date("2026-12-10T00:00:00Z");
    expect(row("queued", steps(3, "waiting"), { runAfter: endsAt })).toEqual({ phase: "grace", endsAt, cancelRequested: false });
    expect(row("queued", steps(3, "waiting", { cancelRequest: { byId: "u", byEmail: "e", at: "t" } }))).toMatchObject({
      phase: "grace",
      cancelRequested: true,
    });
    expect(row("running", steps(4, "running"), { currentStep: "purge" })).toEqual({ phase: "deleting", step: "purge" });
    expect(row("succeeded", steps(8))).toEqual({ phase: "done" });
  });

  it("tells a request withdrawn or rejected before approval from a cancellation in the grace period, and says why it stopped", () => {
    expect(row("cancelled", steps(0), { approvedAt: null })).toEqual({ phase: "cancelled", beforeApproval: true });
    expect(row("cancelled", steps(3))).toEqual({ phase: "cancelled", beforeApproval: false });
    expect(row("needs_attention", steps(4, "failed"), { error: "purge refused" })).toEqual({
      phase: "stopped",
      status: "needs_attention",
      error: "purge refused",
    });
  });
});
