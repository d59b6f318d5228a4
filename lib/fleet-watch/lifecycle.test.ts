import { describe, expect, it } from "vitest";
import { lifecycleChanges, type Detected, type KnownFinding } from "./lifecycle";

const now = Date.UTC(2026, 11, 1, 12, 0);
const detected = (subject: string, severity: Detected["severity"] = "major"): Detected => ({
  subject,
  kind: "noisy_neighbour",
  severity,
  tenantId: "acme",
  storageInstanceId: "pool-1",
  summary: "acme takes 4× its fair share",
  sinceMs: now - 12 * 60_000,
});
const open = (subject: string, severity: Detected["severity"] = "major", quietEvaluations = 0): KnownFinding => ({
  id: `f-${subject}`,
  subject,
  status: "open",
  severity,
  quietEvaluations,
  resolvedAtMs: null,
});
const resolved = (subject: string, agoMs: number, id = `r-${subject}`): KnownFinding => ({
  id,
  subject,
  status: "resolved",
  severity: "major",
  quietEvaluations: 3,
  resolvedAtMs: now - agoMs,
});

describe("finding lifecycle", () => {
  it("opens a finding for a condition first seen", () => {
    expect(lifecycleChanges([], [detected("a")], now)).toEqual([{ type: "open", detected: detected("a") }]);
  });

  it("updates an open finding seen again, saying when its severity moved", () => {
    expect(lifecycleChanges([open("a")], [detected("a")], now)).toEqual([
      { type: "update", id: "f-a", detected: detected("a"), severityChange: null },
    ]);
    expect(lifecycleChanges([open("a", "minor")], [detected("a", "critical")], now)[0]).toMatchObject({ severityChange: "escalated" });
    expect(lifecycleChanges([open("a", "critical")], [detected("a", "major")], now)[0]).toMatchObject({ severityChange: "deescalated" });
  });

  it("resolves only after the condition was absent for several evaluations in a row", () => {
    expect(lifecycleChanges([open("a")], [], now)).toEqual([{ type: "quiet", id: "f-a", quietEvaluations: 1 }]);
    expect(lifecycleChanges([open("a", "major", 1)], [], now)).toEqual([{ type: "quiet", id: "f-a", quietEvaluations: 2 }]);
    expect(lifecycleChanges([open("a", "major", 2)], [], now)).toEqual([{ type: "resolve", id: "f-a" }]);
  });

  it("re-opens a finding resolved moments ago rather than opening another", () => {
    expect(lifecycleChanges([resolved("a", 5 * 60_000)], [detected("a")], now)).toEqual([
      { type: "reopen", id: "r-a", detected: detected("a") },
    ]);
    // The latest resolution of the subject is the one re-opened.
    expect(lifecycleChanges([resolved("a", 20 * 60_000, "old"), resolved("a", 2 * 60_000, "new")], [detected("a")], now)[0]).toMatchObject({
      type: "reopen",
      id: "new",
    });
  });

  it("opens a new finding when the last one resolved long ago", () => {
    expect(lifecycleChanges([resolved("a", 3 * 3_600_000)], [detected("a")], now)).toEqual([{ type: "open", detected: detected("a") }]);
  });

  it("keeps one change per subject, the worst detection winning", () => {
    const changes = lifecycleChanges([], [detected("a", "minor"), detected("a", "critical"), detected("b")], now);
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ type: "open", detected: { subject: "a", severity: "critical" } });
  });

  it("leaves subjects it knows nothing new about alone", () => {
    expect(lifecycleChanges([resolved("a", 60_000)], [], now)).toEqual([]);
  });
});
