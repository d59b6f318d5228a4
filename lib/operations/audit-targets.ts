// Everything an operation touches, for its audit entries: the log's filters by
// tenant and by instance (`targets has "tenant:acme"`) find every entry of it.
import { auditTarget } from "../audit/record";
import type { Operation } from "../generated/prisma/client.ts";
import type { OperationDefinition, Tx } from "./definition";

/** Above this many tenants, an instance-wide operation (a backup of a pool) names the instance only. */
export const auditTenantCap = 500;

type OperationFacts = Pick<Operation, "id" | "tenantId" | "storageInstanceId" | "parameters">;

/**
 * The operation, its tenant and instance, what its kind says it touches now, and what its first audit entry
 * (the request) recorded: a later entry never names less than the request did.
 */
export async function operationTargets(
  tx: Tx,
  definition: OperationDefinition<unknown> | undefined,
  operation: OperationFacts,
  options: { first?: boolean } = {},
): Promise<string[]> {
  const targets = new Set<string>([auditTarget("operation", operation.id)]);
  if (operation.tenantId) targets.add(auditTarget("tenant", operation.tenantId));
  if (operation.storageInstanceId) targets.add(auditTarget("instance", operation.storageInstanceId));
  const parsed = definition?.parameters.safeParse(operation.parameters);
  if (definition?.targets && parsed?.success) for (const target of await definition.targets(tx, parsed.data)) targets.add(target);
  if (!options.first) {
    const requested = await tx.auditEntry.findFirst({
      where: { operationId: operation.id },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { targets: true },
    });
    for (const target of requested?.targets ?? []) targets.add(target);
  }
  return [...targets];
}

/** A tenant's storage instances (a bridge tenant has two) as audit targets. */
export async function tenantInstanceTargets(tx: Tx, tenantId: string): Promise<string[]> {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { storageInstanceId: true, bridgeInstanceId: true } });
  return [tenant?.storageInstanceId, tenant?.bridgeInstanceId].filter((id): id is string => !!id).map((id) => auditTarget("instance", id));
}

/** Every tenant placed in an instance (bridge tenants too), or none when there are more than auditTenantCap. */
export async function instanceTenantTargets(tx: Tx, storageInstanceId: string): Promise<string[]> {
  const tenants = await tx.tenant.findMany({
    where: { OR: [{ storageInstanceId }, { bridgeInstanceId: storageInstanceId }] },
    select: { id: true },
    orderBy: { id: "asc" },
    take: auditTenantCap + 1,
  });
  return tenants.length > auditTenantCap ? [] : tenants.map((t) => auditTarget("tenant", t.id));
}
