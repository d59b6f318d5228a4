// What a finding's page shows of its alerts: each notification, its event
// and channel, and in words what became of it. Nothing secret is stored in a
// notification (its payload is what was sent), and none of it is shown here
// but the payload's title.
import "server-only";
import type { Db } from "../../db/client";
import type { AlertPayload } from "./payload";
import type { EventKindValue, NotificationStatusValue } from "./plan";
import type { AlertChannel } from "./settings";

export interface NotificationView {
  id: string;
  channel: AlertChannel;
  status: NotificationStatusValue;
  event: { id: string; kind: EventKindValue; at: Date };
  title: string;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  /** Pending: when it is tried next (after quiet hours, or a failed attempt). */
  nextAttemptAt: Date | null;
  /** In words: "sent (attempt 3)", "waiting to be sent (not before 2026-12-02 07:00 UTC)", "suppressed: resolved after 3 min, …". */
  state: string;
}

/** The notifications of one finding, oldest event first. */
export async function findingNotifications(db: Db, findingId: string): Promise<NotificationView[]> {
  const rows = await db.notification.findMany({
    where: { findingId },
    orderBy: [{ event: { at: "asc" } }, { channel: "asc" }],
    select: {
      id: true,
      channel: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
      payload: true,
      event: { select: { id: true, kind: true, at: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    status: row.status,
    event: row.event,
    title: (row.payload as unknown as Partial<AlertPayload>).title ?? row.event.kind,
    attempts: row.attempts,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt : null,
    state: notificationState(row),
  }));
}

/** What became of a notification, in words. Pure. */
export function notificationState(notification: {
  status: NotificationStatusValue;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}): string {
  const time = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  switch (notification.status) {
    case "sent":
      return `sent (attempt ${notification.attempts})`;
    case "failed":
      return `failed after ${notification.attempts} attempts: ${notification.lastError ?? "no answer"}`;
    case "suppressed":
      return `suppressed: ${notification.lastError ?? "not sent"}`;
    case "pending":
      if (notification.attempts === 0) return `waiting to be sent (not before ${time(notification.nextAttemptAt)})`;
      if (!notification.lastError) return `being sent (attempt ${notification.attempts})`;
      return `attempt ${notification.attempts} failed (${notification.lastError ?? "no answer"}); next at ${time(notification.nextAttemptAt)}`;
  }
}
