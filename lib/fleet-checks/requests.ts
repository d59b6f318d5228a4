// What the fleet checks' server actions call: an operator's repair of a
// tenant whose catalog and routing disagree, and the start of an orphan's
// clean-up. Each checks again what the page showed before it acts.
import "server-only";
import { z } from "zod";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { slugPattern } from "../catalog/vocabulary";
import type { OperationDefinition } from "../operations/definition";
import { enqueueOperation } from "../operations/queue";
import { isMoving } from "../routing/record";
import { getRoutingRecord, putRoutingRecord, StaleRoutingVersionError } from "../routing/routing-table";
import { idempotencyKeyField } from "../validation/fields";
import type { FleetAccess } from "./access";
import { orphanCleanupOperation, orphanTargetSchema, sameTarget, targetOf } from "./orphan-cleanup";
import { assessOrphans, whyKept } from "./orphans";
import { applyCatalogRepair, publishMissingRouting, repairParameters, tenantStateProblem, type TenantStateProblem } from "./reconcile";
import type { CatalogRepair } from "./tenant-state";

export const repairInput = z.object({ tenantId: z.string().regex(slugPattern, "Not a tenant id") });

const changedMeanwhile = (tenantId: string) =>
  new ActionRefusal(
    `Tenant ${tenantId} changed while it was being repaired (an operation started, or the worker repaired it): look again.`,
  );

/**
 * Repairs a tenant whose catalog and routing disagree with no operation
 * holding it: the catalog follows routing (what the worker would do), or, for
 * a tenant left frozen or moving, the freeze is lifted where routing points and
 * the catalog follows. Audited with the routing and catalog before and after.
 */
export async function repairTenantState(
  { user }: ActionContext,
  access: FleetAccess,
  input: z.infer<typeof repairInput>,
): Promise<{ data: undefined; message: string }> {
  const problem = await tenantStateProblem(access, input.tenantId);
  if (!problem) {
    const tenant = await access.db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
    if (!tenant) throw new ActionRefusal(`No tenant ${input.tenantId}.`);
    const holder = await access.db.operation.findUnique({ where: { activeTenantId: input.tenantId }, select: { id: true, kind: true } });
    throw new ActionRefusal(
      holder
        ? `Operation ${holder.id} holds tenant ${input.tenantId}: its state is that operation's to finish (see its page).`
        : `Tenant ${input.tenantId}'s catalog and routing agree: there is nothing to repair.`,
    );
  }
  const audit = (after: CatalogRepair | null, detail: string) =>
    auditEntry(user, {
      action: "tenants.repairState",
      targetType: "tenant",
      targetId: input.tenantId,
      parameters: repairParameters(problem, after),
      outcome: "succeeded",
      detail: detail.slice(0, 1_000),
      operationId: problem.lastOperation?.id,
    });
  const { verdict } = problem;
  if (verdict.verdict === "repairable") {
    const done =
      verdict.repair.kind === "publish"
        ? await publishMissingRouting(access, problem, audit(null, `routing published from the catalog: ${verdict.problem}`))
        : await applyCatalogRepair(access, problem, verdict.repair.catalog, audit(verdict.repair.catalog, verdict.problem));
    if (!done) throw changedMeanwhile(input.tenantId);
    return { data: undefined, message: verdict.repair.kind === "publish" ? "Routing published." : "The catalog now follows routing." };
  }
  const { remedy } = verdict;
  if (remedy.kind === "retryOnboarding")
    throw new ActionRefusal(`Retry onboarding operation ${remedy.operationId} on its page: it resumes where it stopped.`);
  if (remedy.kind === "investigate") throw new ActionRefusal(`Not repaired automatically: ${verdict.problem}`);
  await liftFreeze(access, problem, remedy.routingVersion);
  const detail = `freeze lifted at ${remedy.catalog.storageInstanceId}: ${verdict.problem}`;
  if (!(await applyCatalogRepair(access, problem, remedy.catalog, audit(remedy.catalog, detail)))) {
    // Routing is unfrozen already; the catalog changed meanwhile, so say so (the worker's reconcile follows routing next).
    await access.db.auditEntry.create({ data: audit(null, `${detail} (the catalog had changed meanwhile and was left as it was)`) });
  }
  return { data: undefined, message: `Writes unfrozen; ${input.tenantId} is active in ${remedy.catalog.storageInstanceId}.` };
}

/** Lifts the freeze (and a moving status) in one routing write, only if the record is still the version the check saw. */
async function liftFreeze(access: FleetAccess, problem: TenantStateProblem, version: number): Promise<void> {
  const holder = await access.db.operation.findUnique({ where: { activeTenantId: problem.tenant.id }, select: { id: true } });
  if (holder) throw changedMeanwhile(problem.tenant.id);
  const client = access.dynamoDb(access.routingRegion);
  const current = await getRoutingRecord(client, problem.tenant.id, access.routingTable);
  if (!current || current.version !== version) throw changedMeanwhile(problem.tenant.id);
  const { version: _v, updatedAt: _u, ...content } = current;
  try {
    await putRoutingRecord(
      client,
      { ...content, status: isMoving(current) ? "active" : current.status, writeFrozen: false, frozenSince: null },
      version,
      access.routingTable,
    );
  } catch (error) {
    if (error instanceof StaleRoutingVersionError) throw changedMeanwhile(problem.tenant.id);
    throw error;
  }
}

export const orphanCleanupInput = orphanTargetSchema.and(z.object({ idempotencyKey: idempotencyKeyField }));

/** Queues the clean-up of data the orphan check lists (checked again here, and again when the operation starts). */
export async function requestOrphanCleanup(
  { user }: ActionContext,
  access: FleetAccess,
  definitions: Record<string, OperationDefinition<unknown>>,
  input: z.infer<typeof orphanCleanupInput>,
): Promise<{ data: { operationId: string }; message: string }> {
  const { idempotencyKey, ...target } = input;
  // Asked twice (a double click): the first request's operation, even once it holds the copy and the check would refuse.
  const existing = await access.db.operation.findUnique({
    where: { idempotencyKey: `${user.id}:${idempotencyKey}` },
    select: { id: true },
  });
  if (existing) return { data: { operationId: existing.id }, message: "Already requested." };
  const assessment = await assessOrphans(access, definitions);
  const orphan = assessment.orphans.find((candidate) => sameTarget(targetOf(candidate), target));
  if (!orphan) {
    const kept = assessment.kept.find(
      (copy) => target.target === "tenantCopy" && copy.tenantId === target.tenantId && copy.table.tableName === target.tableName,
    );
    throw new ActionRefusal(
      kept
        ? `${target.tableName} is not orphaned: ${whyKept(kept)}`
        : `${target.tableName} is no longer listed as orphaned${target.target === "tenantCopy" ? ` for ${target.tenantId}` : ""}: reload the fleet checks.`,
    );
  }
  const { operation, duplicate } = await enqueueOperation(
    access.db,
    orphanCleanupOperation(() => definitions),
    {
      kind: "cleanup_orphan",
      tenantId: target.target === "tenantCopy" ? target.tenantId : null,
      storageInstanceId: target.target === "table" ? target.storageInstanceId : null,
      parameters: target,
      idempotencyKey,
      user,
      action: "fleet.cleanupOrphan",
      target:
        target.target === "tenantCopy"
          ? { type: "tenant", id: target.tenantId }
          : { type: "storageInstance", id: target.storageInstanceId },
      note: orphan.kind === "tenantCopy" ? `${orphan.items.toLocaleString("en-US")} items listed` : "an empty table of a retired instance",
    },
  );
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : "Clean-up queued." };
}
