// A finding's life, decided from what one evaluation detected: a condition
// seen for a subject with no open finding opens one (or re-opens the one that
// resolved moments ago, so a flapping condition keeps one history); an open
// finding seen again is updated, its severity escalated or lowered; an open
// finding not seen for a few evaluations in a row resolves. Pure.
import { severityRank, type FindingKindValue, type SeverityValue } from "./shapes";

/** What one evaluation found for one subject. */
export interface Detected {
  subject: string;
  kind: FindingKindValue;
  severity: SeverityValue;
  tenantId: string | null;
  storageInstanceId: string | null;
  summary: string;
  /** When the condition began: the first period of its evidence. */
  sinceMs: number;
}

export interface KnownFinding {
  id: string;
  subject: string;
  status: "open" | "resolved";
  severity: SeverityValue;
  quietEvaluations: number;
  resolvedAtMs: number | null;
}

export type Change<D extends Detected = Detected> =
  | { type: "open"; detected: D }
  | { type: "reopen"; id: string; detected: D }
  | { type: "update"; id: string; detected: D; severityChange: "escalated" | "deescalated" | null }
  | { type: "quiet"; id: string; quietEvaluations: number }
  | { type: "resolve"; id: string };

export interface LifecycleOptions {
  /** Evaluations in a row without the condition before an open finding resolves. */
  resolveAfterQuiet: number;
  /** A finding resolved this recently re-opens instead of a new one opening. */
  reopenWithinMs: number;
}

export const defaultLifecycleOptions: LifecycleOptions = { resolveAfterQuiet: 3, reopenWithinMs: 30 * 60_000 };

/**
 * The changes one evaluation makes. `known` holds every open finding and the
 * latest resolved one per subject (for re-opening); `detected` what this
 * evaluation saw, at most one per subject (the worst wins if several).
 */
export function lifecycleChanges<D extends Detected>(
  known: readonly KnownFinding[],
  detected: readonly D[],
  nowMs: number,
  options: LifecycleOptions = defaultLifecycleOptions,
): Change<D>[] {
  const seen = new Map<string, D>();
  for (const d of detected) {
    const previous = seen.get(d.subject);
    if (!previous || severityRank[d.severity] > severityRank[previous.severity]) seen.set(d.subject, d);
  }
  const open = new Map<string, KnownFinding>();
  const lastResolved = new Map<string, KnownFinding>();
  for (const finding of known) {
    if (finding.status === "open") open.set(finding.subject, finding);
    else if ((finding.resolvedAtMs ?? 0) > (lastResolved.get(finding.subject)?.resolvedAtMs ?? -Infinity))
      lastResolved.set(finding.subject, finding);
  }

  const changes: Change<D>[] = [];
  for (const [subject, d] of seen) {
    const current = open.get(subject);
    if (current) {
      const delta = severityRank[d.severity] - severityRank[current.severity];
      changes.push({
        type: "update",
        id: current.id,
        detected: d,
        severityChange: delta > 0 ? "escalated" : delta < 0 ? "deescalated" : null,
      });
      continue;
    }
    const resolved = lastResolved.get(subject);
    if (resolved && resolved.resolvedAtMs !== null && nowMs - resolved.resolvedAtMs <= options.reopenWithinMs)
      changes.push({ type: "reopen", id: resolved.id, detected: d });
    else changes.push({ type: "open", detected: d });
  }
  for (const [subject, finding] of open) {
    if (seen.has(subject)) continue;
    const quiet = finding.quietEvaluations + 1;
    changes.push(
      quiet >= options.resolveAfterQuiet ? { type: "resolve", id: finding.id } : { type: "quiet", id: finding.id, quietEvaluations: quiet },
    );
  }
  return changes;
}

/** The worse of two severities. */
export function worseSeverity(a: SeverityValue, b: SeverityValue): SeverityValue {
  return severityRank[a] >= severityRank[b] ? a : b;
}
