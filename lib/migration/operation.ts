// Migration: move a tenant to another pool or to a silo of its own while it
// keeps working (see moving.ts for the shared steps). The source copy is kept
// for the rollback window; a clean-up operation deletes it afterwards.
import { z } from "zod";
import { slugPattern } from "../catalog/vocabulary";
import { rollbackWindowMs } from "./settings";
import { tenantEntities } from "../storage/tenant-items";
import { countTenantItems } from "../storage/tenant-partitions";
import { ensureTenantTable } from "../storage/tenant-tables";
import { defineStep, StepFailure, type DataCopy, type OperationDefinition, type StepContext } from "../operations/definition";
import { operationLabel, tenantData } from "../operations/tenant-data";
import { tenantIn } from "../operations/preconditions";
import {
  catchUpStep,
  copyStep,
  cutOverStep,
  freezeStep,
  moveOutputs,
  moveSchema,
  startStep,
  undoMove,
  verifyAllStep,
  verifyFrozenStep,
  type Move,
} from "./moving";
import { siloInstanceFor } from "../placement/silo";
import { storedKeyScheme } from "../storage/key-scheme";
import { keyLayoutRefusal } from "./key-layout";
import { auditTarget } from "../audit/record";
import { tenantInstanceTargets } from "../operations/audit-targets";

/** The target value that asks for a new silo of the tenant's own. */
export const newSiloTarget = "new-silo";

export const migrateParameters = z.object({
  tenantId: z.string().regex(slugPattern),
  /** An active pool instance's id, or "new-silo". */
  target: z.string().min(1).max(63),
  /** Items per second the copy may write; 0 means no cap. */
  copyRatePerSec: z.number().int().min(0).max(1_000_000),
  /** The operator's reason for moving to a target without headroom, when they overrode the check. */
  headroomOverride: z.string().max(500).optional(),
});
export type MigrateParameters = z.infer<typeof migrateParameters>;

/** Checks the move and records it (and what a rollback needs later: the source's deployment model, the rollback window). */
export const validateMigrationStep = defineStep({
  name: "validate",
  label: "Validate",
  changesTenant: false,
  output: z.object({
    move: moveSchema,
    /** The tenant's items when the migration began (for progress). */
    items: z.number(),
    sourceModel: moveSchema.shape.targetModel,
    rollbackWindowMs: z.number(),
  }),
  async run({ parameters: p, deps, operation }: StepContext<MigrateParameters>) {
    await tenantIn(deps, p.tenantId, ["active"], "a migration");
    const tenant = await deps.db.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, include: { storageInstance: true } });
    const source = tenant.storageInstance;
    if (!source || !tenant.keyPrefix) throw new StepFailure(`tenant ${p.tenantId} has no placement to move from`);
    const keyScheme = storedKeyScheme(source.keyScheme);
    let target: Move["target"];
    let createdInstanceId: string | null = null;
    if (p.target === newSiloTarget) {
      if (tenant.deploymentModel !== "pool")
        throw new StepFailure(
          `tenant ${p.tenantId} is a ${tenant.deploymentModel} tenant; only a pooled tenant moves to a silo of its own`,
        );
      const silo = siloInstanceFor(p.tenantId, source.region);
      const existing = await deps.db.storageInstance.findUnique({ where: { id: silo.id } });
      if (existing && existing.mode !== "silo") throw new StepFailure(`storage instance ${silo.id} exists and is not a silo`);
      const refusal = existing && keyLayoutRefusal(keyScheme, storedKeyScheme(existing.keyScheme), existing.id);
      if (refusal) throw new StepFailure(refusal);
      if (!existing) createdInstanceId = silo.id;
      target = { storageInstanceId: silo.id, tableName: existing?.tableName ?? silo.tableName, region: silo.region, mode: "silo" };
    } else {
      const instance = await deps.db.storageInstance.findUnique({ where: { id: p.target } });
      if (!instance) throw new StepFailure(`storage instance ${p.target} does not exist`);
      if (instance.mode !== "pool" || instance.status !== "active")
        throw new StepFailure(
          `storage instance ${p.target} is a ${instance.status} ${instance.mode}; a migration moves a tenant to an active pool or to a new silo`,
        );
      const refusal = keyLayoutRefusal(keyScheme, storedKeyScheme(instance.keyScheme), instance.id);
      if (refusal) throw new StepFailure(refusal);
      target = { storageInstanceId: instance.id, tableName: instance.tableName, region: instance.region, mode: "pool" };
    }
    if (target.storageInstanceId === source.id) throw new StepFailure(`tenant ${p.tenantId} is already in ${source.id}`);
    const move: Move = {
      tenantId: tenant.id,
      keyPrefix: tenant.keyPrefix,
      keyScheme,
      entities: tenant.deploymentModel === "bridge" ? tenantEntities.filter((e) => e !== tenant.bridgeEntity) : [...tenantEntities],
      source: { storageInstanceId: source.id, tableName: source.tableName, region: source.region, mode: source.mode },
      target,
      targetModel: tenant.deploymentModel === "bridge" ? "bridge" : target.mode,
      copyRatePerSec: p.copyRatePerSec,
      removeTargetOnUndo: true,
      createdInstanceId,
    };
    const data = tenantData(deps, {
      tenantId: move.tenantId,
      keyScheme: move.keyScheme,
      operation: operationLabel(operation),
      tables: [move.source],
    });
    const items = await countTenantItems(data.table(source.tableName), move, move.entities);
    return {
      output: { move, items, sourceModel: tenant.deploymentModel, rollbackWindowMs: rollbackWindowMs() },
      detail: `${items.toLocaleString("en-US")} items from ${source.id} to ${target.storageInstanceId}${p.copyRatePerSec ? `, copy capped at ${p.copyRatePerSec.toLocaleString("en-US")} items/s` : ""}`,
    };
  },
});

export const migrateOperation: OperationDefinition<MigrateParameters> = {
  kind: "migrate",
  parameters: migrateParameters,
  // Where the tenant lives now (its source when queued, its target when finished) and the pool asked for.
  targets: async (tx, p) => [
    ...(await tenantInstanceTargets(tx, p.tenantId)),
    ...(p.target === newSiloTarget ? [] : [auditTarget("instance", p.target)]),
  ],
  describe: (p) => `${p.tenantId} to ${p.target === newSiloTarget ? "a new silo" : p.target}`,
  compensate: undoMove(validateMigrationStep),
  // Once the placement switches, the tenant writes at the target: from here on, only finish.
  pointOfNoReturn: moveOutputs.cutOver.name,
  copies: ({ id, status, steps, outputIfAny }) => {
    const validated = outputIfAny(validateMigrationStep);
    if (!validated) return [];
    const { move } = validated;
    const tenant = { tenantId: move.tenantId, keyPrefix: move.keyPrefix, keyScheme: move.keyScheme };
    const switched = status === "succeeded" ? outputIfAny(moveOutputs.cutOver) : undefined;
    const copies: DataCopy[] = [
      {
        tenant,
        table: move.source,
        effect: "holds",
        // A succeeded migration keeps its source copy for the rollback window; its clean-up is then queued by the schedule.
        keptUntil: switched ? switched.switchedAt + validated.rollbackWindowMs : undefined,
        keptFor: "the migration's rollback window",
        what: `source copy of migration ${id}`,
      },
    ];
    // From the moment it starts copying, the target holds items (removed again if the migration is undone, unless undoing failed).
    if (steps.some((step) => step.name === moveOutputs.start.name && step.status !== "pending"))
      copies.push({ tenant, table: move.target, effect: "holds", what: `target copy of migration ${id}` });
    return copies;
  },
  steps: [
    validateMigrationStep,
    {
      name: "prepare",
      label: "Prepare the target",
      changesTenant: false,
      async run({ parameters: p, deps, output }) {
        const { move } = output(validateMigrationStep);
        if (move.target.mode !== "silo") return { detail: `pool ${move.target.storageInstanceId} is ready` };
        // A new silo keys items as the source does (its items are copied verbatim).
        const silo = { ...siloInstanceFor(p.tenantId, move.target.region, move.keyScheme), tableName: move.target.tableName };
        const created = await ensureTenantTable(deps.dynamoDb(silo.region), silo.tableName, silo, { keyScheme: move.keyScheme });
        return {
          detail: `table ${silo.tableName} ${created === "created" ? "created" : "exists"} and is active`,
          catalog: async (tx) => {
            await tx.storageInstance.createMany({ data: [silo], skipDuplicates: true });
          },
        };
      },
    },
    startStep(validateMigrationStep),
    copyStep(validateMigrationStep),
    catchUpStep(validateMigrationStep, "Catch up with changes", ({ output }) => output(moveOutputs.start).copyFrom),
    verifyAllStep(validateMigrationStep),
    freezeStep(validateMigrationStep),
    verifyFrozenStep(validateMigrationStep),
    cutOverStep(validateMigrationStep),
  ],
};
