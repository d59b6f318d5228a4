// Proposal rows from the policy's drafts, kept in step with each evaluation:
// the watcher calls syncProposals for every open noisy-neighbour finding after
// it evaluates (and withdrawProposalsOfResolved for those it resolved). A
// proposal waiting for an operator is kept while the recommendation stands
// (its prediction refreshed), withdrawn when it changes, the finding resolves,
// the policy turns off or the kill switch goes on; a new one is made only
// when none is waiting for the same action and parameters. What an operator
// already approved or rejected for the finding is not proposed again. Two
// callers at once are serialised on the finding's row, so each proposal is
// made once. Every proposal made or withdrawn is audited as the fleet watch's.
import "server-only";
import { auditEntry, auditTarget } from "../audit/record";
import { ActionRefusal } from "../auth/action-context";
import { config } from "../config/config";
import type { Db } from "../db/client";
import type { OperationStatus, Prisma, ProposalAction, ProposalStatus } from "../generated/prisma/client.ts";
import type { Tx } from "../operations/definition";
import {
  actionKey,
  newSiloTarget,
  proposalIdentity,
  proposalsFor,
  type PlanChoice,
  type PolicyFinding,
  type ProposalActionValue,
  type ProposalDraft,
  type ProposalPrediction,
  type WatchSettingsValue,
} from "./policy";
import { readWatchSettings } from "./settings";
import type { PoolRecommendation } from "./shapes";

/** The audit log's actor for what the watcher does on its own. */
export const watcherActor = "(the fleet watch)";

export interface SyncContext {
  /** Every throttling plan; loaded when not given (pass them when syncing many findings in one evaluation). */
  plans?: PlanChoice[];
  /** Defaults to MIGRATION_ROLLBACK_WINDOW_HOURS. */
  rollbackWindowMs?: number;
  /** Items of the finding's tenant a migration would copy, when known. */
  itemsToMove?: number | null;
  now?: Date;
}

export interface SyncResult {
  created: string[];
  /** Waiting proposals kept (their prediction refreshed). */
  kept: string[];
  withdrawn: string[];
  /** Why nothing, or not everything recommended, was proposed (the policy's notes). */
  notes: string[];
}

const watcherAudit = (facts: Parameters<typeof auditEntry>[1]) => ({ ...auditEntry(null, facts), actorEmail: watcherActor });

const asJson = (value: unknown) => value as Prisma.InputJsonValue;

async function withdraw(tx: Tx, proposal: { id: string; findingId: string; tenantId: string }, note: string, now: Date): Promise<boolean> {
  const { count } = await tx.proposal.updateMany({
    where: { id: proposal.id, status: "proposed" },
    data: { status: "withdrawn", decidedAt: now, decisionNote: note },
  });
  if (count === 0) return false;
  await tx.auditEntry.create({
    data: watcherAudit({
      action: "findings.withdrawProposal",
      targetType: "proposal",
      targetId: proposal.id,
      parameters: { findingId: proposal.findingId, tenantId: proposal.tenantId },
      targets: [auditTarget("finding", proposal.findingId), auditTarget("tenant", proposal.tenantId)],
      outcome: "succeeded",
      detail: note,
    }),
  });
  return true;
}

/** Locks the finding's row until the transaction ends: syncs of one finding run one after the other. */
async function lockFinding(tx: Tx, findingId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Finding" WHERE id = ${findingId} FOR UPDATE`;
  return rows.length > 0;
}

/** A proposal as the approval reads it. */
export interface ProposalRow {
  id: string;
  findingId: string;
  tenantId: string;
  action: ProposalAction;
  parameters: Prisma.JsonValue;
}

export type CheckedParameters =
  { action: "migrate_to_pool" | "migrate_to_silo"; target: string } | { action: "lower_plan"; planId: string };

/** A proposal's stored parameters, checked against its action (the row is JSON: it is read, not trusted). */
export function proposalParameters(proposal: { id: string; action: ProposalAction; parameters: Prisma.JsonValue }): CheckedParameters {
  const stored =
    proposal.parameters !== null && typeof proposal.parameters === "object" && !Array.isArray(proposal.parameters)
      ? proposal.parameters
      : {};
  if (proposal.action === "lower_plan") {
    if (typeof stored.planId === "string" && stored.planId) return { action: proposal.action, planId: stored.planId };
  } else if (typeof stored.target === "string" && stored.target) {
    if ((proposal.action === "migrate_to_silo") === (stored.target === newSiloTarget))
      return { action: proposal.action, target: stored.target };
  }
  throw new ActionRefusal(`Proposal ${proposal.id}'s parameters do not fit its action (${proposal.action}): reject it.`);
}

/** "acme's migration to pool-b", "acme's migration to a new silo", "acme's move to plan basic". */
export function formatProposal(proposal: { tenantId: string; action: ProposalActionValue; parameters: unknown }): string {
  const stored = (proposal.parameters ?? {}) as { target?: unknown; planId?: unknown };
  if (proposal.action === "lower_plan") return `${proposal.tenantId}'s move to plan ${String(stored.planId)}`;
  return `${proposal.tenantId}'s migration to ${proposal.action === "migrate_to_silo" ? "a new silo" : String(stored.target)}`;
}

function describeDraft(draft: ProposalDraft): string {
  return `proposed ${formatProposal(draft)}${draft.applyOnApproval ? " (applied when approved)" : " (advice)"}: ${draft.reason}`;
}

export async function syncProposals(
  db: Db,
  findingId: string,
  recommendation: PoolRecommendation | null,
  settings: WatchSettingsValue,
  context: SyncContext = {},
): Promise<SyncResult> {
  const now = context.now ?? new Date();
  const finding = await db.finding.findUnique({
    where: { id: findingId },
    select: { id: true, kind: true, status: true, severity: true, tenantId: true, storageInstanceId: true },
  });
  if (!finding) return { created: [], kept: [], withdrawn: [], notes: [`No finding ${findingId}.`] };
  const policyFinding: PolicyFinding = finding;

  const [tenant, plans] = await Promise.all([
    finding.tenantId ? db.tenant.findUnique({ where: { id: finding.tenantId }, select: { planId: true } }) : null,
    context.plans ?? db.throttlingPlan.findMany({ select: { id: true, name: true, ratePerSec: true } }),
  ]);
  const instances = [
    finding.storageInstanceId,
    ...(recommendation?.moves ?? []).flatMap((move) => (move.action === "migrate_to_pool" ? [move.targetInstanceId] : [])),
  ].filter((id): id is string => id !== null);
  const placed = instances.length
    ? await db.tenant.findMany({
        where: { storageInstanceId: { in: instances }, status: { not: "offboarded" } },
        select: { id: true, storageInstanceId: true },
      })
    : [];
  const tenantsByInstance: Record<string, string[]> = {};
  for (const t of placed) if (t.storageInstanceId) (tenantsByInstance[t.storageInstanceId] ??= []).push(t.id);

  const decision = proposalsFor(policyFinding, recommendation, settings, {
    plans,
    tenantPlanId: tenant?.planId ?? null,
    rollbackWindowMs: context.rollbackWindowMs ?? Math.round(config().MIGRATION_ROLLBACK_WINDOW_HOURS * 3_600_000),
    tenantsByInstance,
    itemsToMove: context.itemsToMove ?? null,
  });
  const wanted = new Map(decision.drafts.map((draft) => [proposalIdentity(draft), draft]));

  return db.$transaction(async (tx) => {
    const result: SyncResult = { created: [], kept: [], withdrawn: [], notes: decision.notes };
    if (!(await lockFinding(tx, findingId))) return result;
    const existing = await tx.proposal.findMany({
      where: { findingId },
      select: { id: true, findingId: true, tenantId: true, status: true, action: true, parameters: true, applyOnApproval: true },
    });
    const pending = existing.filter((p) => p.status === "proposed");
    const decided = new Set(existing.filter((p) => p.status === "approved" || p.status === "rejected").map(actionKey));
    const wantedActions = new Set(decision.drafts.map(actionKey));

    for (const proposal of pending) {
      const draft = wanted.get(proposalIdentity(proposal));
      if (draft) {
        await tx.proposal.updateMany({
          where: { id: proposal.id, status: "proposed" },
          data: { prediction: asJson(draft.prediction), reason: draft.reason },
        });
        result.kept.push(proposal.id);
        continue;
      }
      const note =
        finding.status !== "open"
          ? "The finding resolved."
          : decision.drafts.length === 0
            ? (decision.notes[0] ?? "Nothing is proposed any more.")
            : wantedActions.has(actionKey(proposal))
              ? `The policy for ${finding.severity} findings changed.`
              : "The recommendation changed.";
      if (await withdraw(tx, proposal, note, now)) result.withdrawn.push(proposal.id);
    }

    const waiting = new Set(pending.map(proposalIdentity));
    for (const [identity, draft] of wanted) {
      if (waiting.has(identity) || decided.has(actionKey(draft))) continue;
      const created = await tx.proposal.create({
        data: {
          findingId,
          tenantId: draft.tenantId,
          action: draft.action,
          parameters: asJson(draft.parameters),
          prediction: asJson(draft.prediction),
          reason: draft.reason,
          applyOnApproval: draft.applyOnApproval,
          createdAt: now,
        },
        select: { id: true },
      });
      await tx.auditEntry.create({
        data: watcherAudit({
          action: "findings.propose",
          targetType: "proposal",
          targetId: created.id,
          parameters: { findingId, tenantId: draft.tenantId, action: draft.action, ...draft.parameters },
          targets: [auditTarget("finding", findingId), auditTarget("tenant", draft.tenantId)],
          outcome: "succeeded",
          detail: describeDraft(draft),
        }),
      });
      result.created.push(created.id);
    }
    return result;
  });
}

/**
 * Withdraws what waits for an operator on findings that resolved (those of `findingIds`, or every resolved finding's
 * when none are given); returns the proposals withdrawn.
 */
export async function withdrawProposalsOfResolved(db: Db, findingIds?: readonly string[], now = new Date()): Promise<string[]> {
  if (findingIds?.length === 0) return [];
  return db.$transaction(async (tx) => {
    const pending = await tx.proposal.findMany({
      where: { ...(findingIds ? { findingId: { in: [...findingIds] } } : {}), status: "proposed", finding: { status: "resolved" } },
      select: { id: true, findingId: true, tenantId: true },
    });
    const withdrawn: string[] = [];
    for (const proposal of pending) if (await withdraw(tx, proposal, "The finding resolved.", now)) withdrawn.push(proposal.id);
    return withdrawn;
  });
}

/** The stored recommendation, if it has the shape the policy reads (the watcher writes it; the row is JSON). */
function storedRecommendation(json: Prisma.JsonValue): PoolRecommendation | null {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return null;
  const r = json as Record<string, unknown>;
  const prediction = (p: unknown) => p !== null && typeof p === "object";
  return typeof r.storageInstanceId === "string" && Array.isArray(r.moves) && prediction(r.before) && prediction(r.after)
    ? (json as unknown as PoolRecommendation)
    : null;
}

/**
 * What the watcher runs after each evaluation it made: every open noisy-neighbour finding's proposals brought in step
 * with its recommendation and the settings, and those of resolved findings withdrawn. One finding at a time.
 */
export async function syncProposalsAfterEvaluation(
  db: Db,
  settings?: WatchSettingsValue,
  context: Omit<SyncContext, "plans" | "itemsToMove"> = {},
): Promise<SyncResult> {
  const [current, plans, open] = await Promise.all([
    settings ?? readWatchSettings(db),
    db.throttlingPlan.findMany({ select: { id: true, name: true, ratePerSec: true } }),
    db.finding.findMany({
      where: { kind: "noisy_neighbour", status: "open" },
      select: { id: true, recommendation: true },
      orderBy: { openedAt: "asc" },
    }),
  ]);
  const total: SyncResult = { created: [], kept: [], withdrawn: [], notes: [] };
  for (const finding of open) {
    const result = await syncProposals(db, finding.id, storedRecommendation(finding.recommendation), current, { ...context, plans });
    total.created.push(...result.created);
    total.kept.push(...result.kept);
    total.withdrawn.push(...result.withdrawn);
  }
  total.withdrawn.push(...(await withdrawProposalsOfResolved(db, undefined, context.now)));
  return total;
}

/** A figure of a prediction, null where none was measured. */
export interface PredictedPool {
  coTenantCapacityThrottled: number | null;
  jain: number | null;
  peakUtilisation: number | null;
}

/** A proposal as the finding's page shows it: plain data (dates as ISO strings). */
export interface ProposalView {
  id: string;
  tenantId: string;
  action: ProposalActionValue;
  /** "Migrate acme to pool-b", "Migrate acme to a new silo of its own", "Move acme to plan Basic (50 requests/s)". */
  title: string;
  reason: string;
  /** Approving queues the operation (the policy was "propose and apply after approval"); otherwise it is advice. */
  applyOnApproval: boolean;
  status: ProposalStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedByEmail: string | null;
  decisionNote: string | null;
  before: PredictedPool | null;
  after: PredictedPool | null;
  alongside: ProposalPrediction["alongside"];
  blastRadius: ProposalPrediction["blastRadius"] | null;
  reversal: string | null;
  operation: { id: string; status: OperationStatus } | null;
  /** Approved but not queued: why the last attempt to queue it was refused. */
  queueError: string | null;
  /** Where it is started by hand: the tenant's migration form with the target chosen, or its plan page. */
  startHref: string;
}

const figure = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);

function predictedPool(value: unknown): PredictedPool | null {
  if (value === null || typeof value !== "object") return null;
  const p = value as Record<string, unknown>;
  return {
    coTenantCapacityThrottled: figure(p.coTenantCapacityThrottled),
    jain: figure(p.jain),
    peakUtilisation: figure(p.peakUtilisation),
  };
}

function storedPrediction(json: Prisma.JsonValue): Partial<ProposalPrediction> {
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as unknown as Partial<ProposalPrediction>) : {};
}

/** A finding's proposals, newest first, for its page's proposal panel. */
export async function loadFindingProposals(db: Db, findingId: string): Promise<ProposalView[]> {
  const rows = await db.proposal.findMany({ where: { findingId }, orderBy: { createdAt: "desc" } });
  const operationIds = rows.flatMap((row) => (row.operationId ? [row.operationId] : []));
  const planIds = rows.flatMap((row) => {
    const planId = (row.parameters as { planId?: unknown } | null)?.planId;
    return row.action === "lower_plan" && typeof planId === "string" ? [planId] : [];
  });
  const unqueued = rows.filter((row) => row.status === "approved" && !row.operationId).map((row) => row.id);
  const [operations, plans, failures] = await Promise.all([
    operationIds.length ? db.operation.findMany({ where: { id: { in: operationIds } }, select: { id: true, status: true } }) : [],
    planIds.length
      ? db.throttlingPlan.findMany({ where: { id: { in: planIds } }, select: { id: true, name: true, ratePerSec: true } })
      : [],
    unqueued.length
      ? db.auditEntry.findMany({
          where: { targetType: "proposal", targetId: { in: unqueued }, action: "findings.queueProposal", outcome: "failed" },
          orderBy: { at: "desc" },
          select: { targetId: true, detail: true },
        })
      : [],
  ]);
  const operationOf = new Map(operations.map((o) => [o.id, o]));
  const planOf = new Map(plans.map((p) => [p.id, p]));
  const failureOf = new Map<string, string>();
  for (const f of failures) if (f.targetId && !failureOf.has(f.targetId)) failureOf.set(f.targetId, f.detail ?? "refused");

  return rows.map((row) => {
    const stored = (row.parameters ?? {}) as { target?: unknown; planId?: unknown };
    const target = typeof stored.target === "string" ? stored.target : "";
    const plan = typeof stored.planId === "string" ? planOf.get(stored.planId) : undefined;
    const tenantPage = `/tenants/${encodeURIComponent(row.tenantId)}`;
    const title =
      row.action === "lower_plan"
        ? `Move ${row.tenantId} to plan ${plan ? `${plan.name} (${plan.ratePerSec} requests/s)` : String(stored.planId)}`
        : row.action === "migrate_to_silo"
          ? `Migrate ${row.tenantId} to a new silo of its own`
          : `Migrate ${row.tenantId} to ${target}`;
    const prediction = storedPrediction(row.prediction);
    const operation = row.operationId ? operationOf.get(row.operationId) : undefined;
    return {
      id: row.id,
      tenantId: row.tenantId,
      action: row.action,
      title,
      reason: row.reason,
      applyOnApproval: row.applyOnApproval,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
      decidedByEmail: row.decidedByEmail,
      decisionNote: row.decisionNote,
      before: predictedPool(prediction.before),
      after: predictedPool(prediction.after),
      alongside: Array.isArray(prediction.alongside) ? prediction.alongside : [],
      blastRadius: prediction.blastRadius ?? null,
      reversal: typeof prediction.reversal === "string" ? prediction.reversal : null,
      operation: operation ? { id: operation.id, status: operation.status } : null,
      queueError: failureOf.get(row.id) ?? null,
      startHref: row.action === "lower_plan" ? `${tenantPage}/plan` : `${tenantPage}/migrate?target=${encodeURIComponent(target)}`,
    };
  });
}
