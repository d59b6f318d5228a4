// What the integration check's server action calls: an operator starts the
// check of one active tenant (it freezes the tenant's writes for a moment).
import "server-only";
import { z } from "zod";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { slugPattern } from "../catalog/vocabulary";
import { enqueueOperation } from "../operations/queue";
import { idempotencyKeyField } from "../validation/fields";
import { integrationCheckOperation } from "./operation";

export const integrationCheckInput = z.object({
  tenantId: z.string().regex(slugPattern, "Not a tenant id"),
  idempotencyKey: idempotencyKeyField,
});

export async function requestIntegrationCheck({ db, user }: ActionContext, input: z.infer<typeof integrationCheckInput>) {
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true, status: true } });
  if (!tenant) throw new ActionRefusal(`No tenant ${input.tenantId}.`);
  if (tenant.status !== "active") throw new ActionRefusal(`Tenant ${tenant.id} is ${tenant.status}; only an active tenant can be checked.`);
  const { operation, duplicate } = await enqueueOperation(db, integrationCheckOperation, {
    kind: "integration_check",
    tenantId: tenant.id,
    parameters: { tenantId: tenant.id },
    idempotencyKey: input.idempotencyKey,
    user,
    action: "tenants.checkIntegration",
    target: { type: "tenant", id: tenant.id },
  });
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : `Checking ${tenant.id}'s integration.` };
}
