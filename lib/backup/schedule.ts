// Run by the worker process every minute: queues the backups schedules say
// are due, and deletes the files of backups past their retention (the row
// stays, marked expired). Both are audited in the name of the person who set
// the schedule (or requested the backup), as done by the schedule.
import { auditEntry, auditTarget } from "../audit/record";
import { ActionRefusal } from "../auth/action-context";
import type { Db } from "../db/client";
import { backupOperation } from "./backup-operation";
import { enqueueOperation } from "../operations/queue";
import type { BackupStore } from "../storage/backup-store";

const hour = 3_600_000;

export async function queueDueBackups(db: Db, now = Date.now()): Promise<string[]> {
  const schedules = await db.backupSchedule.findMany({
    where: { enabled: true },
    include: { storageInstance: { select: { status: true } } },
  });
  const queued: string[] = [];
  for (const schedule of schedules) {
    if (schedule.storageInstance.status === "retired") continue;
    const intervalMs = schedule.intervalHours * hour;
    if (schedule.lastQueuedAt && now - schedule.lastQueuedAt.getTime() < intervalMs) continue;
    const user = await db.user.findUnique({ where: { id: schedule.setById }, select: { id: true, email: true, name: true, role: true } });
    if (!user) continue;
    // One key per interval slot: two workers running the schedule queue it once.
    const slot = Math.floor(now / intervalMs);
    try {
      const { operation, duplicate } = await enqueueOperation(db, backupOperation, {
        kind: "backup",
        tenantId: null,
        storageInstanceId: schedule.storageInstanceId,
        parameters: {
          storageInstanceId: schedule.storageInstanceId,
          strategy: schedule.strategy,
          scheduled: true,
          retentionDays: schedule.retentionDays,
          segments: 4,
        },
        idempotencyKey: `scheduled-backup:${schedule.storageInstanceId}:${schedule.intervalHours}h:${slot}`,
        user,
        action: "backups.create",
        target: { type: "storageInstance", id: schedule.storageInstanceId },
        note: `by the worker's schedule: every ${schedule.intervalHours} h`,
      });
      await db.backupSchedule.update({ where: { storageInstanceId: schedule.storageInstanceId }, data: { lastQueuedAt: new Date(now) } });
      if (!duplicate) queued.push(operation.id);
    } catch (error) {
      if (!(error instanceof ActionRefusal)) throw error;
    }
  }
  return queued;
}

export async function expireBackups(db: Db, store: BackupStore, now = Date.now()): Promise<string[]> {
  const due = await db.backup.findMany({
    where: { status: "complete", expiresAt: { lte: new Date(now) } },
    include: { operation: { select: { requestedBy: { select: { id: true, email: true, name: true, role: true } } } } },
  });
  const expired: string[] = [];
  for (const backup of due) {
    await store.deletePrefix(backup.location);
    await db.$transaction([
      db.backup.update({ where: { id: backup.id }, data: { status: "expired" } }),
      db.auditEntry.create({
        data: auditEntry(backup.operation.requestedBy, {
          action: "backups.expire",
          targetType: "backup",
          targetId: backup.id,
          parameters: { storageInstanceId: backup.storageInstanceId, expiresAt: backup.expiresAt!.toISOString() },
          targets: [auditTarget("instance", backup.storageInstanceId), auditTarget("operation", backup.operationId)],
          outcome: "succeeded",
          detail: "by the worker's schedule: past its retention; files deleted",
        }),
      }),
    ]);
    expired.push(backup.id);
  }
  return expired;
}
