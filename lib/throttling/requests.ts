// Requests that change throttling plans: an operator moving a tenant to
// another plan, an admin creating or editing a plan. Changes that reach
// tenants run as operations; creating a plan touches no tenant and is direct.
import { nameKey } from "../validation/names";
import "server-only";
import { z } from "zod";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { slugPattern } from "../catalog/vocabulary";
import { changePlanOperation, updatePlanOperation } from "./operation";
import { enqueueOperation } from "../operations/queue";
import { idempotencyKeyField, singleLine } from "../validation/fields";
import { planLimitsSchema, priceCents } from "./plan-input";
import { listOfLimits, loweredLimits } from "./plan-effect";

export const planChangeInput = z.object({
  tenantId: z.string().regex(slugPattern, "Not a tenant id"),
  planId: singleLine({ max: 63, required: "Choose a plan" }),
  /** The operator has seen what the lower limits would have refused and goes ahead (a form sends "true"). */
  confirmLowering: z
    .union([z.boolean(), z.enum(["true", "false"])])
    .optional()
    .transform((value) => value === true || value === "true"),
  idempotencyKey: idempotencyKeyField,
});

export async function requestPlanChange({ db, user }: ActionContext, input: z.input<typeof planChangeInput>) {
  const confirmLowering = input.confirmLowering === true || input.confirmLowering === "true";
  const tenant = await db.tenant.findUnique({
    where: { id: input.tenantId },
    select: { id: true, status: true, planId: true, plan: { select: { ratePerSec: true, burst: true, quotaPerDay: true } } },
  });
  if (!tenant) throw new ActionRefusal(`No tenant ${input.tenantId}.`);
  if (tenant.status !== "active" && tenant.status !== "suspended")
    throw new ActionRefusal(`Tenant ${tenant.id} is ${tenant.status}; only active or suspended tenants change plans.`);
  const plan = await db.throttlingPlan.findUnique({
    where: { id: input.planId },
    select: { id: true, ratePerSec: true, burst: true, quotaPerDay: true },
  });
  if (!plan) throw new ActionRefusal(`No throttling plan ${input.planId}.`, { planId: ["Choose one of the listed plans"] });
  if (plan.id === tenant.planId)
    throw new ActionRefusal(`Tenant ${tenant.id} is already on plan ${plan.id}.`, { planId: ["This is the tenant's current plan"] });
  const lowered = loweredLimits(tenant.plan, plan);
  if (lowered.length && !confirmLowering)
    throw new ActionRefusal(
      `Plan ${plan.id} lowers ${tenant.id}'s ${listOfLimits(lowered)} (from plan ${tenant.planId}): confirm the lowering after reviewing what it would have refused of the tenant's last 24 hours.`,
      { planId: ["Lowers a limit: confirm it"] },
    );
  const { operation, duplicate } = await enqueueOperation(db, changePlanOperation, {
    kind: "change_plan",
    tenantId: tenant.id,
    parameters: { tenantId: tenant.id, fromPlanId: tenant.planId, toPlanId: plan.id },
    idempotencyKey: input.idempotencyKey,
    user,
    action: "tenants.changePlan",
    target: { type: "tenant", id: tenant.id },
    note: lowered.length ? `lowers the ${listOfLimits(lowered)}, confirmed` : undefined,
  });
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : `Moving ${tenant.id} to plan ${plan.id}.` };
}

const planName = { id: true, name: true } as const;

/** Names compare by nameKey (lib/validation/names.ts): one that looks like another plan's is refused, naming that plan. */
function planNameTaken(name: string, existing: { id: string; name: string }): ActionRefusal {
  return new ActionRefusal(`Plan ${existing.id} is already called "${existing.name}", which looks the same as "${name}".`, {
    name: [`Looks the same as plan ${existing.id}'s name ("${existing.name}"): choose a name that tells them apart`],
  });
}

export const planUpdateInput = planLimitsSchema.extend({
  planId: singleLine({ max: 63, required: "Choose a plan" }),
  idempotencyKey: idempotencyKeyField,
});

export async function requestPlanUpdate({ db, user }: ActionContext, input: z.infer<typeof planUpdateInput>) {
  const plan = await db.throttlingPlan.findUnique({ where: { id: input.planId }, select: { id: true } });
  if (!plan) throw new ActionRefusal(`No throttling plan ${input.planId}.`);
  const clash = await db.throttlingPlan.findFirst({ where: { nameKey: nameKey(input.name), id: { not: plan.id } }, select: planName });
  if (clash) throw planNameTaken(input.name, clash);
  const { idempotencyKey, ...limits } = input;
  const { operation, duplicate } = await enqueueOperation(db, updatePlanOperation, {
    kind: "update_plan",
    tenantId: null,
    parameters: limits,
    idempotencyKey,
    user,
    action: "plans.update",
    target: { type: "plan", id: plan.id },
  });
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : `Updating plan ${plan.id}.` };
}

export const planCreateInput = planLimitsSchema.extend({
  id: z.string().trim().regex(slugPattern, "Lowercase letters, digits and hyphens, 3 to 63 characters"),
});

export async function createPlan({ db, user }: ActionContext, input: z.infer<typeof planCreateInput>) {
  const key = nameKey(input.name);
  // Also after a lost race (a unique violation on the id or nameKey): the same refusal as if we had seen the other plan first.
  const refuseClash = async () => {
    const clash = await db.throttlingPlan.findFirst({ where: { OR: [{ id: input.id }, { nameKey: key }] }, select: planName });
    if (clash?.id === input.id) throw new ActionRefusal(`A plan with id ${input.id} exists.`, { id: ["This id is taken"] });
    if (clash) throw planNameTaken(input.name, clash);
  };
  await refuseClash();
  await db
    .$transaction([
      db.throttlingPlan.create({
        data: {
          id: input.id,
          name: input.name,
          nameKey: key,
          ratePerSec: input.ratePerSec,
          burst: input.burst,
          quotaPerDay: input.quotaPerDay,
          apiGatewayUsagePlanId: input.apiGatewayUsagePlanId,
          priceCentsPerMonth: priceCents(input.priceUsdPerMonth) ?? null,
        },
      }),
      db.auditEntry.create({
        data: auditEntry(user, {
          action: "plans.create",
          targetType: "plan",
          targetId: input.id,
          parameters: { ...input },
          outcome: "succeeded",
        }),
      }),
    ])
    .catch(async (error: unknown) => {
      if ((error as { code?: unknown } | null)?.code === "P2002") await refuseClash();
      throw error;
    });
  return { data: { planId: input.id }, message: `Plan ${input.id} created.` };
}
