// Where a finished migration stands: its measured freeze, how long the source
// copy is kept, and whether it can still be rolled back or cleaned up.
import type { Db } from "../db/client";
import { StepFailure } from "../operations/definition";
import { finishedMigration, supersededBy } from "../operations/kinds/migration-followups";

export interface Possibility {
  possible: boolean;
  reason: string;
}

export interface MigrationState {
  migrationId: string;
  tenantId: string;
  sourceInstanceId: string;
  targetInstanceId: string;
  switchedAt: Date;
  retainedUntil: Date;
  /** The rollback window has not ended yet. */
  windowOpen: boolean;
  /** A rollback or clean-up (or a later migration) that replaced the kept source copy. */
  supersededBy: string | null;
  rollback: Possibility;
  cleanup: Possibility;
}

export async function migrationState(db: Db, migrationId: string, now = Date.now()): Promise<MigrationState | null> {
  let migration;
  try {
    migration = await finishedMigration(db, migrationId);
  } catch (error) {
    if (error instanceof StepFailure) return null;
    throw error;
  }
  const [laterForRollback, laterForCleanup] = await Promise.all([
    supersededBy(db, migration, migration.createdAt, "rollback"),
    supersededBy(db, migration, migration.createdAt, "cleanup"),
  ]);
  const tenant = await db.tenant.findUnique({ where: { id: migration.tenantId }, select: { status: true, storageInstanceId: true } });
  const { source, target } = migration.move;
  const rollback: Possibility = laterForRollback
    ? { possible: false, reason: `Followed by ${laterForRollback}.` }
    : tenant?.status !== "active" || tenant.storageInstanceId !== target.storageInstanceId
      ? { possible: false, reason: `Tenant ${migration.tenantId} is ${tenant?.status ?? "gone"} in ${tenant?.storageInstanceId ?? "no instance"}, not active in ${target.storageInstanceId}.` }
      : { possible: true, reason: `Moves ${migration.tenantId} back to ${source.storageInstanceId}, copying back what it wrote since the cut-over.` };
  const cleanup: Possibility = laterForCleanup
    ? { possible: false, reason: `The source copy was replaced by ${laterForCleanup}.` }
    : tenant?.storageInstanceId === source.storageInstanceId
      ? { possible: false, reason: `Tenant ${migration.tenantId} lives in ${source.storageInstanceId} again.` }
      : { possible: true, reason: now < migration.retainedUntil ? "Deletes the kept source copy now, before the rollback window ends; the migration can no longer be rolled back." : "The rollback window has ended; deletes the kept source copy." };
  return {
    migrationId,
    tenantId: migration.tenantId,
    sourceInstanceId: source.storageInstanceId,
    targetInstanceId: target.storageInstanceId,
    switchedAt: new Date(migration.switchedAt),
    retainedUntil: new Date(migration.retainedUntil),
    windowOpen: now < migration.retainedUntil,
    supersededBy: laterForCleanup ?? laterForRollback,
    rollback,
    cleanup,
  };
}
