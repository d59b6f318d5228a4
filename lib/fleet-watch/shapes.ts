// What the watcher stores in the catalog's JSON columns (Finding.evidence,
// .victims, .recommendation, .outcome; WatchEvaluation.snapshot), typed once
// for the watcher that writes them and the pages that read them.
import type { Prediction } from "../fairness/what-if";

export type FindingKindValue = "noisy_neighbour" | "instance_pressure" | "unfair_pool";
export type SeverityValue = "minor" | "major" | "critical";
export const severityRank: Record<SeverityValue, number> = { minor: 0, major: 1, critical: 2 };

export interface EvidenceWindow {
  startMs: number;
  endMs: number;
  periodSeconds: number;
}

/** Figures behind a finding, on the window they were read for. */
export interface FindingEvidence {
  window: EvidenceWindow;
  /** noisy_neighbour: the tenant's share over its fair share, peak and mean over the span. */
  peakRatio?: number;
  meanRatio?: number;
  /** The instance's utilisation (busier of reads and writes over capacity), peak and latest, 0..1+. */
  peakUtilisation?: number;
  latestUtilisation?: number;
  /** Requests the instance refused for capacity in the window, and all its requests. */
  capacityThrottled?: number;
  requests?: number;
  /** unfair_pool: Jain's index over the window and the tenant count it is over. */
  jain?: number;
  tenants?: number;
}

export interface FindingVictim {
  tenantId: string;
  requests: number;
  capacityThrottled: number;
  capacityThrottleRatio: number;
  /** NaN when no latency was published: stored as null. */
  latencyP99Max: number | null;
}

export type RecommendedAction =
  | { action: "observe" }
  | { action: "migrate_to_silo" }
  | { action: "migrate_to_pool"; targetInstanceId: string }
  | { action: "lower_plan"; ratePerSec: number };

/**
 * One recommendation per pool: the tenants flagged there are considered
 * together (moving one may be enough). `moves` are the changes recommended,
 * in order; `before`/`after` predict the pool with all of them applied.
 */
export interface PoolRecommendation {
  storageInstanceId: string;
  /** Tenants flagged on the pool when it was made. */
  flagged: string[];
  moves: ({ tenantId: string; reason: string } & RecommendedAction)[];
  reason: string;
  before: Prediction;
  after: Prediction;
}

/** Whether an operation meant to fix the finding did what was predicted. */
export interface FindingOutcome {
  operationId: string;
  operationKind: string;
  finishedAtMs: number;
  /** Co-tenants' capacity-throttled ratio and the pool's peak utilisation, the hour before and after the operation. */
  before: { coTenantThrottleRatio: number; peakUtilisation: number };
  after: { coTenantThrottleRatio: number; peakUtilisation: number };
  predicted: { coTenantThrottleRatio: number; peakUtilisation: number };
  cameTrue: boolean;
  detail: string;
}

/** Per instance, what the overview draws without reading tenants' metrics. */
export interface SnapshotInstance {
  id: string;
  mode: "pool" | "silo";
  tenantCount: number;
  utilisationPeak: number;
  utilisationLatest: number;
  capacityThrottled: number;
  requests: number;
  /** From the last fairness pass (pools of two or more); null when not yet evaluated. */
  jain: number | null;
  fairnessAtMs: number | null;
  /** The pool's peak utilisation over the hour its fairness was read for. */
  fairnessPeakUtilisation?: number | null;
  openFindings: number;
}

/** The watch's own cost: metrics requested per evaluation and per month at the current size, and the price used. */
export interface WatchCost {
  metricsPerEvaluation: number;
  evaluationsPerMonth: number;
  monthlyUsd: number;
  /** What reading every tenant's metrics every period would cost instead. */
  naiveMonthlyUsd: number;
  pricePerThousandMetricsUsd: number;
}

export interface FleetSnapshot {
  evaluatedAtMs: number;
  periodSeconds: number;
  tenants: number;
  instances: SnapshotInstance[];
  openFindings: Record<SeverityValue, number>;
  /** Pools whose tenants' series were read in this evaluation (under pressure or with an open finding). */
  pressuredPools: string[];
  cost: WatchCost;
}
