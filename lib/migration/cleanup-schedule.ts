// Queues the clean-up of every migration whose rollback window has ended (run
// by the worker process every minute). The clean-up runs in the name of the
// operator who requested the migration, and is audited as queued by the schedule.
import type { Db } from "../db/client";
import { ActionRefusal } from "../auth/action-context";
import { cleanupMigrationOperation } from "./follow-ups";
import { enqueueOperation } from "../operations/queue";
import { migrationState } from "./state";

/** Migrations older than this are not looked at again (their clean-up was queued or refused long ago). */
const lookBackMs = 30 * 86_400_000;

export async function queueDueCleanups(db: Db, now = Date.now()): Promise<string[]> {
  const candidates = await db.operation.findMany({
    where: { kind: "migrate", status: "succeeded", finishedAt: { gt: new Date(now - lookBackMs), lt: new Date(now) } },
    select: { id: true, requestedBy: { select: { id: true, email: true, name: true, role: true } } },
    orderBy: { finishedAt: "asc" },
  });
  const queued: string[] = [];
  for (const candidate of candidates) {
    const state = await migrationState(db, candidate.id, now);
    if (!state || state.windowOpen || !state.cleanup.possible) continue;
    try {
      const { operation, duplicate } = await enqueueOperation(db, cleanupMigrationOperation, {
        kind: "cleanup_migration",
        tenantId: state.tenantId,
        parameters: { migrationId: candidate.id },
        idempotencyKey: `scheduled-cleanup:${candidate.id}`,
        user: candidate.requestedBy,
        action: "tenants.cleanupMigration",
        target: { type: "tenant", id: state.tenantId },
        note: "by the worker's schedule: the rollback window ended",
      });
      if (!duplicate) queued.push(operation.id);
    } catch (error) {
      // Another operation on the tenant is running: the next round tries again.
      if (!(error instanceof ActionRefusal)) throw error;
    }
  }
  return queued;
}
