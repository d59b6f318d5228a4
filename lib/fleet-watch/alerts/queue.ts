// Turning findings' events into Notification rows, per configured channel,
// as plan.ts decides: pending (due now, or held for quiet hours) or
// suppressed (with the reason, audited). Safe in several workers at once: a
// notification is unique per (event, channel) and inserted with ON CONFLICT
// DO NOTHING, and a held one is suppressed or released only while it is
// still held (never tried), so whoever changes it audits it once.
import "server-only";
import type { Db } from "../../db/client";
import type { Prisma } from "../../generated/prisma/client.ts";
import { alertAudit } from "./audit";
import { alertPayload } from "./payload";
import { notifiableKinds, planNotifications, type NotificationPlan } from "./plan";
import type { AlertChannel, AlertSettings } from "./settings";

/** Events older than this (plus the longest minimum duration) never alert: a channel configured today does not replay history. */
export const queueHorizonMs = 24 * 3_600_000;

export interface QueueOutcome {
  /** Notifications created pending (to be sent now or after quiet hours). */
  queued: number;
  /** Notifications created or changed to suppressed. */
  suppressed: number;
  /** Held notifications sent at once after all (their finding reached critical). */
  released: number;
}

type Tx = Prisma.TransactionClient;

/** Thrown inside a finding's transaction when another worker changed a held notification first: the next call plans again. */
class ChangedMeanwhile extends Error {}

/** Creates the notifications findings' recent events call for; call it every tick (before deliverNotifications). */
export async function queueNotifications(db: Db, settings: AlertSettings, nowMs: number): Promise<QueueOutcome> {
  const outcome: QueueOutcome = { queued: 0, suppressed: 0, released: 0 };
  if (!settings.channels.length) return outcome;
  const now = new Date(nowMs);
  const sinceMs = nowMs - queueHorizonMs - Math.max(...Object.values(settings.minimumMs));
  const [unqueued, heldCritical] = await Promise.all([
    db.findingEvent.findMany({
      where: {
        kind: { in: [...notifiableKinds] },
        at: { gte: new Date(sinceMs) },
        OR: settings.channels.map((channel) => ({ notifications: { none: { channel } } })),
      },
      select: { findingId: true },
      distinct: ["findingId"],
    }),
    db.notification.findMany({
      where: { status: "pending", attempts: 0, nextAttemptAt: { gt: now }, finding: { severity: "critical" } },
      select: { findingId: true },
      distinct: ["findingId"],
    }),
  ]);
  const findingIds = [...new Set([...unqueued, ...heldCritical].map((row) => row.findingId))];
  for (const findingId of findingIds) {
    const finding = await db.finding.findUnique({
      where: { id: findingId },
      select: {
        id: true,
        kind: true,
        severity: true,
        peakSeverity: true,
        status: true,
        summary: true,
        subject: true,
        tenantId: true,
        storageInstanceId: true,
        sinceAt: true,
        openedAt: true,
        resolvedAt: true,
        events: { orderBy: [{ at: "asc" }, { id: "asc" }], select: { id: true, kind: true, severity: true, at: true, detail: true } },
        notifications: { select: { id: true, eventId: true, channel: true, status: true, attempts: true, nextAttemptAt: true } },
      },
    });
    if (!finding) continue;
    const plan = planNotifications({
      events: finding.events.map((event) => ({ ...event, atMs: event.at.getTime() })),
      existing: finding.notifications.map((n) => ({ ...n, nextAttemptAtMs: n.nextAttemptAt.getTime() })),
      channels: settings.channels,
      findingSeverity: finding.severity,
      minimumMs: settings.minimumMs,
      quietHours: settings.quietHours,
      nowMs,
      sinceMs,
    });
    if (!plan.create.length && !plan.suppress.length && !plan.release.length) continue;
    const events = new Map(finding.events.map((event) => [event.id, event]));
    const existing = new Map(finding.notifications.map((n) => [n.id, n]));
    try {
      const applied = await db.$transaction((tx) =>
        applyPlan(tx, plan, now, {
          payload: (eventId) => alertPayload(finding, events.get(eventId)!, settings.consoleUrl, nowMs) as unknown as Prisma.InputJsonValue,
          describe: (eventId, channel) => ({ findingId, eventId, event: events.get(eventId)!.kind, channel }),
          eventOf: (notificationId) => existing.get(notificationId)!,
        }),
      );
      outcome.queued += applied.queued;
      outcome.suppressed += applied.suppressed;
      outcome.released += applied.released;
    } catch (error) {
      if (!(error instanceof ChangedMeanwhile)) throw error;
    }
  }
  return outcome;
}

interface PlanContext {
  payload(eventId: string): Prisma.InputJsonValue;
  describe(eventId: string, channel: AlertChannel): { findingId: string; eventId: string; event: string; channel: AlertChannel };
  eventOf(notificationId: string): { eventId: string; channel: AlertChannel };
}

async function applyPlan(tx: Tx, plan: NotificationPlan, now: Date, context: PlanContext): Promise<QueueOutcome> {
  const stillHeld = (id: string) => ({ id, status: "pending" as const, attempts: 0, nextAttemptAt: { gt: now } });
  const audits: Prisma.AuditEntryUncheckedCreateInput[] = [];
  for (const { id, reason } of plan.suppress) {
    const { count } = await tx.notification.updateMany({ where: stillHeld(id), data: { status: "suppressed", lastError: reason } });
    if (!count) throw new ChangedMeanwhile();
    const { eventId, channel } = context.eventOf(id);
    audits.push(suppressionAudit(id, context.describe(eventId, channel), reason));
  }
  let released = 0;
  for (const id of plan.release) {
    released += (await tx.notification.updateMany({ where: stillHeld(id), data: { nextAttemptAt: now } })).count;
  }
  const created = await tx.notification.createManyAndReturn({
    data: plan.create.map((planned) => ({
      findingId: context.describe(planned.eventId, planned.channel).findingId,
      eventId: planned.eventId,
      channel: planned.channel,
      status: planned.status,
      payload: context.payload(planned.eventId),
      nextAttemptAt: new Date(planned.nextAttemptAtMs),
      lastError: planned.reason,
    })),
    skipDuplicates: true,
    select: { id: true, eventId: true, channel: true, status: true, lastError: true },
  });
  for (const row of created.filter((row) => row.status === "suppressed")) {
    audits.push(suppressionAudit(row.id, context.describe(row.eventId, row.channel), row.lastError ?? "suppressed"));
  }
  if (audits.length) await tx.auditEntry.createMany({ data: audits });
  return {
    queued: created.filter((row) => row.status === "pending").length,
    suppressed: audits.length,
    released,
  };
}

function suppressionAudit(
  notificationId: string,
  about: { findingId: string; eventId: string; event: string; channel: AlertChannel },
  reason: string,
): Prisma.AuditEntryUncheckedCreateInput {
  return alertAudit({
    action: "alerts.suppress",
    targetType: "finding",
    targetId: about.findingId,
    parameters: { notificationId, eventId: about.eventId, event: about.event, channel: about.channel, fate: "suppressed" },
    outcome: "succeeded",
    detail: `not sent: ${reason}`,
  });
}
