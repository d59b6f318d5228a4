// Suspending a tenant: the data plane refuses its reads and writes with the
// operator's reason (the routing record's status and suspendedReason), its
// items stay untouched; resuming serves it again. The catalog is written
// first (with its audit entry, in one transaction) and the routing record is
// then published from it, so repeating a call that stopped half-way finishes
// it. Requests (requests.ts) and the offboarding operation (which suspends the
// tenant it holds, passing its id) both come through here.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type SignedInUser } from "../auth/action-context";
import type { TenantStatus } from "../generated/prisma/enums.ts";
import type { Tx } from "../operations/definition";
import type { OperationDeps } from "../operations/deps";
import { kindLabels, statusLabels } from "../operations/labels";
import { publishTenantRouting } from "../routing/publish";
import type { RoutingRecord } from "../routing/record";

/** What suspending reaches: the catalog and the routing table (an operation's deps satisfy it). */
export type SuspensionAccess = Pick<OperationDeps, "db" | "dynamoDb" | "routingTable" | "routingRegion">;

/** The longest reason kept (the routing record carries it to every caller the data plane refuses). */
export const suspendedReasonMax = 200;

/** Why a suspension or resumption was refused; nothing was changed. */
export class SuspensionRefusal extends ActionRefusal {}

export interface SuspensionOptions {
  /** Who asks (audited): the operator, or the user who requested the operation that asks. */
  by: SignedInUser;
  /** The operation holding the tenant that asks (offboarding); without it, a tenant any operation holds is refused. */
  operationId?: string;
}

/** The tenant's suspension as the catalog said before the call. */
export interface SuspensionState {
  status: TenantStatus;
  suspendedReason: string | null;
  suspendedAt: Date | null;
}

export interface SuspensionResult {
  /** False when the catalog already said so (a repeat): no audit entry was written; routing was published again if it lagged. */
  changed: boolean;
  before: SuspensionState;
  /** The routing record as published (null: the tenant has no placement, so nothing to publish). */
  routing: RoutingRecord | null;
}

const stateSelect = { id: true, status: true, suspendedReason: true, suspendedAt: true } as const;

/** Locks the tenant's row for the transaction (a concurrent suspend or resume waits), and says which operation holds it. */
async function lockTenant(tx: Tx, tenantId: string, operationId: string | undefined) {
  await tx.$queryRaw`SELECT id FROM "Tenant" WHERE id = ${tenantId} FOR UPDATE`;
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: stateSelect });
  if (!tenant) throw new SuspensionRefusal(`No tenant ${tenantId}.`);
  const holder = await tx.operation.findUnique({
    where: { activeTenantId: tenantId },
    select: { id: true, kind: true, status: true },
  });
  if (holder && holder.id !== operationId) {
    const what = `${kindLabels[holder.kind].toLowerCase()} ${holder.id} (${statusLabels[holder.status].toLowerCase()})`;
    throw new SuspensionRefusal(
      holder.kind === "offboard"
        ? `Tenant ${tenantId} is being offboarded (${what}): its suspension belongs to the offboarding; cancel the offboarding on its page to resume the tenant.`
        : `Tenant ${tenantId} is held by ${what}: wait for it to finish, or cancel it, then try again.`,
    );
  }
  return tenant;
}

function routingOf(access: SuspensionAccess): DynamoDBClient {
  return access.dynamoDb(access.routingRegion);
}

const stateOf = (tenant: SuspensionState): SuspensionState => ({
  status: tenant.status,
  suspendedReason: tenant.suspendedReason,
  suspendedAt: tenant.suspendedAt,
});

/**
 * Suspends the tenant: catalog status suspended with the reason and since
 * when (kept when it was suspended already; a new reason replaces the old),
 * then its routing record says suspended with the reason. Idempotent.
 * Refused for a tenant that is not active or suspended, and while an
 * operation other than `operationId` holds it.
 */
export async function suspendTenant(
  access: SuspensionAccess,
  tenantId: string,
  options: SuspensionOptions & { reason: string },
): Promise<SuspensionResult> {
  const reason = options.reason.trim();
  if (!reason) throw new SuspensionRefusal("A suspension needs a reason (the data plane tells the tenant's callers).");
  if ([...reason].length > suspendedReasonMax) throw new SuspensionRefusal(`The reason is longer than ${suspendedReasonMax} characters.`);
  const { before, changed } = await access.db.$transaction(async (tx) => {
    const tenant = await lockTenant(tx, tenantId, options.operationId);
    if (tenant.status !== "active" && tenant.status !== "suspended")
      throw new SuspensionRefusal(`Tenant ${tenantId} is ${tenant.status}; only an active tenant can be suspended.`);
    if (tenant.status === "suspended" && tenant.suspendedReason === reason) return { before: stateOf(tenant), changed: false };
    const suspendedAt = tenant.status === "suspended" ? (tenant.suspendedAt ?? new Date()) : new Date();
    await tx.tenant.update({ where: { id: tenantId }, data: { status: "suspended", suspendedReason: reason, suspendedAt } });
    await tx.auditEntry.create({
      data: auditEntry(options.by, {
        action: "tenants.suspend",
        targetType: "tenant",
        targetId: tenantId,
        parameters: { reason },
        outcome: "succeeded",
        detail:
          tenant.status === "suspended"
            ? `reason changed from “${tenant.suspendedReason ?? ""}” (suspended since ${tenant.suspendedAt?.toISOString() ?? "?"})`
            : `suspended: the data plane refuses its reads and writes${options.operationId ? ` (for operation ${options.operationId})` : ""}`,
        operationId: options.operationId,
      }),
    });
    return { before: stateOf(tenant), changed: true };
  });
  const routing = await publishTenantRouting(access.db, routingOf(access), tenantId, access.routingTable);
  return { changed, before, routing };
}

/**
 * Resumes a suspended tenant: catalog status active (reason and time
 * cleared), then its routing record serves it again. Idempotent (an active
 * tenant is left as it is). Refused for a tenant in any other state, and while
 * an operation other than `operationId` holds it (an offboarding's suspension
 * ends by cancelling the offboarding).
 */
export async function resumeTenant(access: SuspensionAccess, tenantId: string, options: SuspensionOptions): Promise<SuspensionResult> {
  const { before, changed } = await access.db.$transaction(async (tx) => {
    const tenant = await lockTenant(tx, tenantId, options.operationId);
    if (tenant.status === "active") return { before: stateOf(tenant), changed: false };
    if (tenant.status !== "suspended")
      throw new SuspensionRefusal(`Tenant ${tenantId} is ${tenant.status}; only a suspended tenant can be resumed.`);
    await tx.tenant.update({ where: { id: tenantId }, data: { status: "active", suspendedReason: null, suspendedAt: null } });
    await tx.auditEntry.create({
      data: auditEntry(options.by, {
        action: "tenants.resume",
        targetType: "tenant",
        targetId: tenantId,
        parameters: { previousReason: tenant.suspendedReason ?? "" },
        outcome: "succeeded",
        detail: `resumed after a suspension since ${tenant.suspendedAt?.toISOString() ?? "?"}: the data plane serves it again${
          options.operationId ? ` (for operation ${options.operationId})` : ""
        }`,
        operationId: options.operationId,
      }),
    });
    return { before: stateOf(tenant), changed: true };
  });
  const routing = await publishTenantRouting(access.db, routingOf(access), tenantId, access.routingTable);
  return { changed, before, routing };
}
