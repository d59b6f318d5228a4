// Requests that move a tenant between storage instances: a migration, its
// rollback, and the clean-up of the source copy it kept. The checks here give
// the operator a clear answer at once; the operation's validate step checks
// again when it runs.
import { storedKeyScheme } from "../storage/key-scheme";
import { keyLayoutRefusal } from "./key-layout";
import "server-only";
import { z } from "zod";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { slugPattern } from "../catalog/vocabulary";
import { migrateOperation, newSiloTarget } from "./operation";
import { cleanupMigrationOperation, rollbackMigrationOperation } from "./follow-ups";
import { operationIdPattern } from "../operations/ids";
import { enqueueOperation } from "../operations/queue";
import { idempotencyKeyField, singleLine } from "../validation/fields";
import { migrationState } from "./state";
import { headroomRefusal, headroomShortfall } from "./headroom";
import type { TargetLoad } from "./plan";
import { DependencyError } from "../metrics/source";

export const migrationInput = z.object({
  tenantId: z.string().regex(slugPattern, "Not a tenant id"),
  target: singleLine({ max: 63, required: "Choose where to move the tenant" }),
  copyRatePerSec: z.coerce
    .number({ message: "A whole number of items per second" })
    .int("A whole number of items per second")
    .min(0, "0 (no cap) or more")
    .max(1_000_000, "At most 1,000,000 items/s"),
  /** Why the operator moves the tenant to a target without headroom (headroom.ts); required for one, ignored otherwise. */
  overrideReason: z.string().trim().max(500, "At most 500 characters").optional(),
  idempotencyKey: idempotencyKeyField,
});

/**
 * Queues a migration. `targetLoad` gives the target's "with this tenant" figure, as the form shows it (the console
 * measures it in CloudWatch; an approved proposal passes the figure its plan already measured).
 */
export async function requestMigration({ db, user }: ActionContext, input: z.infer<typeof migrationInput>, targetLoad: TargetLoad) {
  const tenant = await db.tenant.findUnique({
    where: { id: input.tenantId },
    select: { id: true, status: true, deploymentModel: true, storageInstanceId: true, storageInstance: { select: { keyScheme: true } } },
  });
  if (!tenant) throw new ActionRefusal(`No tenant ${input.tenantId}.`);
  if (tenant.status !== "active")
    throw new ActionRefusal(`Tenant ${tenant.id} is ${tenant.status}; only an active tenant can be migrated.`);
  let shortfall: string | null = null;
  if (input.target === newSiloTarget) {
    if (tenant.deploymentModel !== "pool")
      throw new ActionRefusal(
        `Tenant ${tenant.id} is a ${tenant.deploymentModel} tenant; only a pooled tenant moves to a silo of its own.`,
        { target: ["Choose a pool"] },
      );
  } else {
    const instance = await db.storageInstance.findUnique({
      where: { id: input.target },
      select: { id: true, mode: true, status: true, keyScheme: true },
    });
    if (!instance || instance.mode !== "pool" || instance.status !== "active")
      throw new ActionRefusal(`${input.target} is not an active pool.`, { target: ["Choose one of the listed pools"] });
    if (instance.id === tenant.storageInstanceId)
      throw new ActionRefusal(`Tenant ${tenant.id} is already in ${instance.id}.`, { target: ["This is the tenant's current placement"] });
    const refusal = keyLayoutRefusal(
      storedKeyScheme(tenant.storageInstance?.keyScheme ?? null),
      storedKeyScheme(instance.keyScheme),
      instance.id,
    );
    if (refusal) throw new ActionRefusal(refusal, { target: ["This pool keys items differently"] });
    shortfall = await headroomShortfallOf(db, targetLoad, tenant.id, instance.id);
    const headroom = headroomRefusal(shortfall, input.overrideReason);
    if (headroom) throw new ActionRefusal(headroom, { overrideReason: ["Say why this target, without headroom"] });
  }
  const overrideReason = shortfall ? input.overrideReason!.trim() : undefined;
  const { operation, duplicate } = await enqueueOperation(db, migrateOperation, {
    kind: "migrate",
    tenantId: tenant.id,
    storageInstanceId: input.target === newSiloTarget ? null : input.target,
    parameters: {
      tenantId: tenant.id,
      target: input.target,
      copyRatePerSec: input.copyRatePerSec,
      ...(overrideReason ? { headroomOverride: overrideReason } : {}),
    },
    idempotencyKey: input.idempotencyKey,
    user,
    action: "tenants.migrate",
    target: { type: "tenant", id: tenant.id },
    note: shortfall ? `headroom check overridden: ${shortfall}` : undefined,
  });
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : `Migrating ${tenant.id}.` };
}

/** The target's shortfall, measured; a target that cannot be measured has no proven headroom either. */
async function headroomShortfallOf(db: ActionContext["db"], targetLoad: TargetLoad, tenantId: string, targetId: string) {
  try {
    const load = await targetLoad(db, tenantId, targetId);
    return load === null
      ? `${targetId}'s headroom could not be measured: it is not an active pool in ${tenantId}'s region`
      : headroomShortfall({ id: targetId, kind: "pool", p95WithTenant: load });
  } catch (error) {
    if (!(error instanceof DependencyError)) throw error;
    return `${targetId}'s headroom could not be measured (${error.message})`;
  }
}

export const migrationFollowUpInput = z.object({
  migrationId: z.string().regex(operationIdPattern, "Not an operation id"),
  idempotencyKey: idempotencyKeyField,
});

async function followUp(
  ctx: ActionContext,
  input: z.infer<typeof migrationFollowUpInput>,
  kind: "rollback_migration" | "cleanup_migration",
) {
  const state = await migrationState(ctx.db, input.migrationId);
  if (!state) throw new ActionRefusal(`No finished migration ${input.migrationId}.`);
  const allowed = kind === "rollback_migration" ? state.rollback : state.cleanup;
  if (!allowed.possible) throw new ActionRefusal(allowed.reason);
  const { operation, duplicate } = await enqueueOperation(
    ctx.db,
    kind === "rollback_migration" ? rollbackMigrationOperation : cleanupMigrationOperation,
    {
      kind,
      tenantId: state.tenantId,
      parameters: { migrationId: input.migrationId },
      idempotencyKey: input.idempotencyKey,
      user: ctx.user,
      action: kind === "rollback_migration" ? "tenants.rollbackMigration" : "tenants.cleanupMigration",
      target: { type: "tenant", id: state.tenantId },
    },
  );
  const verb = kind === "rollback_migration" ? "Rolling back" : "Cleaning up after";
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : `${verb} migration ${input.migrationId}.` };
}

export const requestRollback = (ctx: ActionContext, input: z.infer<typeof migrationFollowUpInput>) =>
  followUp(ctx, input, "rollback_migration");
export const requestCleanup = (ctx: ActionContext, input: z.infer<typeof migrationFollowUpInput>) =>
  followUp(ctx, input, "cleanup_migration");
