"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { ActionRefusal, type ActionContext } from "@/lib/auth/action-context";
import { dynamoDbClient } from "@/lib/aws/clients";
import {
  approveProposal,
  approveProposalInput,
  queueApprovedProposal,
  queueProposalInput,
  rejectProposal,
  rejectProposalInput,
  type ProposalQueueing,
} from "@/lib/fleet-watch/approval";
import { updateWatchSettings, watchSettingsInput } from "@/lib/fleet-watch/settings";
import { DependencyError, metricsReader } from "@/lib/metrics/source";
import { loadMigrationPlan } from "@/lib/migration/plan";
import { requestMigration } from "@/lib/migration/requests";
import { requestPlanChange } from "@/lib/throttling/requests";

/**
 * A proposed migration copies at the rate the migration form would suggest for its target (what leaves co-tenants
 * of both instances their headroom): the source pool is the one under pressure, so an uncapped copy would hurt it more.
 */
async function migrateAsProposed(ctx: ActionContext, input: { tenantId: string; target: string; idempotencyKey: string }) {
  let plan;
  try {
    plan = await loadMigrationPlan(ctx.db, metricsReader(), dynamoDbClient, input.tenantId);
  } catch (error) {
    if (!(error instanceof DependencyError)) throw error;
    throw new ActionRefusal(`The copy rate could not be measured (${error.dependency}: ${error.message}).`);
  }
  const target = plan?.targets.find((t) => t.id === input.target);
  if (!target) throw new ActionRefusal(`${input.target} is no longer a place ${input.tenantId} can move to.`);
  if (target.refusal) throw new ActionRefusal(target.refusal);
  // The same headroom rule as the form, on the figure just measured: a proposal to a pool that filled up since is refused.
  return requestMigration(ctx, { ...input, copyRatePerSec: target.suggestedCopyRatePerSec }, async () => target.p95WithTenant);
}

const queueing: ProposalQueueing = {
  migrate: migrateAsProposed,
  // Approving a proposal that lowers a plan is its confirmation: the finding's page shows its predicted effect.
  changePlan: (ctx, input) => requestPlanChange(ctx, { ...input, confirmLowering: true }),
};

const proposalTarget = (raw: { proposalId?: unknown }) => ({
  type: "proposal",
  id: typeof raw.proposalId === "string" ? raw.proposalId : null,
});

export const approveProposalAction = defineAction({
  name: "findings.approveProposal",
  permission: "findings.approve",
  input: approveProposalInput,
  target: proposalTarget,
  run: async (ctx, input) => {
    const result = await approveProposal(ctx, input, queueing);
    revalidatePath("/findings", "layout");
    return result;
  },
});

export const queueProposalAction = defineAction({
  name: "findings.queueProposal",
  permission: "findings.approve",
  input: queueProposalInput,
  target: proposalTarget,
  run: async (ctx, input) => {
    const result = await queueApprovedProposal(ctx, input, queueing);
    revalidatePath("/findings", "layout");
    return result;
  },
});

export const rejectProposalAction = defineAction({
  name: "findings.rejectProposal",
  permission: "findings.approve",
  input: rejectProposalInput,
  target: proposalTarget,
  run: async (ctx, input) => {
    const result = await rejectProposal(ctx, input);
    revalidatePath("/findings", "layout");
    return result;
  },
});

export const updateWatchSettingsAction = defineAction({
  name: "findings.configure",
  permission: "findings.configure",
  input: watchSettingsInput,
  target: () => ({ type: "watchSettings", id: "1" }),
  run: async (ctx, input) => {
    const result = await updateWatchSettings(ctx, input);
    revalidatePath("/findings", "layout");
    return result;
  },
});
