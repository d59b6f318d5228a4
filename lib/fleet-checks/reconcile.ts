// Catalog and routing, kept in agreement (issue 15, defect 4): what each
// tenant's catalog row and routing record say, judged by tenant-state.ts; the
// worker repairs what is unambiguous every minute (audited as done by the
// worker, in the name of whoever requested the operation that left it so),
// and reports the rest for an operator, who repairs it from the tenant's page
// or the fleet checks (requests.ts).
import { auditEntry } from "../audit/record";
import type { SignedInUser } from "../auth/action-context";
import type { Prisma } from "../generated/prisma/client.ts";
import { publishTenantRouting } from "../routing/publish";
import type { RoutingRecord } from "../routing/record";
import { getRoutingRecord, scanRoutingRecords } from "../routing/routing-table";
import type { FleetAccess } from "./access";
import { checkTenantState, type CatalogRepair, type CatalogTenantState, type LastOperation, type TenantStateVerdict } from "./tenant-state";

const tenantStateSelect = {
  id: true,
  name: true,
  status: true,
  deploymentModel: true,
  storageInstanceId: true,
  bridgeInstanceId: true,
  bridgeEntity: true,
  keyPrefix: true,
  suspendedReason: true,
} satisfies Prisma.TenantSelect;

/** A tenant whose catalog row and routing record disagree with no operation holding it. */
export interface TenantStateProblem {
  tenant: CatalogTenantState & { name: string };
  routing: (Pick<RoutingRecord, "status" | "writeFrozen" | "frozenSince" | "version"> & { storageInstanceId: string }) | null;
  verdict: Extract<TenantStateVerdict, { verdict: "repairable" | "needsOperator" }>;
  lastOperation: (LastOperation & { error: string | null; requestedBy: SignedInUser }) | null;
}

async function lastOperationOf(access: FleetAccess, tenantId: string) {
  const operation = await access.db.operation.findFirst({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    select: { id: true, kind: true, status: true, error: true, requestedBy: { select: { id: true, email: true, name: true, role: true } } },
  });
  return operation ? { ...operation, requestedBy: operation.requestedBy } : null;
}

async function judge(
  access: FleetAccess,
  tenant: CatalogTenantState & { name: string },
  routing: RoutingRecord | null,
  heldBy: string | null,
  knownInstances: ReadonlySet<string>,
): Promise<TenantStateProblem | null> {
  // Decided once without the last operation (most tenants agree), then again with it for the report's words.
  const quick = checkTenantState({ tenant, routing, heldBy, knownInstances, last: null });
  if (quick.verdict === "agrees" || quick.verdict === "held") return null;
  const lastOperation = await lastOperationOf(access, tenant.id);
  const verdict = checkTenantState({ tenant, routing, heldBy, knownInstances, last: lastOperation });
  if (verdict.verdict === "agrees" || verdict.verdict === "held") return null;
  return {
    tenant,
    routing: routing && {
      status: routing.status,
      writeFrozen: routing.writeFrozen,
      frozenSince: routing.frozenSince,
      version: routing.version,
      storageInstanceId: routing.placement.storageInstanceId,
    },
    verdict,
    lastOperation,
  };
}

/** Every tenant whose catalog and routing disagree with no operation holding it (one routing scan, one catalog read). */
export async function tenantStateProblems(access: FleetAccess): Promise<TenantStateProblem[]> {
  const [tenants, records, held, instances] = await Promise.all([
    access.db.tenant.findMany({ select: tenantStateSelect, orderBy: { id: "asc" } }),
    scanRoutingRecords(access.dynamoDb(access.routingRegion), access.routingTable),
    access.db.operation.findMany({ where: { activeTenantId: { not: null } }, select: { id: true, activeTenantId: true } }),
    access.db.storageInstance.findMany({ select: { id: true } }),
  ]);
  const routing = new Map(records.map((record) => [record.tenantId, record]));
  const holders = new Map(held.map((operation) => [operation.activeTenantId!, operation.id]));
  const known = new Set(instances.map((instance) => instance.id));
  const problems: TenantStateProblem[] = [];
  for (const tenant of tenants) {
    const problem = await judge(access, tenant, routing.get(tenant.id) ?? null, holders.get(tenant.id) ?? null, known);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** One tenant's problem, or null when its catalog and routing agree or an operation holds it (the tenant page). */
export async function tenantStateProblem(access: FleetAccess, tenantId: string): Promise<TenantStateProblem | null> {
  const tenant = await access.db.tenant.findUnique({ where: { id: tenantId }, select: tenantStateSelect });
  if (!tenant) return null;
  const [routing, holder, instances] = await Promise.all([
    getRoutingRecord(access.dynamoDb(access.routingRegion), tenantId, access.routingTable),
    access.db.operation.findUnique({ where: { activeTenantId: tenantId }, select: { id: true } }),
    access.db.storageInstance.findMany({ select: { id: true } }),
  ]);
  return judge(access, tenant, routing, holder?.id ?? null, new Set(instances.map((instance) => instance.id)));
}

/**
 * Makes the catalog row follow `repair`, if it is still as `problem` saw it
 * and no operation holds the tenant, with `audit` in the same transaction.
 * False when something changed meanwhile (nothing is written then).
 */
export async function applyCatalogRepair(
  access: FleetAccess,
  problem: TenantStateProblem,
  repair: CatalogRepair,
  audit: Prisma.AuditEntryUncheckedCreateInput,
): Promise<boolean> {
  const { tenant } = problem;
  return access.db.$transaction(async (tx) => {
    const holder = await tx.operation.findUnique({ where: { activeTenantId: tenant.id }, select: { id: true } });
    if (holder) return false;
    const updated = await tx.tenant.updateMany({
      where: {
        id: tenant.id,
        status: tenant.status,
        storageInstanceId: tenant.storageInstanceId,
        bridgeInstanceId: tenant.bridgeInstanceId,
        deploymentModel: tenant.deploymentModel,
      },
      data: repair,
    });
    if (updated.count === 0) return false;
    await tx.auditEntry.create({ data: audit });
    return true;
  });
}

/**
 * Publishes the catalog's routing for a tenant that has none, or whose record lags the catalog's suspension, if no
 * operation holds it and the record is still the one the check saw; audited.
 */
export async function publishMissingRouting(
  access: FleetAccess,
  problem: TenantStateProblem,
  audit: Prisma.AuditEntryUncheckedCreateInput,
): Promise<boolean> {
  const holder = await access.db.operation.findUnique({ where: { activeTenantId: problem.tenant.id }, select: { id: true } });
  if (holder) return false;
  const client = access.dynamoDb(access.routingRegion);
  const current = await getRoutingRecord(client, problem.tenant.id, access.routingTable);
  if ((current?.version ?? null) !== (problem.routing?.version ?? null)) return false;
  await publishTenantRouting(access.db, client, problem.tenant.id, access.routingTable);
  await access.db.auditEntry.create({ data: audit });
  return true;
}

/** What the repair changes, for the audit entry's parameters. */
export function repairParameters(problem: TenantStateProblem, after: CatalogRepair | null) {
  const { tenant, routing } = problem;
  return {
    catalogBefore: `${tenant.status} in ${tenant.storageInstanceId ?? "no instance"}`,
    routing: routing
      ? `${routing.status}${routing.writeFrozen ? ", frozen" : ""} in ${routing.storageInstanceId} (version ${routing.version})`
      : "none",
    catalogAfter: after
      ? `${after.status} in ${after.storageInstanceId}`
      : `${tenant.status} in ${tenant.storageInstanceId ?? "no instance"}`,
    ...(problem.lastOperation ? { lastOperationId: problem.lastOperation.id } : {}),
  };
}

/** The worker's audit entry: in the name of whoever requested the operation that left the tenant so, as done by the worker. */
function workerAudit(problem: TenantStateProblem, after: CatalogRepair | null, detail: string): Prisma.AuditEntryUncheckedCreateInput {
  const entry = auditEntry(problem.lastOperation?.requestedBy ?? null, {
    action: "tenants.reconcile",
    targetType: "tenant",
    targetId: problem.tenant.id,
    parameters: repairParameters(problem, after),
    outcome: "succeeded",
    detail: `by the worker's reconcile: ${detail}`.slice(0, 1_000),
    operationId: problem.lastOperation?.id,
  });
  return problem.lastOperation ? entry : { ...entry, actorEmail: "(the worker)" };
}

export interface ReconcileOutcome {
  /** "tenant: what was done". */
  repaired: string[];
  /** "tenant: the problem": reported for an operator (fleet checks, the tenant's page). */
  needOperator: string[];
}

/** The worker's duty: repairs every unambiguous disagreement, reports the rest. Safe in several workers at once. */
export async function reconcileTenants(access: FleetAccess): Promise<ReconcileOutcome> {
  const outcome: ReconcileOutcome = { repaired: [], needOperator: [] };
  for (const problem of await tenantStateProblems(access)) {
    const { verdict, tenant } = problem;
    if (verdict.verdict === "needsOperator") {
      outcome.needOperator.push(`${tenant.id}: ${verdict.problem}`);
      continue;
    }
    const done =
      verdict.repair.kind === "publish"
        ? await publishMissingRouting(access, problem, workerAudit(problem, null, verdict.problem))
        : await applyCatalogRepair(access, problem, verdict.repair.catalog, workerAudit(problem, verdict.repair.catalog, verdict.problem));
    if (done) outcome.repaired.push(`${tenant.id}: ${verdict.problem}`);
  }
  return outcome;
}
