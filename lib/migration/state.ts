// Where a finished migration stands: its measured freeze, how long the source
// copy is kept, and whether it can still be rolled back or cleaned up.
import type { Db } from "../db/client";
import { StepFailure } from "../operations/definition";
import { finishedMigration, followUpPossibility, type Possibility } from "./follow-ups";

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
  const [rollback, cleanup] = await Promise.all([
    followUpPossibility(db, migration, "rollback", { now }),
    followUpPossibility(db, migration, "cleanup", { now }),
  ]);
  const { source, target } = migration.move;
  return {
    migrationId,
    tenantId: migration.tenantId,
    sourceInstanceId: source.storageInstanceId,
    targetInstanceId: target.storageInstanceId,
    switchedAt: new Date(migration.switchedAt),
    retainedUntil: new Date(migration.retainedUntil),
    windowOpen: now < migration.retainedUntil,
    supersededBy: cleanup.supersededBy ?? rollback.supersededBy,
    rollback,
    cleanup,
  };
}
