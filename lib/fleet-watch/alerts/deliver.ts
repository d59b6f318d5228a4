// Delivering pending notifications: the webhook (a signed JSON POST) and
// Amazon SNS (Publish). Safe in several workers at once: a worker claims a
// notification with a conditional update (still pending, as it read it),
// which counts the attempt and leases it for the delivery's timeout and a
// margin; only the claimant records the outcome (conditional on its own
// attempt), so each notification is sent once unless a worker dies mid-send
// (then another tries again after the lease: receivers deduplicate by the
// delivery id). Each outcome is audited in the transaction that records it.
import "server-only";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { snsClient } from "../../aws/clients";
import type { Db } from "../../db/client";
import type { Prisma } from "../../generated/prisma/client.ts";
import { retryDelayMs } from "./backoff";
import type { AlertPayload } from "./payload";
import { snsPublishInput } from "./payload";
import { inQuietHours, quietHoursEnd } from "./quiet-hours";
import { alertAudit } from "./audit";
import type { AlertChannel, AlertSettings } from "./settings";
import { signedHeaders } from "./signing";

export interface AlertDeps {
  settings: AlertSettings;
  /** Publishes to the topic (the topic's region); null without ALERT_SNS_TOPIC_ARN. */
  sns: Pick<SNSClient, "send"> | null;
  /** For tests: the HTTP client, the jitter's randomness and the clock the webhook's signature is dated by. */
  fetch?: typeof fetch;
  random?: () => number;
  clock?: () => number;
}

/** The deliveries' dependencies as configured: an SNS client only with a topic. */
export function alertDeps(settings: AlertSettings): AlertDeps {
  return { settings, sns: settings.sns ? snsClient(settings.sns.region) : null };
}

export interface DeliveryOutcome {
  sent: number;
  /** Failed this time, tried again later. */
  retried: number;
  /** Given up after the last attempt. */
  failed: number;
  /** Due during quiet hours (queued before they began, or a retry): held until they end. */
  held: number;
}

/** Delivery attempts one call makes, and the due notifications it looks at (some wait for an earlier one); the rest wait for the next tick. */
export const deliveriesPerCall = 25;
const candidatesPerCall = 4 * deliveriesPerCall;
/** How long a claim outlives the delivery's timeout before another worker may take the notification over. */
export const leaseMarginMs = 60_000;

export type Attempt = { ok: true; detail: string } | { ok: false; error: string };

/** Sends the notifications that are due, in each finding's order per channel; call it every tick after queueNotifications. */
export async function deliverNotifications(db: Db, deps: AlertDeps, nowMs: number): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { sent: 0, retried: 0, failed: 0, held: 0 };
  const { settings } = deps;
  const channels = settings.channels.filter((channel) => channel === "webhook" || deps.sns);
  if (!channels.length) return outcome;
  const now = new Date(nowMs);
  const due = await db.notification.findMany({
    where: { status: "pending", channel: { in: channels }, nextAttemptAt: { lte: now } },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
    take: candidatesPerCall,
    select: {
      id: true,
      findingId: true,
      eventId: true,
      channel: true,
      attempts: true,
      nextAttemptAt: true,
      payload: true,
      event: { select: { at: true, kind: true, severity: true } },
      finding: { select: { severity: true } },
    },
  });
  if (!due.length) return outcome;

  // A finding's alerts go in the order of its events on each channel: one waits while an earlier one is pending.
  const pending = await db.notification.findMany({
    where: { status: "pending", channel: { in: channels }, findingId: { in: [...new Set(due.map((n) => n.findingId))] } },
    select: { id: true, findingId: true, channel: true, eventId: true, event: { select: { at: true } } },
  });
  const unsent = new Map(pending.map((n) => [n.id, n]));
  const before = (a: { eventId: string; event: { at: Date } }, b: { eventId: string; event: { at: Date } }) =>
    a.event.at.getTime() - b.event.at.getTime() || a.eventId.localeCompare(b.eventId);
  const waitsForEarlier = (n: (typeof due)[number]) =>
    [...unsent.values()].some(
      (other) => other.id !== n.id && other.findingId === n.findingId && other.channel === n.channel && before(other, n) < 0,
    );

  /** A channel that failed once in this call is left for the next tick (a receiver that is down fails every alert). */
  const failing = new Set<AlertChannel>();
  let tried = 0;
  for (const notification of [...due].sort(before)) {
    if (tried >= deliveriesPerCall) break;
    if (failing.has(notification.channel) || waitsForEarlier(notification)) continue;
    const seen = {
      id: notification.id,
      status: "pending" as const,
      attempts: notification.attempts,
      nextAttemptAt: notification.nextAttemptAt,
    };
    const critical = notification.event.severity === "critical" || notification.finding.severity === "critical";
    if (!critical && inQuietHours(settings.quietHours, nowMs)) {
      const { count } = await db.notification.updateMany({
        where: seen,
        data: { nextAttemptAt: new Date(quietHoursEnd(settings.quietHours, nowMs)) },
      });
      outcome.held += count;
      continue;
    }
    const audit = (fate: "sent" | "retried" | "failed", attempts: number, detail: string) =>
      alertAudit({
        action: "alerts.deliver",
        targetType: "finding",
        targetId: notification.findingId,
        parameters: {
          notificationId: notification.id,
          eventId: notification.eventId,
          event: notification.event.kind,
          channel: notification.channel,
          destination: destination(settings, notification.channel),
          attempts,
          fate,
        },
        outcome: fate === "sent" ? "succeeded" : "failed",
        detail,
      });

    if (notification.attempts >= settings.maxAttempts) {
      // Its last attempt's worker stopped before recording the outcome.
      const detail = `gave up after ${notification.attempts} attempts (the last one's worker stopped before it finished)`;
      if (await record(db, seen, { status: "failed", lastError: detail }, audit("failed", notification.attempts, detail))) outcome.failed++;
      unsent.delete(notification.id);
      continue;
    }
    const attempts = notification.attempts + 1;
    const timeoutMs = notification.channel === "webhook" ? settings.webhook!.timeoutMs : settings.sns!.timeoutMs;
    const claimed = await db.notification.updateMany({
      where: seen,
      data: { attempts, nextAttemptAt: new Date(nowMs + timeoutMs + leaseMarginMs) },
    });
    if (!claimed.count) continue;
    tried++;
    const mine = { id: notification.id, status: "pending" as const, attempts };

    const result = await sendNotification(deps, notification);
    if (result.ok) {
      const detail = `sent by ${notification.channel} (attempt ${attempts}): ${result.detail}`;
      if (await record(db, mine, { status: "sent", sentAt: now, lastError: null }, audit("sent", attempts, detail))) outcome.sent++;
      unsent.delete(notification.id);
    } else if (attempts >= settings.maxAttempts) {
      const detail = `gave up after ${attempts} attempts; the last: ${result.error}`;
      if (await record(db, mine, { status: "failed", lastError: result.error }, audit("failed", attempts, detail))) outcome.failed++;
      unsent.delete(notification.id);
      failing.add(notification.channel);
    } else {
      const next = new Date(nowMs + retryDelayMs(attempts, settings.backoffBaseMs, deps.random ?? Math.random));
      const detail = `attempt ${attempts} of ${settings.maxAttempts} failed: ${result.error}; next at ${next.toISOString()}`;
      if (await record(db, mine, { nextAttemptAt: next, lastError: result.error }, audit("retried", attempts, detail))) outcome.retried++;
      failing.add(notification.channel);
    }
  }
  return outcome;
}

/** Records an outcome and its audit entry together, only if the notification is still as this worker left it. */
async function record(
  db: Db,
  where: Prisma.NotificationWhereInput,
  data: Prisma.NotificationUpdateManyMutationInput,
  entry: Prisma.AuditEntryUncheckedCreateInput,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({ where, data });
    if (count) await tx.auditEntry.create({ data: entry });
    return count > 0;
  });
}

/** Where a channel sends, as audit entries show it: the webhook's origin only (its path may hold a token), the topic's ARN. */
function destination(settings: AlertSettings, channel: AlertChannel): string {
  return channel === "webhook" ? new URL(settings.webhook!.url).origin : settings.sns!.topicArn;
}

/** One delivery attempt on the notification's channel; never throws. */
export async function sendNotification(
  deps: AlertDeps,
  notification: { id: string; findingId: string; channel: AlertChannel; payload: Prisma.JsonValue },
): Promise<Attempt> {
  const payload = notification.payload as unknown as AlertPayload;
  return notification.channel === "webhook" ? postWebhook(deps, notification.id, payload) : publishSns(deps, notification, payload);
}

async function postWebhook(deps: AlertDeps, deliveryId: string, payload: AlertPayload): Promise<Attempt> {
  const webhook = deps.settings.webhook!;
  const body = JSON.stringify(payload);
  const signedAt = (deps.clock ?? Date.now)();
  try {
    const response = await (deps.fetch ?? fetch)(webhook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "tenant-storage-console-alerts/1",
        ...signedHeaders(webhook.secret, signedAt, body, deliveryId),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(webhook.timeoutMs),
    });
    const answer = (await response.text().catch(() => "")).replace(/\s+/g, " ").trim().slice(0, 200);
    if (response.status >= 200 && response.status < 300) return { ok: true, detail: `HTTP ${response.status}` };
    return { ok: false, error: `HTTP ${response.status}${answer ? `: ${answer}` : ""}` };
  } catch (error) {
    return { ok: false, error: failure(error, webhook.timeoutMs) };
  }
}

async function publishSns(deps: AlertDeps, notification: { id: string; findingId: string }, payload: AlertPayload): Promise<Attempt> {
  const topic = deps.settings.sns!;
  try {
    const published = await deps.sns!.send(new PublishCommand(snsPublishInput(topic, notification, payload)), {
      abortSignal: AbortSignal.timeout(topic.timeoutMs),
    });
    return { ok: true, detail: `message ${published.MessageId ?? "(no id)"}` };
  } catch (error) {
    return { ok: false, error: failure(error, topic.timeoutMs) };
  }
}

/** One line saying why a delivery failed; never the secret, the body or the webhook's path. */
function failure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  if (error.name === "TimeoutError" || error.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.name === "Error" || error.name === "TypeError" ? "" : `${error.name}: `}${error.message}${cause}`.slice(0, 300);
}
