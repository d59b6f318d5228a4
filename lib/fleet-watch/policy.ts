// The remediation policy, pure: from a noisy-neighbour finding, its pool's
// joint recommendation and the settings (kill switch, policy per severity),
// which operations to propose, each with its predicted effect, blast radius
// and how to undo it; and, for every case where nothing is proposed, why.
// Only reversible actions are proposed (a migration keeps its source copy for
// a rollback window; a plan change can be changed back), and never one whose
// prediction shows fairness getting worse or co-tenants refused more.
// The sync (proposals.ts) turns the drafts into Proposal rows.
import { can } from "../auth/permissions";
import type { RoleValue } from "../catalog/vocabulary";
import type { Prediction } from "../fairness/what-if";
import type { FindingKindValue, PoolRecommendation, RecommendedAction, SeverityValue } from "./shapes";

export const remediationPolicies = ["off", "propose", "approve"] as const;
export type RemediationPolicy = (typeof remediationPolicies)[number];

export const remediationLabels: Record<RemediationPolicy, string> = {
  off: "Off",
  propose: "Propose",
  approve: "Propose, apply after approval",
};

export const remediationDescriptions: Record<RemediationPolicy, string> = {
  off: "No proposal: the finding and its recommendation only.",
  propose: "A proposal an operator reads and, if they agree, starts from the tenant's page.",
  approve: "A proposal whose approval by an operator queues the operation at once.",
};

export interface WatchSettingsValue {
  /** The kill switch: nothing is proposed or approved while it is on. */
  proposalsOff: boolean;
  remediation: Record<SeverityValue, RemediationPolicy>;
}

/** What the catalog's row holds before an admin changes it (prisma/schema.prisma's defaults). */
export const defaultWatchSettings: WatchSettingsValue = {
  proposalsOff: false,
  remediation: { minor: "off", major: "propose", critical: "approve" },
};

export const severities: readonly SeverityValue[] = ["minor", "major", "critical"];

/** The stored per-severity policy; a severity missing or holding an unknown value is "off" (the safe reading). */
export function parseRemediation(json: unknown): Record<SeverityValue, RemediationPolicy> {
  const stored = json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const policyOf = (severity: SeverityValue): RemediationPolicy => {
    const value = stored[severity];
    return remediationPolicies.includes(value as RemediationPolicy) ? (value as RemediationPolicy) : "off";
  };
  return { minor: policyOf("minor"), major: policyOf("major"), critical: policyOf("critical") };
}

export type ProposalActionValue = "migrate_to_pool" | "migrate_to_silo" | "lower_plan";

/** The migration target that means "a new silo of its own" (the migration form's value, lib/migration/operation.ts). */
export const newSiloTarget = "new-silo";

export type ProposalParameters = { target: string } | { planId: string };

/** Who and what an action touches. */
export interface BlastRadius {
  /** The tenant the action changes. */
  tenantId: string;
  sourceInstanceId: string;
  /** The tenant's co-tenants on its instance (they get the predicted effect): the first few, and how many in all. */
  sourceCoTenants: string[];
  sourceCoTenantCount: number;
  /** Where a migration moves the tenant (newSiloTarget for a new silo); null for a plan change. */
  targetInstanceId: string | null;
  /** Tenants already on a target pool, who share it with the tenant afterwards: the first few, and how many in all. */
  targetTenants: string[];
  targetTenantCount: number;
  /** Items a migration copies, when known; null when not counted (the migration counts them when it runs). */
  itemsToMove: number | null;
}

export interface ProposalPrediction {
  /** The pool as measured over the recommendation's window, and as predicted with the recommendation applied. */
  before: Prediction;
  after: Prediction;
  /** Other moves of the pool's joint recommendation that the prediction counts on (it predicts the pool with all of them). */
  alongside: { tenantId: string; action: RecommendedAction["action"] }[];
  blastRadius: BlastRadius;
  /** How to undo it. */
  reversal: string;
  /** lower_plan: the rate the recommendation asked for (the plan proposed allows at most this). */
  recommendedRatePerSec?: number;
}

export interface ProposalDraft {
  tenantId: string;
  action: ProposalActionValue;
  parameters: ProposalParameters;
  prediction: ProposalPrediction;
  reason: string;
  /** The policy is "approve": approving queues the operation. */
  applyOnApproval: boolean;
}

export interface PolicyDecision {
  drafts: ProposalDraft[];
  /** Why nothing, or not everything recommended, was proposed. */
  notes: string[];
}

export interface PolicyFinding {
  id: string;
  kind: FindingKindValue;
  status: "open" | "resolved";
  severity: SeverityValue;
  tenantId: string | null;
  storageInstanceId: string | null;
}

export interface PlanChoice {
  id: string;
  name: string;
  ratePerSec: number;
}

export interface PolicyContext {
  /** Every throttling plan: a lower rate is proposed as the existing plan closest below it. */
  plans: PlanChoice[];
  /** The finding's tenant's current plan (what a plan change goes back to). */
  tenantPlanId: string | null;
  /** How long a migration keeps the source copy for a rollback; 0 keeps none, so a migration cannot be undone. */
  rollbackWindowMs: number;
  /** Tenants placed on each instance the proposals concern (the source pool, target pools). */
  tenantsByInstance: Record<string, string[]>;
  /** Items of the tenant a migration would copy, when known. */
  itemsToMove?: number | null;
}

/** How many tenant ids a blast radius lists (the counts are whole). */
export const listedTenants = 20;

// Predictions come from sums of measured figures: differences below this are rounding, not change.
const epsilon = 1e-9;

const hour = 3_600_000;

function formatHours(ms: number): string {
  const hours = ms / hour;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

/** Why the pool's predicted after-state may not be proposed, or null when it may. */
export function predictionRefusal(before: Prediction, after: Prediction): string | null {
  const figures = [before.jain, after.jain, before.coTenantCapacityThrottled, after.coTenantCapacityThrottled];
  if (!figures.every((value) => typeof value === "number" && Number.isFinite(value)))
    return "The prediction is incomplete (no fairness or refusal figure): nothing is proposed on it.";
  if (after.jain < before.jain - epsilon)
    return `The prediction shows fairness getting worse (Jain ${before.jain.toFixed(2)} → ${after.jain.toFixed(2)}): nothing is proposed.`;
  if (after.coTenantCapacityThrottled > before.coTenantCapacityThrottled)
    return `The prediction shows co-tenants refused more (${before.coTenantCapacityThrottled} → ${after.coTenantCapacityThrottled} requests): nothing is proposed.`;
  const better =
    after.coTenantCapacityThrottled < before.coTenantCapacityThrottled ||
    after.jain > before.jain + epsilon ||
    (Number.isFinite(before.peakUtilisation) &&
      Number.isFinite(after.peakUtilisation) &&
      after.peakUtilisation < before.peakUtilisation - epsilon);
  return better ? null : "The prediction shows no improvement (refusals, fairness and peak utilisation unchanged): nothing is proposed.";
}

/**
 * The existing plan a lower rate maps to: the one with the highest rate at or below it. None when no plan is that
 * low, or when it would not lower the tenant's current plan.
 */
export function planAtOrBelow(
  plans: readonly PlanChoice[],
  ratePerSec: number,
  current: PlanChoice | null,
): { plan: PlanChoice } | { refusal: string } {
  const plan = plans
    .filter((p) => p.ratePerSec <= ratePerSec)
    .sort(
      (a, b) => b.ratePerSec - a.ratePerSec || Number(b.id === current?.id) - Number(a.id === current?.id) || a.id.localeCompare(b.id),
    )[0];
  if (!plan) {
    const lowest = [...plans].sort((a, b) => a.ratePerSec - b.ratePerSec)[0];
    return {
      refusal: `No throttling plan allows at most ${ratePerSec} requests/s${
        lowest ? ` (the lowest is ${lowest.name} at ${lowest.ratePerSec} requests/s)` : ""
      }: create one on the Plans page to have it proposed.`,
    };
  }
  if (current && plan.ratePerSec >= current.ratePerSec)
    return { refusal: `Its plan ${current.name} (${current.ratePerSec} requests/s) already allows no more than ${ratePerSec} requests/s.` };
  return { plan };
}

function listed(tenants: readonly string[] | undefined, except: string): { ids: string[]; count: number } {
  const others = [...new Set(tenants ?? [])].filter((id) => id !== except).sort();
  return { ids: others.slice(0, listedTenants), count: others.length };
}

function blastRadius(tenantId: string, sourceInstanceId: string, target: string | null, context: PolicyContext): BlastRadius {
  const source = listed(context.tenantsByInstance[sourceInstanceId], tenantId);
  const onTarget = target && target !== newSiloTarget ? listed(context.tenantsByInstance[target], tenantId) : { ids: [], count: 0 };
  return {
    tenantId,
    sourceInstanceId,
    sourceCoTenants: source.ids,
    sourceCoTenantCount: source.count,
    targetInstanceId: target,
    targetTenants: onTarget.ids,
    targetTenantCount: onTarget.count,
    itemsToMove: target ? (context.itemsToMove ?? null) : null,
  };
}

export function proposalsFor(
  finding: PolicyFinding,
  recommendation: PoolRecommendation | null,
  settings: WatchSettingsValue,
  context: PolicyContext,
): PolicyDecision {
  const none = (note: string): PolicyDecision => ({ drafts: [], notes: [note] });
  if (settings.proposalsOff) return none("The kill switch is on: nothing is proposed.");
  if (finding.kind !== "noisy_neighbour") return none("Only noisy-neighbour findings get proposals.");
  if (finding.status !== "open") return none("The finding is resolved.");
  const policy = settings.remediation[finding.severity];
  if (policy === "off") return none(`The policy for ${finding.severity} findings is off.`);
  if (!recommendation) return none("The pool has no recommendation yet.");
  const { tenantId, storageInstanceId } = finding;
  if (!tenantId || !storageInstanceId || recommendation.storageInstanceId !== storageInstanceId)
    return none(`The recommendation is for ${recommendation.storageInstanceId}, not this finding's instance: nothing is proposed.`);

  const moves = recommendation.moves.filter((move) => move.tenantId === tenantId);
  if (moves.length === 0) {
    const others = recommendation.moves.filter((move) => move.action !== "observe").map((move) => move.tenantId);
    return none(
      others.length
        ? `The pool's recommendation changes ${others.join(", ")}, which is predicted to be enough: nothing is proposed for ${tenantId}.`
        : `The pool's recommendation has no change for ${tenantId}.`,
    );
  }
  const acting = moves.filter((move) => move.action !== "observe");
  if (acting.length === 0) return none(`The recommendation is to observe ${tenantId}: nothing to propose.`);
  const refusal = predictionRefusal(recommendation.before, recommendation.after);
  if (refusal) return none(refusal);

  const alongside = recommendation.moves
    .filter((move) => move.tenantId !== tenantId && move.action !== "observe")
    .map((move) => ({ tenantId: move.tenantId, action: move.action }));
  const predicted = (target: string | null, reversal: string, extra: Partial<ProposalPrediction> = {}): ProposalPrediction => ({
    before: recommendation.before,
    after: recommendation.after,
    alongside,
    blastRadius: blastRadius(tenantId, storageInstanceId, target, context),
    reversal,
    ...extra,
  });
  const applyOnApproval = policy === "approve";
  const current = context.plans.find((plan) => plan.id === context.tenantPlanId) ?? null;

  const drafts: ProposalDraft[] = [];
  const notes: string[] = [];
  for (const move of acting) {
    if (move.action === "migrate_to_pool" || move.action === "migrate_to_silo") {
      if (context.rollbackWindowMs <= 0) {
        notes.push("Migrations keep no source copy (the rollback window is 0 h), so one cannot be undone: it is not proposed.");
        continue;
      }
      const target = move.action === "migrate_to_silo" ? newSiloTarget : move.targetInstanceId;
      if (target === storageInstanceId) {
        notes.push(`The recommendation moves ${tenantId} to the instance it is on: nothing is proposed.`);
        continue;
      }
      drafts.push({
        tenantId,
        action: move.action,
        parameters: { target },
        prediction: predicted(
          target,
          `Roll it back from the migration's page within ${formatHours(context.rollbackWindowMs)} (the source copy is kept that long).`,
        ),
        reason: move.reason,
        applyOnApproval,
      });
    } else {
      if (!current) {
        notes.push(`${tenantId}'s current plan is unknown, so a plan change could not be changed back: it is not proposed.`);
        continue;
      }
      const choice = planAtOrBelow(context.plans, move.ratePerSec, current);
      if ("refusal" in choice) {
        notes.push(`${choice.refusal} Nothing is proposed.`);
        continue;
      }
      drafts.push({
        tenantId,
        action: "lower_plan",
        parameters: { planId: choice.plan.id },
        prediction: predicted(null, `Change it back to ${current.name} (${current.ratePerSec} requests/s).`, {
          recommendedRatePerSec: move.ratePerSec,
        }),
        reason: `${move.reason} The closest existing plan at or below ${move.ratePerSec} requests/s is ${choice.plan.name} (${choice.plan.ratePerSec} requests/s).`,
        applyOnApproval,
      });
    }
  }
  return { drafts, notes };
}

/** The same action with the same parameters (for a finding, the same change to the same tenant). */
export function actionKey(proposal: { action: string; parameters: unknown }): string {
  const parameters =
    proposal.parameters !== null && typeof proposal.parameters === "object"
      ? Object.fromEntries(Object.entries(proposal.parameters as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : proposal.parameters;
  return `${proposal.action}:${JSON.stringify(parameters)}`;
}

/** One key per distinct proposal of a finding: the same action with the same parameters, under the same policy. */
export function proposalIdentity(proposal: { action: string; parameters: unknown; applyOnApproval: boolean }): string {
  return `${actionKey(proposal)}:${proposal.applyOnApproval ? "apply" : "advice"}`;
}

/** What a viewer may do with proposals (the permission matrix, read to hide what the role cannot do; the actions check it again). */
export interface ProposalViewer {
  /** findings.approve: approve, reject, queue again. */
  canDecide: boolean;
  /** tenants.migrate: open the migration form a proposal prefills. */
  canMigrate: boolean;
  /** tenants.changePlan: open the tenant's plan page. */
  canChangePlan: boolean;
}

export function proposalViewer(role: RoleValue): ProposalViewer {
  return {
    canDecide: can(role, "findings.approve"),
    canMigrate: can(role, "tenants.migrate"),
    canChangePlan: can(role, "tenants.changePlan"),
  };
}
