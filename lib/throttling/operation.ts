// Throttling-plan operations: moving a tenant to another plan, and an admin's
// edit of a plan (every tenant on it gets the new limits).
import { nameKey } from "../validation/names";
import { z } from "zod";
import { slugPattern } from "../catalog/vocabulary";
import { publishCatalogRouting, publishTenantRouting } from "../routing/publish";
import { planLimitsSchema, priceCents } from "./plan-input";
import { StepFailure, type OperationDefinition, type StepDefinition } from "../operations/definition";
import { requirePlan, tenantIn } from "../operations/preconditions";
import { auditTarget } from "../audit/record";
import { auditTenantCap } from "../operations/audit-targets";

function waitForDataPlane<P>(): StepDefinition<P> {
  return {
    name: "propagate",
    label: "Wait for the data plane",
    changesTenant: true,
    async run({ deps, signal, progress }) {
      const started = Date.now();
      while (Date.now() - started < deps.routingPropagationMs) {
        signal.throwIfAborted();
        await deps.faultPoint?.("mid");
        await progress((Date.now() - started) / deps.routingPropagationMs, "data plane routing caches expiring");
        await new Promise((resolve) => setTimeout(resolve, Math.min(250, deps.routingPropagationMs)));
      }
      return { detail: `every data-plane reader has re-read routing (cache ${deps.routingPropagationMs / 1000} s)` };
    },
  };
}

export const changePlanParameters = z.object({
  tenantId: z.string().regex(slugPattern),
  fromPlanId: z.string().min(1),
  toPlanId: z.string().min(1),
});
export type ChangePlanParameters = z.infer<typeof changePlanParameters>;

export const changePlanOperation: OperationDefinition<ChangePlanParameters> = {
  kind: "change_plan",
  parameters: changePlanParameters,
  targets: async (_tx, p) => [auditTarget("plan", p.fromPlanId), auditTarget("plan", p.toPlanId)],
  describe: (p) => `${p.tenantId} from plan ${p.fromPlanId} to ${p.toPlanId}`,
  steps: [
    {
      name: "validate",
      label: "Validate",
      changesTenant: false,
      async run({ parameters: p, deps }) {
        const tenant = await tenantIn(deps, p.tenantId, ["active", "suspended"], "a plan change");
        if (tenant.planId !== p.fromPlanId)
          throw new StepFailure(`tenant ${p.tenantId} is on plan ${tenant.planId} now, not ${p.fromPlanId}; start the change again`);
        await requirePlan(deps, p.toPlanId);
        return {};
      },
    },
    {
      name: "enforce",
      label: "Move the tenant's enforcement",
      changesTenant: true,
      async run({ parameters: p, deps }) {
        const [from, to] = await Promise.all([
          deps.db.throttlingPlan.findUnique({ where: { id: p.fromPlanId } }),
          deps.db.throttlingPlan.findUniqueOrThrow({ where: { id: p.toPlanId } }),
        ]);
        return { detail: await deps.planEnforcement.moveTenant(p.tenantId, from, to) };
      },
    },
    {
      name: "catalog",
      label: "Update the catalog",
      changesTenant: true,
      async run({ parameters: p }) {
        return {
          detail: `plan ${p.toPlanId}`,
          catalog: async (tx) => {
            await tx.tenant.update({ where: { id: p.tenantId }, data: { planId: p.toPlanId } });
          },
        };
      },
    },
    {
      name: "publish",
      label: "Publish routing record",
      changesTenant: true,
      async run({ parameters: p, deps }) {
        const record = await publishTenantRouting(deps.db, deps.dynamoDb(deps.routingRegion), p.tenantId, deps.routingTable);
        return {
          detail: record
            ? `version ${record.version}: ${record.ratePerSec} req/s, burst ${record.burst}, ${record.quotaPerDay.toLocaleString("en-US")} a day`
            : "tenant has no placement yet",
        };
      },
    },
    waitForDataPlane<ChangePlanParameters>(),
  ],
};

export const updatePlanParameters = planLimitsSchema.extend({ planId: z.string().min(1) });
export type UpdatePlanParameters = z.infer<typeof updatePlanParameters>;

export const updatePlanOperation: OperationDefinition<UpdatePlanParameters> = {
  kind: "update_plan",
  parameters: updatePlanParameters,
  // The plan and every tenant on it (whose routing records it republishes), none past auditTenantCap.
  targets: async (tx, p) => {
    const tenants = await tx.tenant.findMany({
      where: { planId: p.planId },
      select: { id: true },
      orderBy: { id: "asc" },
      take: auditTenantCap + 1,
    });
    return [auditTarget("plan", p.planId), ...(tenants.length > auditTenantCap ? [] : tenants.map((t) => auditTarget("tenant", t.id)))];
  },
  describe: (p) => `plan ${p.planId}: ${p.ratePerSec} req/s, burst ${p.burst}, ${p.quotaPerDay} a day`,
  steps: [
    {
      name: "catalog",
      label: "Update the plan",
      changesTenant: true,
      async run({ parameters: p, deps }) {
        await requirePlan(deps, p.planId);
        return {
          detail: `${p.ratePerSec} req/s, burst ${p.burst}, ${p.quotaPerDay.toLocaleString("en-US")} a day`,
          catalog: async (tx) => {
            // Checked when requested; another plan may have taken a name that looks the same since.
            const clash = await tx.throttlingPlan.findFirst({
              where: { nameKey: nameKey(p.name), id: { not: p.planId } },
              select: { id: true, name: true },
            });
            if (clash) throw new StepFailure(`plan ${clash.id} is now called "${clash.name}", which looks the same as "${p.name}"`);
            await tx.throttlingPlan
              .update({
                where: { id: p.planId },
                data: {
                  name: p.name,
                  nameKey: nameKey(p.name),
                  ratePerSec: p.ratePerSec,
                  burst: p.burst,
                  quotaPerDay: p.quotaPerDay,
                  apiGatewayUsagePlanId: p.apiGatewayUsagePlanId,
                  // Operations requested before plans had prices carry none: the price stays as it is.
                  priceCentsPerMonth: priceCents(p.priceUsdPerMonth),
                },
              })
              .catch((error: unknown) => {
                // A plan created with a name that looks the same while this step ran: the same failure as the check's.
                if ((error as { code?: unknown } | null)?.code === "P2002")
                  throw new StepFailure(`another plan took a name that looks the same as "${p.name}" while it was being applied`);
                throw error;
              });
          },
        };
      },
    },
    {
      name: "enforce",
      label: "Update enforcement",
      changesTenant: true,
      async run({ parameters: p, deps }) {
        const plan = await deps.db.throttlingPlan.findUniqueOrThrow({ where: { id: p.planId } });
        return { detail: await deps.planEnforcement.updatePlan(plan) };
      },
    },
    {
      name: "publish",
      label: "Publish routing records",
      changesTenant: true,
      async run({ parameters: p, deps }) {
        const result = await publishCatalogRouting(deps.db, deps.dynamoDb(deps.routingRegion), deps.routingTable, { planId: p.planId });
        return { detail: `${result.published} routing records published, ${result.unchanged} already current` };
      },
    },
    waitForDataPlane<UpdatePlanParameters>(),
  ],
};
