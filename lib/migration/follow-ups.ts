// What can follow a migration: rolling it back (within its window, the tenant
// is moved back to the kept source copy after the changes it made since the
// cut-over are copied back and verified) and cleaning up (the kept source
// copy deleted, bounded by the tenant's key prefix).
import { z } from "zod";
import type { Db } from "../db/client";
import { deleteTenantItems } from "../storage/tenant-partitions";
import { retireIfUnused } from "../placement/silo";
import {
  defineStep,
  findOutput,
  parseSteps,
  recordedOutputs,
  StepFailure,
  type DataCopy,
  type OperationDefinition,
  type Tx,
  type StepContext,
} from "../operations/definition";
import { operationLabel, tenantData } from "../operations/tenant-data";
import { changeSkewMs } from "../routing/tenant-moves";
import {
  catchUpStep,
  cutOverStep,
  freezeStep,
  moveOutputs,
  moveSchema,
  recordedMove,
  startStep,
  undoMove,
  verifyAllStep,
  verifyFrozenStep,
  type Move,
} from "./moving";
import { validateMigrationStep } from "./operation";
import { auditTarget } from "../audit/record";
import { tenantInstanceTargets } from "../operations/audit-targets";

export const followUpParameters = z.object({ migrationId: z.string().min(1).max(64) });
export type FollowUpParameters = z.infer<typeof followUpParameters>;

/** A succeeded migration as its steps recorded it. */
export interface FinishedMigration {
  id: string;
  createdAt: Date;
  tenantId: string;
  move: Move;
  sourceModel: Move["targetModel"];
  switchedAt: number;
  retainedUntil: number;
}

export async function finishedMigration(db: Db, migrationId: string): Promise<FinishedMigration> {
  const migration = await db.operation.findUnique({ where: { id: migrationId } });
  if (!migration || migration.kind !== "migrate") throw new StepFailure(`no migration ${migrationId}`);
  if (migration.status !== "succeeded")
    throw new StepFailure(`migration ${migrationId} is ${migration.status}; only a finished migration can be rolled back or cleaned up`);
  const recorded = recordedOutputs(parseSteps(migration.steps));
  const validated = recorded.output(validateMigrationStep);
  const { switchedAt } = recorded.output(moveOutputs.cutOver);
  return {
    id: migration.id,
    createdAt: migration.createdAt,
    tenantId: migration.tenantId!,
    move: validated.move,
    sourceModel: validated.sourceModel,
    switchedAt,
    retainedUntil: switchedAt + validated.rollbackWindowMs,
  };
}

/**
 * What replaced the migration's kept source copy, if anything: its rollback
 * or clean-up; for a rollback also any later migration of the tenant; for a
 * clean-up a later migration that moved the tenant out of or into the source
 * instance (the items there then belong to that migration).
 */
export async function supersededBy(
  db: Db,
  migration: FinishedMigration,
  createdAfter: Date,
  purpose: "rollback" | "cleanup",
  excludeId?: string,
): Promise<string | null> {
  const later = await db.operation.findMany({
    where: {
      tenantId: migration.tenantId,
      id: { not: excludeId ?? migration.id },
      createdAt: { gt: createdAfter },
      status: { not: "cancelled" },
      OR: [
        { kind: "migrate" },
        { kind: { in: ["rollback_migration", "cleanup_migration"] }, parameters: { path: ["migrationId"], equals: migration.id } },
      ],
    },
    orderBy: { createdAt: "asc" },
  });
  const sourceId = migration.move.source.storageInstanceId;
  const replacing = later.find((operation) => {
    if (operation.kind !== "migrate" || purpose === "rollback") return true;
    const move = findOutput(parseSteps(operation.steps), recordedMove)?.move;
    return move !== undefined && (move.source.storageInstanceId === sourceId || move.target.storageInstanceId === sourceId);
  });
  return replacing ? `${replacing.kind.replace("_", " ")} ${replacing.id} (${replacing.status})` : null;
}

export interface Possibility {
  possible: boolean;
  reason: string;
  /** What replaced the kept source copy, when something did. */
  supersededBy: string | null;
}

/** Whether the migration can still be rolled back or cleaned up, and why (the request and the operation's validate step share this). */
export async function followUpPossibility(
  db: Db,
  migration: FinishedMigration,
  purpose: "rollback" | "cleanup",
  options: { now?: number; excludeId?: string } = {},
): Promise<Possibility> {
  const [later, tenant] = await Promise.all([
    supersededBy(db, migration, migration.createdAt, purpose, options.excludeId),
    db.tenant.findUnique({ where: { id: migration.tenantId }, select: { status: true, storageInstanceId: true } }),
  ]);
  const { source, target } = migration.move;
  const refused = (reason: string): Possibility => ({ possible: false, reason, supersededBy: later });
  if (purpose === "rollback") {
    if (later) return refused(`Followed by ${later}.`);
    if (tenant?.status !== "active" || tenant.storageInstanceId !== target.storageInstanceId) {
      return refused(
        `Tenant ${migration.tenantId} is ${tenant?.status ?? "gone"} in ${tenant?.storageInstanceId ?? "no instance"}, not active in ${target.storageInstanceId}.`,
      );
    }
    return {
      possible: true,
      reason: `Moves ${migration.tenantId} back to ${source.storageInstanceId}, copying back what it wrote since the cut-over.`,
      supersededBy: null,
    };
  }
  if (later) return refused(`The source copy was replaced by ${later}.`);
  if (tenant?.storageInstanceId === source.storageInstanceId)
    return refused(`Tenant ${migration.tenantId} lives in ${source.storageInstanceId} again.`);
  const windowOpen = (options.now ?? Date.now()) < migration.retainedUntil;
  return {
    possible: true,
    reason: windowOpen
      ? "Deletes the kept source copy now, before the rollback window ends; the migration can no longer be rolled back."
      : "The rollback window has ended; deletes the kept source copy.",
    supersededBy: null,
  };
}

async function followUpMigration(db: Db, migrationId: string, ownId: string, purpose: "rollback" | "cleanup"): Promise<FinishedMigration> {
  const migration = await finishedMigration(db, migrationId);
  const possibility = await followUpPossibility(db, migration, purpose, { excludeId: ownId });
  if (!possibility.possible) throw new StepFailure(`Migration ${migrationId}: ${possibility.reason}`);
  return migration;
}

/** Checks the migration can still be rolled back and records the move back (and where to copy changes from, and the copy to remove). */
const validateRollbackStep = defineStep({
  name: "validate",
  label: "Validate",
  changesTenant: false,
  output: z.object({ move: moveSchema, since: z.number(), abandonedInstanceId: z.string().nullable() }),
  async run({ parameters: p, deps, operation }: StepContext<FollowUpParameters>) {
    const migration = await followUpMigration(deps.db, p.migrationId, operation.id, "rollback");
    const back: Move = {
      ...migration.move,
      source: migration.move.target,
      target: migration.move.source,
      targetModel: migration.sourceModel,
      removeTargetOnUndo: false,
      createdInstanceId: null,
    };
    return {
      output: { move: back, since: migration.switchedAt - changeSkewMs, abandonedInstanceId: migration.move.createdInstanceId },
      detail: `back from ${back.source.storageInstanceId} to ${back.target.storageInstanceId}, copying what changed since ${new Date(migration.switchedAt).toISOString()}`,
    };
  },
});

/** The migration followed up and everything its entries named (its tenant, source and target), plus where the tenant lives now. */
async function migrationTargets(tx: Tx, p: FollowUpParameters): Promise<string[]> {
  const migration = await tx.operation.findUnique({ where: { id: p.migrationId }, select: { tenantId: true } });
  const requested = await tx.auditEntry.findFirst({
    where: { operationId: p.migrationId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { targets: true },
  });
  return [
    auditTarget("operation", p.migrationId),
    ...(requested?.targets ?? []),
    ...(migration?.tenantId ? await tenantInstanceTargets(tx, migration.tenantId) : []),
  ];
}

export const rollbackMigrationOperation: OperationDefinition<FollowUpParameters> = {
  kind: "rollback_migration",
  parameters: followUpParameters,
  targets: migrationTargets,
  describe: (p) => `migration ${p.migrationId} rolled back`,
  compensate: undoMove(validateRollbackStep),
  // Once the placement switches back, the tenant writes at the source again: from here on, only finish.
  pointOfNoReturn: moveOutputs.cutOver.name,
  copies: ({ id, steps, outputIfAny }) => {
    const back = outputIfAny(validateRollbackStep)?.move;
    if (!back) return [];
    const tenant = { tenantId: back.tenantId, keyPrefix: back.keyPrefix, keyScheme: back.keyScheme };
    const removed = steps.some((step) => step.name === "removeAbandoned" && step.status === "done");
    const copies: DataCopy[] = [
      { tenant, table: back.source, effect: removed ? "removed" : "holds", what: `copy abandoned by rollback ${id}` },
    ];
    if (steps.some((step) => step.name === moveOutputs.start.name && step.status !== "pending"))
      copies.push({ tenant, table: back.target, effect: "holds", what: `copy rollback ${id} moved back to` });
    return copies;
  },
  steps: [
    validateRollbackStep,
    startStep(validateRollbackStep),
    catchUpStep(validateRollbackStep, "Copy back changes since the cut-over", ({ output }) =>
      Math.min(output(validateRollbackStep).since, output(moveOutputs.start).copyFrom),
    ),
    verifyAllStep(validateRollbackStep),
    freezeStep(validateRollbackStep),
    verifyFrozenStep(validateRollbackStep),
    cutOverStep(validateRollbackStep),
    {
      name: "removeAbandoned",
      label: "Remove the abandoned copy",
      changesTenant: true,
      async run({ deps, output, signal, progress, operation }) {
        const { move: back, abandonedInstanceId: instanceId } = output(validateRollbackStep);
        // Readers still holding the record from before the switch read the old copy until their cache expires.
        await new Promise((resolve) => setTimeout(resolve, deps.routingPropagationMs));
        const abandoned = tenantData(deps, {
          tenantId: back.tenantId,
          keyScheme: back.keyScheme,
          operation: operationLabel(operation),
          tables: [back.source],
        }).table(back.source.tableName);
        const deleted = await deleteTenantItems(abandoned, back, back.entities, {
          signal,
          onProgress: (n) => progress(0.5, `${n.toLocaleString("en-US")} items deleted`),
        });
        return {
          detail: `${deleted.toLocaleString("en-US")} items deleted from ${back.source.tableName}`,
          catalog: async (tx) => {
            if (instanceId) await retireIfUnused(tx, instanceId);
          },
        };
      },
    },
  ],
};

/** Checks the migration's source copy can be removed and records the migration's move. */
const validateCleanupStep = defineStep({
  name: "validate",
  label: "Validate",
  changesTenant: false,
  output: z.object({ move: moveSchema }),
  async run({ parameters: p, deps, operation }: StepContext<FollowUpParameters>) {
    const migration = await followUpMigration(deps.db, p.migrationId, operation.id, "cleanup");
    return { output: { move: migration.move }, detail: `${migration.tenantId}'s copy in ${migration.move.source.storageInstanceId}` };
  },
});

export const cleanupMigrationOperation: OperationDefinition<FollowUpParameters> = {
  kind: "cleanup_migration",
  parameters: followUpParameters,
  targets: migrationTargets,
  describe: (p) => `source copy of migration ${p.migrationId} removed`,
  copies: ({ id, steps, outputIfAny }) => {
    const move = outputIfAny(validateCleanupStep)?.move;
    if (!move || !steps.some((step) => step.name === "delete" && step.status === "done")) return [];
    return [
      {
        tenant: { tenantId: move.tenantId, keyPrefix: move.keyPrefix, keyScheme: move.keyScheme },
        table: move.source,
        effect: "removed",
        what: `source copy removed by clean-up ${id}`,
      },
    ];
  },
  steps: [
    validateCleanupStep,
    {
      name: "delete",
      label: "Delete the source copy",
      changesTenant: true,
      async run({ deps, output, signal, progress, operation }) {
        const { move } = output(validateCleanupStep);
        const source = tenantData(deps, {
          tenantId: move.tenantId,
          keyScheme: move.keyScheme,
          operation: operationLabel(operation),
          tables: [move.source],
        }).table(move.source.tableName);
        const deleted = await deleteTenantItems(source, move, move.entities, {
          signal,
          onProgress: (n) => progress(0.5, `${n.toLocaleString("en-US")} items deleted`),
        });
        return {
          detail: `${deleted.toLocaleString("en-US")} items deleted from ${move.source.tableName}, only keys under ${move.keyScheme.template === null ? "its own table (its keys do not carry it)" : move.keyPrefix}`,
          catalog: async (tx) => {
            if (move.source.mode === "silo") await retireIfUnused(tx, move.source.storageInstanceId);
          },
        };
      },
    },
  ],
};
