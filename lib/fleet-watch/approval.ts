// An operator's decision on a proposal: approve (which queues the operation
// when the policy said "propose and apply after approval") or reject.
//
// Exactly once: the approval is a conditional transition (proposed → approved,
// only where it is still proposed), so of two operators clicking at once one
// approves and the other is told who did. The operation is then queued through
// the engine in the approving operator's name with the idempotency key
// `proposal:<id>`, so whoever queues it and however often, it is queued once.
// If queueing is refused after the approval (another operation holds the
// tenant, the target pool is gone), the refusal is audited and shown on the
// proposal; an operator queues it again later (queueApprovedProposal), still
// in the approver's name and under the same key.
//
// Proposals made under "propose" are advice: they are not approved here (an
// approved proposal is one whose operation is queued or being queued), the
// panel links to the tenant's prefilled form instead, where the operator
// starts it with the form's own checks. They can be rejected.
//
// fleet-watch may not import another concern, so the requests that queue a
// migration or a plan change are passed in (app/(console)/findings/actions.ts).
import "server-only";
import { z } from "zod";
import { optionalText } from "../validation/fields";
import { auditEntry, auditTarget } from "../audit/record";
import { ActionRefusal, type ActionContext, type SignedInUser } from "../auth/action-context";
import type { Db } from "../db/client";
import { formatProposal, proposalParameters, type ProposalRow } from "./proposals";
import { readWatchSettings } from "./settings";

type Queued = Promise<{ data: { operationId: string }; message?: string }>;

/** The requests that queue what a proposal proposes (lib/migration/requests.ts, lib/throttling/requests.ts). */
export interface ProposalQueueing {
  migrate(ctx: ActionContext, input: { tenantId: string; target: string; idempotencyKey: string }): Queued;
  changePlan(ctx: ActionContext, input: { tenantId: string; planId: string; idempotencyKey: string }): Queued;
}

/** The key a proposal's operation is queued under (scoped by the engine to the approving user). */
export const proposalIdempotencyKey = (proposalId: string) => `proposal:${proposalId}`;

const proposalId = z.string().regex(/^[a-z0-9]{20,40}$/, "Not a proposal id");

export const approveProposalInput = z.object({ proposalId });
export const queueProposalInput = z.object({ proposalId });
export const rejectProposalInput = z.object({
  proposalId,
  reason: optionalText({ max: 500 }),
});

const killSwitchRefusal = "The kill switch is on: no proposal is approved or queued until an admin turns proposals on again.";

const proposalSelect = {
  id: true,
  findingId: true,
  tenantId: true,
  action: true,
  parameters: true,
  applyOnApproval: true,
  status: true,
  decidedById: true,
  decidedByEmail: true,
  decidedAt: true,
  decisionNote: true,
  operationId: true,
  finding: { select: { status: true, severity: true } },
} as const;

async function loadProposal(db: Db, id: string) {
  const proposal = await db.proposal.findUnique({ where: { id }, select: proposalSelect });
  if (!proposal) throw new ActionRefusal(`No proposal ${id}.`);
  return proposal;
}

/** Why a proposal that is no longer waiting cannot be decided again. */
function decidedAlready(proposal: { id: string; status: string; decidedByEmail: string | null; decisionNote: string | null }): string {
  switch (proposal.status) {
    case "approved":
      return `Proposal ${proposal.id} was already approved by ${proposal.decidedByEmail ?? "another operator"}.`;
    case "rejected":
      return `Proposal ${proposal.id} was rejected by ${proposal.decidedByEmail ?? "another operator"}${proposal.decisionNote ? `: ${proposal.decisionNote}` : "."}`;
    default:
      return `Proposal ${proposal.id} was withdrawn${proposal.decisionNote ? `: ${proposal.decisionNote}` : "."}`;
  }
}

/**
 * The decision itself: proposed → approved or rejected, only where it is still proposed, with its audit entry in the
 * same transaction. Of two operators deciding at once, the second is told who decided first.
 */
async function decide(
  { db, user }: ActionContext,
  proposal: { id: string; findingId: string; tenantId: string; action: string },
  decision: { status: "approved" | "rejected"; note: string | null; action: string; detail: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.proposal.updateMany({
      where: { id: proposal.id, status: "proposed" },
      data: {
        status: decision.status,
        decidedById: user.id,
        decidedByEmail: user.email,
        decidedAt: new Date(),
        decisionNote: decision.note,
      },
    });
    if (count === 0) {
      // Lost the race: someone decided first (or the watcher withdrew it).
      const now = await tx.proposal.findUniqueOrThrow({ where: { id: proposal.id }, select: proposalSelect });
      throw new ActionRefusal(decidedAlready(now));
    }
    await tx.auditEntry.create({
      data: auditEntry(user, {
        action: decision.action,
        targetType: "proposal",
        targetId: proposal.id,
        parameters: { findingId: proposal.findingId, tenantId: proposal.tenantId, action: proposal.action },
        targets: [auditTarget("finding", proposal.findingId), auditTarget("tenant", proposal.tenantId)],
        outcome: "succeeded",
        detail: decision.detail,
      }),
    });
  });
}

/**
 * Queues the approved proposal's operation in the approver's name under its key. A refusal is audited (by `actor`,
 * who asked) and returned, so the approval stands and an operator can queue it again; any other error is audited and
 * thrown.
 */
async function queueApproved(
  db: Db,
  proposal: ProposalRow,
  approver: SignedInUser,
  actor: SignedInUser,
  deps: ProposalQueueing,
): Promise<{ operationId: string } | { refusal: string }> {
  const idempotencyKey = proposalIdempotencyKey(proposal.id);
  try {
    const parameters = proposalParameters(proposal);
    const ctx = { db, user: approver };
    const { data } =
      parameters.action === "lower_plan"
        ? await deps.changePlan(ctx, { tenantId: proposal.tenantId, planId: parameters.planId, idempotencyKey })
        : await deps.migrate(ctx, { tenantId: proposal.tenantId, target: parameters.target, idempotencyKey });
    await db.proposal.updateMany({ where: { id: proposal.id, operationId: null }, data: { operationId: data.operationId } });
    return { operationId: data.operationId };
  } catch (error) {
    const refusal = error instanceof ActionRefusal ? error.message : "An internal error stopped it; see the server's log.";
    await db.auditEntry.create({
      data: auditEntry(actor, {
        action: "findings.queueProposal",
        targetType: "proposal",
        targetId: proposal.id,
        parameters: { findingId: proposal.findingId, tenantId: proposal.tenantId, approvedBy: approver.email },
        targets: [auditTarget("finding", proposal.findingId), auditTarget("tenant", proposal.tenantId)],
        outcome: "failed",
        detail: `${formatProposal(proposal)} not queued: ${refusal}`,
      }),
    });
    if (!(error instanceof ActionRefusal)) throw error;
    return { refusal };
  }
}

export async function approveProposal(ctx: ActionContext, input: z.infer<typeof approveProposalInput>, deps: ProposalQueueing) {
  const { db, user } = ctx;
  const settings = await readWatchSettings(db);
  if (settings.proposalsOff) throw new ActionRefusal(killSwitchRefusal);
  const proposal = await loadProposal(db, input.proposalId);
  if (proposal.status !== "proposed") throw new ActionRefusal(decidedAlready(proposal));
  if (!proposal.applyOnApproval)
    throw new ActionRefusal(
      `Proposal ${proposal.id} is advice (the policy was "propose" when it was made): start it from ${proposal.tenantId}'s page, or reject it.`,
    );
  if (proposal.finding.status !== "open") throw new ActionRefusal(`The finding resolved: proposal ${proposal.id} is no longer needed.`);
  const policy = settings.remediation[proposal.finding.severity];
  if (policy !== "approve")
    throw new ActionRefusal(
      `The policy for ${proposal.finding.severity} findings is now "${policy}": approving no longer starts operations. Start it from ${proposal.tenantId}'s page.`,
    );

  await decide(ctx, proposal, {
    status: "approved",
    note: null,
    action: "findings.approveProposal",
    detail: `approved ${formatProposal(proposal)}`,
  });

  const queued = await queueApproved(db, proposal, user, user, deps);
  if ("refusal" in queued)
    return {
      data: undefined,
      message: `Approved, but not queued yet: ${queued.refusal} Queue it again from this proposal when that is resolved.`,
    };
  return { data: { operationId: queued.operationId }, message: `Approved: ${formatProposal(proposal)} is queued.` };
}

/** Queues an approved proposal whose queueing was refused, in its approver's name and under the same key. */
export async function queueApprovedProposal(ctx: ActionContext, input: z.infer<typeof queueProposalInput>, deps: ProposalQueueing) {
  const { db, user } = ctx;
  const settings = await readWatchSettings(db);
  if (settings.proposalsOff) throw new ActionRefusal(killSwitchRefusal);
  const proposal = await loadProposal(db, input.proposalId);
  if (proposal.status !== "approved") throw new ActionRefusal(`Proposal ${proposal.id} is ${proposal.status}, not approved.`);
  if (proposal.operationId) return { data: { operationId: proposal.operationId }, message: "Already queued." };
  if (proposal.finding.status !== "open")
    throw new ActionRefusal(`The finding resolved since the approval: start it from ${proposal.tenantId}'s page if it is still wanted.`);
  const approver = proposal.decidedById
    ? await db.user.findUnique({ where: { id: proposal.decidedById }, select: { id: true, email: true, name: true, role: true } })
    : null;
  if (!approver)
    throw new ActionRefusal(`Proposal ${proposal.id}'s approver is no longer a user: start it from ${proposal.tenantId}'s page.`);
  // Queued before, but not recorded on the proposal (the server stopped in between): the requests check the tenant
  // before the key, so one now moving would be refused rather than found. Found by the key the engine scoped to the approver.
  const earlier = await db.operation.findFirst({
    where: { requestedById: approver.id, idempotencyKey: { endsWith: `:${proposalIdempotencyKey(proposal.id)}` } },
    select: { id: true },
  });
  if (earlier) {
    await db.proposal.updateMany({ where: { id: proposal.id, operationId: null }, data: { operationId: earlier.id } });
    return { data: { operationId: earlier.id }, message: "Already queued." };
  }

  const queued = await queueApproved(db, proposal, approver, user, deps);
  if ("refusal" in queued) throw new ActionRefusal(`Still not queued: ${queued.refusal}`);
  await db.auditEntry.create({
    data: auditEntry(user, {
      action: "findings.queueProposal",
      targetType: "proposal",
      targetId: proposal.id,
      parameters: { findingId: proposal.findingId, tenantId: proposal.tenantId, approvedBy: approver.email },
      targets: [auditTarget("finding", proposal.findingId), auditTarget("tenant", proposal.tenantId)],
      outcome: "succeeded",
      detail: `queued ${formatProposal(proposal)} in the name of ${approver.email}, who approved it`,
      operationId: queued.operationId,
    }),
  });
  return { data: { operationId: queued.operationId }, message: `Queued: ${formatProposal(proposal)}.` };
}

export async function rejectProposal(ctx: ActionContext, input: z.infer<typeof rejectProposalInput>) {
  const proposal = await loadProposal(ctx.db, input.proposalId);
  if (proposal.status !== "proposed") throw new ActionRefusal(decidedAlready(proposal));
  await decide(ctx, proposal, {
    status: "rejected",
    note: input.reason,
    action: "findings.rejectProposal",
    detail: `rejected ${formatProposal(proposal)}${input.reason ? `: ${input.reason}` : ""}`,
  });
  return { data: undefined, message: "Rejected: it is not proposed again for this finding." };
}
