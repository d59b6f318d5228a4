// Catalog checks that operation kinds' validate steps share.
import type { TenantStatus } from "../generated/prisma/enums.ts";
import type { OperationDeps } from "./deps";
import { StepFailure } from "./definition";

/** The tenant's status and plan, or a failure saying the tenant is gone or in a state the operation cannot start from. */
export async function tenantIn(
  deps: OperationDeps,
  tenantId: string,
  statuses: readonly TenantStatus[],
  operation: string,
): Promise<{ status: TenantStatus; planId: string }> {
  const tenant = await deps.db.tenant.findUnique({ where: { id: tenantId }, select: { status: true, planId: true } });
  if (!tenant) throw new StepFailure(`tenant ${tenantId} is not in the catalog`);
  if (!statuses.includes(tenant.status))
    throw new StepFailure(`tenant ${tenantId} is ${tenant.status}; ${operation} needs it ${statuses.join(" or ")}`);
  return tenant;
}

export async function requirePlan(deps: OperationDeps, planId: string): Promise<void> {
  const plan = await deps.db.throttlingPlan.findUnique({ where: { id: planId }, select: { id: true } });
  if (!plan) throw new StepFailure(`throttling plan ${planId} does not exist`);
}
