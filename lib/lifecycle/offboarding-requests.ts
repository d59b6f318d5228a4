// Requests for offboardings (what server actions call; the action factory has
// checked the caller's permission and audits every refusal): request one
// (tenants.offboard, with the tenant's id typed again as confirmation), approve
// or reject it (tenants.approveOffboarding, never the requester: the engine
// checks both on the server), cancel it (tenants.offboard: while it awaits
// approval, before it changes the tenant, or during its grace period, when a
// worker resumes the tenant). The operation checks again when it runs.
import "server-only";
import { z } from "zod";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { slugPattern } from "../catalog/vocabulary";
import { config } from "../config/config";
import type { OperationDefinition } from "../operations/definition";
import { operationIdPattern } from "../operations/ids";
import { approveOperation, cancelOperation, enqueueOperation, rejectOperation } from "../operations/queue";
import { idempotencyKeyField, singleLine } from "../validation/fields";
import { offboardOperation } from "./offboarding-operation";

const definitions = { offboard: offboardOperation as OperationDefinition<unknown> };

export const offboardingInput = z.object({
  tenantId: z.string().regex(slugPattern, "Not a tenant id"),
  /** The tenant's id typed again: offboarding erases a customer. */
  confirmTenantId: z.string().trim().min(1, "Type the tenant's id to confirm"),
  reason: singleLine({ max: 500, required: "Say why the tenant is offboarded (kept on its deletion certificate)" }),
  graceDays: z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : value),
    z.coerce
      .number({ message: "A whole number of days" })
      .int("A whole number of days")
      .min(0, "At least 0 days")
      .max(90, "At most 90 days")
      .optional(),
  ),
  idempotencyKey: idempotencyKeyField,
});

export async function requestOffboarding(ctx: ActionContext, input: z.infer<typeof offboardingInput>) {
  if (input.confirmTenantId !== input.tenantId)
    throw new ActionRefusal(`The confirmation does not match: type ${input.tenantId} exactly.`, {
      confirmTenantId: [`Type ${input.tenantId} to confirm`],
    });
  const tenant = await ctx.db.tenant.findUnique({
    where: { id: input.tenantId },
    select: { id: true, status: true, suspendedReason: true, storageInstanceId: true },
  });
  if (!tenant) throw new ActionRefusal(`No tenant ${input.tenantId}.`);
  if (tenant.status !== "active" && tenant.status !== "suspended")
    throw new ActionRefusal(`Tenant ${tenant.id} is ${tenant.status}; only an active or suspended tenant can be offboarded.`);
  const settings = config();
  const graceDays = input.graceDays ?? settings.OFFBOARDING_GRACE_DAYS;
  const { operation, duplicate } = await enqueueOperation(ctx.db, offboardOperation, {
    kind: "offboard",
    tenantId: tenant.id,
    storageInstanceId: tenant.storageInstanceId,
    parameters: {
      tenantId: tenant.id,
      reason: input.reason,
      graceDays,
      purgeCapacityShare: settings.OFFBOARDING_PURGE_CAPACITY_SHARE,
      prior: { status: tenant.status, suspendedReason: tenant.suspendedReason },
    },
    idempotencyKey: input.idempotencyKey,
    user: ctx.user,
    action: "tenants.offboard",
    target: { type: "tenant", id: tenant.id },
  });
  return {
    data: { operationId: operation.id },
    message: duplicate
      ? "Already requested."
      : `Offboarding of ${tenant.id} requested: it awaits approval by an admin other than you, then suspends the tenant, exports it and waits ${graceDays} day(s) before the purge.`,
  };
}

export const offboardingDecisionInput = z.object({ operationId: z.string().regex(operationIdPattern, "Not an operation id") });
export const offboardingRejectionInput = offboardingDecisionInput.extend({
  reason: singleLine({ max: 500, required: "Say why it is rejected" }),
});

/** Only offboardings go through these requests (the engine's approve and cancel serve other kinds through their own). */
async function requireOffboarding(ctx: ActionContext, operationId: string): Promise<void> {
  const operation = await ctx.db.operation.findUnique({ where: { id: operationId }, select: { kind: true } });
  if (!operation) throw new ActionRefusal(`No operation ${operationId}.`);
  if (operation.kind !== "offboard") throw new ActionRefusal(`Operation ${operationId} is not an offboarding.`);
}

export async function approveOffboarding(ctx: ActionContext, input: z.infer<typeof offboardingDecisionInput>) {
  await requireOffboarding(ctx, input.operationId);
  const operation = await approveOperation(ctx.db, definitions, input.operationId, ctx.user, "tenants.approveOffboarding");
  return { data: { operationId: operation.id }, message: `Approved: the offboarding of ${operation.tenantId} starts with its suspension.` };
}

export async function rejectOffboarding(ctx: ActionContext, input: z.infer<typeof offboardingRejectionInput>) {
  await requireOffboarding(ctx, input.operationId);
  const operation = await rejectOperation(ctx.db, definitions, input.operationId, ctx.user, input.reason, "tenants.rejectOffboarding");
  return { data: { operationId: operation.id }, message: `Rejected: ${operation.tenantId} is left as it was.` };
}

export async function cancelOffboarding(ctx: ActionContext, input: z.infer<typeof offboardingDecisionInput>) {
  await requireOffboarding(ctx, input.operationId);
  const operation = await cancelOperation(ctx.db, definitions, input.operationId, ctx.user);
  return {
    data: { operationId: operation.id },
    message:
      operation.status === "cancelled"
        ? "Cancelled: nothing was changed."
        : "Cancelling: a worker resumes the tenant (or puts back its earlier suspension) and deletes the export, within seconds.",
  };
}
