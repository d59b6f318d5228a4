// Requests for backups, restores and backup schedules. The checks here give
// the operator a clear answer at once; the operations check again when they run.
import "server-only";
import { z } from "zod";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { slugPattern } from "../catalog/vocabulary";
import { backupOperation } from "./backup-operation";
import { restoreOperation, type RestoreParameters } from "./restore-operation";
import { validatedPlan } from "./restore-plan";
import { findOutput, parseSteps } from "../operations/definition";
import { operationIdPattern } from "../operations/ids";
import { enqueueOperation } from "../operations/queue";
import { idempotencyKeyField } from "../validation/fields";
import { defaultRetentionDays, pointInTimeEnabled } from "./settings";

const strategyField = z.enum(["per_tenant", "whole_table"], { message: "Choose how the backup separates tenants" });

export const backupInput = z.object({
  storageInstanceId: z.string().regex(slugPattern, "Choose a storage instance"),
  strategy: strategyField,
  idempotencyKey: idempotencyKeyField,
});

export async function queueBackup(
  ctx: ActionContext,
  input: z.infer<typeof backupInput> & { scheduled?: boolean; retentionDays?: number; note?: string },
) {
  const instance = await ctx.db.storageInstance.findUnique({ where: { id: input.storageInstanceId }, select: { id: true, status: true } });
  if (!instance)
    throw new ActionRefusal(`No storage instance ${input.storageInstanceId}.`, {
      storageInstanceId: ["Choose one of the listed instances"],
    });
  if (instance.status === "retired" || instance.status === "provisioning")
    throw new ActionRefusal(`${instance.id} is ${instance.status}; only a live instance can be backed up.`);
  const running = await ctx.db.operation.findFirst({
    where: { kind: "backup", storageInstanceId: instance.id, status: { in: ["queued", "running"] } },
    select: { id: true },
  });
  if (running) throw new ActionRefusal(`A backup of ${instance.id} is already in progress (operation ${running.id}).`);
  const { operation, duplicate } = await enqueueOperation(ctx.db, backupOperation, {
    kind: "backup",
    tenantId: null,
    storageInstanceId: instance.id,
    parameters: {
      storageInstanceId: instance.id,
      strategy: input.strategy,
      scheduled: input.scheduled ?? false,
      retentionDays: input.retentionDays ?? defaultRetentionDays(),
      segments: 4,
    },
    idempotencyKey: input.idempotencyKey,
    user: ctx.user,
    action: "backups.create",
    target: { type: "storageInstance", id: instance.id },
    note: input.note,
  });
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : `Backing up ${instance.id}.` };
}

export const restoreInput = z
  .object({
    tenantId: z.string().regex(slugPattern, "Not a tenant id"),
    backupId: z
      .string()
      .regex(operationIdPattern, "Choose a backup")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    pointInTime: z.iso
      .datetime({ message: "A date and time (ISO 8601, UTC)" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    mode: z.enum(["dry_run", "in_place", "staged", "side_table"], { message: "Choose dry run, staged, in place or side table" }),
    /** The dry run a restore follows: the operator has seen what will change. */
    dryRunId: z
      .string()
      .regex(operationIdPattern, "Not an operation id")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    idempotencyKey: idempotencyKeyField,
  })
  .refine((v) => Boolean(v.backupId) !== Boolean(v.pointInTime), {
    message: "Choose a backup or a point in time (one of them)",
    path: ["backupId"],
  });

export async function requestRestore(ctx: ActionContext, input: z.infer<typeof restoreInput>) {
  const tenant = await ctx.db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true, status: true } });
  if (!tenant) throw new ActionRefusal(`No tenant ${input.tenantId}.`);
  if (tenant.status !== "active")
    throw new ActionRefusal(`Tenant ${tenant.id} is ${tenant.status}; only an active tenant can be restored.`);
  let source: RestoreParameters["source"];
  if (input.backupId) {
    const backup = await ctx.db.backup.findUnique({
      where: { id: input.backupId },
      include: { tenants: { where: { tenantId: tenant.id } } },
    });
    if (!backup) throw new ActionRefusal(`No backup ${input.backupId}.`, { backupId: ["Choose one of the listed backups"] });
    if (backup.status !== "complete")
      throw new ActionRefusal(`Backup ${backup.id} is ${backup.status}; only a complete backup can be restored from.`, {
        backupId: ["Choose a complete backup"],
      });
    if (backup.tenants.length === 0)
      throw new ActionRefusal(`Backup ${backup.id} (of ${backup.storageInstanceId}) does not hold ${tenant.id}'s data.`, {
        backupId: ["This backup does not hold the tenant"],
      });
    source = { kind: "backup", backupId: backup.id };
  } else {
    if (!pointInTimeEnabled())
      throw new ActionRefusal("Point-in-time restores need AWS mode with point-in-time recovery on (BACKUP_POINT_IN_TIME=on).", {
        pointInTime: ["Not available in this deployment"],
      });
    const at = new Date(input.pointInTime!);
    if (at.getTime() > Date.now())
      throw new ActionRefusal("The point in time is in the future.", { pointInTime: ["Choose a time in the past"] });
    source = { kind: "pointInTime", at: at.toISOString() };
  }
  if (input.mode !== "dry_run") {
    const dryRun = input.dryRunId
      ? await ctx.db.operation.findUnique({
          where: { id: input.dryRunId },
          select: { kind: true, status: true, tenantId: true, parameters: true, steps: true },
        })
      : null;
    const parameters = dryRun ? restoreOperation.parameters.safeParse(dryRun.parameters) : null;
    const same =
      parameters?.success &&
      parameters.data.mode === "dry_run" &&
      parameters.data.tenantId === tenant.id &&
      JSON.stringify(parameters.data.source) === JSON.stringify(source);
    if (!dryRun || dryRun.kind !== "restore" || dryRun.status !== "succeeded" || !same) {
      throw new ActionRefusal("Run a dry run of this restore first: it shows what would change, and the restore follows from its page.");
    }
    const staging = findOutput(parseSteps(dryRun.steps), validatedPlan)?.plan.staging;
    if (input.mode === "staged" && !staging?.into)
      throw new ActionRefusal(
        `${tenant.id} cannot be restored staged${staging ? `: ${staging.reason}` : " (its dry run predates staged restores: run it again)"}. Restore it in place instead.`,
      );
  }
  const { operation, duplicate } = await enqueueOperation(ctx.db, restoreOperation, {
    kind: "restore",
    tenantId: tenant.id,
    parameters: { tenantId: tenant.id, source, mode: input.mode },
    idempotencyKey: input.idempotencyKey,
    user: ctx.user,
    action: input.mode === "dry_run" ? "tenants.restoreDryRun" : "tenants.restore",
    target: { type: "tenant", id: tenant.id },
    note: input.dryRunId ? `after dry run ${input.dryRunId}` : undefined,
  });
  const verb = {
    dry_run: "Dry run of a restore of",
    side_table: "Restoring to a side table:",
    staged: "Restoring (staged)",
    in_place: "Restoring in place",
  }[input.mode];
  return { data: { operationId: operation.id }, message: duplicate ? "Already requested." : `${verb} ${tenant.id}.` };
}

export const scheduleInput = z.object({
  storageInstanceId: z.string().regex(slugPattern, "Choose a storage instance"),
  enabled: z.enum(["on", "off"], { message: "On or off" }).transform((v) => v === "on"),
  intervalHours: z.coerce
    .number({ message: "A whole number of hours" })
    .int("A whole number of hours")
    .min(1, "At least 1 hour")
    .max(720, "At most 720 hours (30 days)"),
  retentionDays: z.coerce
    .number({ message: "A whole number of days" })
    .int("A whole number of days")
    .min(1, "At least 1 day")
    .max(3_650, "At most 3,650 days"),
  strategy: strategyField,
});

export async function setBackupSchedule(ctx: ActionContext, input: z.infer<typeof scheduleInput>) {
  const instance = await ctx.db.storageInstance.findUnique({ where: { id: input.storageInstanceId }, select: { id: true, status: true } });
  if (!instance || instance.status === "retired")
    throw new ActionRefusal(`No live storage instance ${input.storageInstanceId}.`, {
      storageInstanceId: ["Choose one of the listed instances"],
    });
  const values = {
    enabled: input.enabled,
    intervalHours: input.intervalHours,
    retentionDays: input.retentionDays,
    strategy: input.strategy,
    setById: ctx.user.id,
  };
  await ctx.db.$transaction([
    ctx.db.backupSchedule.upsert({
      where: { storageInstanceId: instance.id },
      create: { storageInstanceId: instance.id, ...values },
      update: values,
    }),
    ctx.db.auditEntry.create({
      data: auditEntry(ctx.user, {
        action: "backups.schedule",
        targetType: "storageInstance",
        targetId: instance.id,
        parameters: {
          enabled: values.enabled,
          intervalHours: values.intervalHours,
          retentionDays: values.retentionDays,
          strategy: values.strategy,
        },
        outcome: "succeeded",
      }),
    }),
  ]);
  return {
    data: undefined,
    message: input.enabled
      ? `${instance.id} is backed up every ${input.intervalHours} h (kept ${input.retentionDays} days).`
      : `Scheduled backups of ${instance.id} are off.`,
  };
}
