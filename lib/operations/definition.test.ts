import { describe, expect, it } from "vitest";
import { isCancellable, overallProgress, type StepRecord } from "./definition";

const step = (name: string, changesTenant: boolean, status: StepRecord["status"], progress?: number): StepRecord => ({
  name,
  label: name,
  changesTenant,
  status,
  progress,
});

describe("operation steps", () => {
  it("can be cancelled until a step that changes the tenant has started", () => {
    const before = [step("validate", false, "done"), step("place", false, "running"), step("provision", true, "pending")];
    expect(isCancellable("running", before)).toBe(true);
    expect(isCancellable("queued", before)).toBe(true);
    const after = [step("validate", false, "done"), step("place", false, "done"), step("provision", true, "running")];
    expect(isCancellable("running", after)).toBe(false);
    expect(isCancellable("failed", [...after.slice(0, 2), step("provision", true, "failed")])).toBe(false);
    expect(isCancellable("succeeded", before)).toBe(false);
    expect(isCancellable("cancelled", before)).toBe(false);
  });

  it("counts finished steps and the running step's fraction", () => {
    expect(
      overallProgress([step("a", false, "done"), step("b", true, "running", 0.5), step("c", true, "pending"), step("d", true, "pending")]),
    ).toBe(0.375);
    expect(overallProgress([])).toBe(0);
  });
});
