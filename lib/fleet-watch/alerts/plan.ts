// Which notifications a finding's events call for, per channel: the pure
// decision queueNotifications (queue.ts) applies to the catalog.
//
// A finding's events fall into episodes: from "opened" (or "reopened") to
// "resolved". An episode alerts once it has lasted its minimum duration (the
// smallest minimum among the severities it reached); one that resolves sooner
// never alerts: its notifications are created "suppressed". During quiet
// hours a minor or major episode's notifications wait for their end; one that
// reached critical goes at once (and releases any held before). When an
// episode whose opening alert is still held resolves, the held ones and its
// "resolved" are suppressed: nobody needs to hear about it in the morning.
import type { SeverityValue } from "../shapes";
import { quietHoursEnd, type QuietHours } from "./quiet-hours";
import type { AlertChannel } from "./settings";

export type EventKindValue = "opened" | "escalated" | "deescalated" | "reopened" | "resolved" | "outcome";
export type NotificationStatusValue = "pending" | "sent" | "failed" | "suppressed";

/** The events that alert; de-escalations and outcomes are only history. */
export const notifiableKinds = ["opened", "escalated", "reopened", "resolved"] as const satisfies EventKindValue[];
const notifiable = new Set<EventKindValue>(notifiableKinds);

export interface PlanEvent {
  id: string;
  kind: EventKindValue;
  severity: SeverityValue;
  atMs: number;
}

export interface PlanNotification {
  id: string;
  eventId: string;
  channel: AlertChannel;
  status: NotificationStatusValue;
  attempts: number;
  nextAttemptAtMs: number;
}

export interface Episode {
  start: PlanEvent;
  /** All its events in order, the start and end included. */
  events: PlanEvent[];
  end: PlanEvent | null;
}

/** Splits a finding's events (in order) into episodes; events outside any (an outcome after resolving) are left out. */
export function episodesOf(events: PlanEvent[]): Episode[] {
  const episodes: Episode[] = [];
  let current: Episode | null = null;
  for (const event of events) {
    if (event.kind === "opened" || event.kind === "reopened" || (!current && (event.kind === "escalated" || event.kind === "resolved"))) {
      current = { start: event, events: [], end: null };
      episodes.push(current);
    }
    if (!current) continue;
    current.events.push(event);
    if (event.kind === "resolved") {
      current.end = event;
      current = null;
    }
  }
  return episodes;
}

export type MinimumDecision = { state: "due" } | { state: "waiting"; untilMs: number } | { state: "too-short"; reason: string };

/** Whether an episode has lasted long enough to alert, may still, or resolved too soon. */
export function minimumDecision(episode: Episode, minimumMs: Record<SeverityValue, number>, nowMs: number): MinimumDecision {
  const reached = [...new Set(episode.events.map((event) => event.severity))];
  const required = Math.min(...reached.map((severity) => minimumMs[severity]));
  const lasted = (episode.end?.atMs ?? nowMs) - episode.start.atMs;
  if (lasted >= required) return { state: "due" };
  if (!episode.end) return { state: "waiting", untilMs: episode.start.atMs + required };
  const severity = reached.find((candidate) => minimumMs[candidate] === required)!;
  return {
    state: "too-short",
    reason: `resolved after ${spoken(lasted)}, under the minimum of ${spoken(required)} for a ${severity} finding`,
  };
}

/** Until when a notification of an episode waits: the end of the quiet hours, unless the episode reached critical. */
export function heldUntilMs(quietHours: QuietHours | null, nowMs: number, critical: boolean): number {
  return critical ? nowMs : quietHoursEnd(quietHours, nowMs);
}

export interface PlannedNotification {
  eventId: string;
  channel: AlertChannel;
  status: "pending" | "suppressed";
  nextAttemptAtMs: number;
  /** Why it is suppressed (kept as the notification's lastError); null when pending. */
  reason: string | null;
}

export interface NotificationPlan {
  create: PlannedNotification[];
  /** Held notifications that will not be sent after all. */
  suppress: { id: string; reason: string }[];
  /** Held notifications that go now: their episode reached critical. */
  release: string[];
}

export interface PlanInput {
  /** All the finding's events, in order. */
  events: PlanEvent[];
  /** Its notifications so far. */
  existing: PlanNotification[];
  channels: AlertChannel[];
  /** The finding's severity now (it counts for its open episode). */
  findingSeverity: SeverityValue;
  minimumMs: Record<SeverityValue, number>;
  quietHours: QuietHours | null;
  nowMs: number;
  /** Events before this get no notification (a channel configured today does not replay the fleet's history). */
  sinceMs: number;
}

/** A pending notification never tried whose time has not come: held for quiet hours. */
export const isHeld = (notification: PlanNotification, nowMs: number) =>
  notification.status === "pending" && notification.attempts === 0 && notification.nextAttemptAtMs > nowMs;

export function planNotifications(input: PlanInput): NotificationPlan {
  const plan: NotificationPlan = { create: [], suppress: [], release: [] };
  const { nowMs } = input;
  for (const episode of episodesOf(input.events)) {
    const decision = minimumDecision(episode, input.minimumMs, nowMs);
    if (decision.state === "waiting") continue;
    const critical =
      episode.events.some((event) => event.severity === "critical") || (!episode.end && input.findingSeverity === "critical");
    const heldUntil = heldUntilMs(input.quietHours, nowMs, critical);
    for (const channel of input.channels) {
      const sent = new Map(input.existing.filter((n) => n.channel === channel).map((n) => [n.eventId, n]));
      const alerting = episode.events.filter((event) => notifiable.has(event.kind));
      const missing = alerting.filter((event) => !sent.has(event.id) && event.atMs >= input.sinceMs);
      const held = alerting.flatMap((event) => {
        const notification = sent.get(event.id);
        return notification && isHeld(notification, nowMs) ? [notification] : [];
      });
      const create = (status: PlannedNotification["status"], reason: string | null) =>
        plan.create.push(
          ...missing.map((event) => ({
            eventId: event.id,
            channel,
            status,
            nextAttemptAtMs: status === "pending" ? heldUntil : nowMs,
            reason,
          })),
        );

      if (decision.state === "too-short") {
        plan.suppress.push(...held.map(({ id }) => ({ id, reason: decision.reason })));
        create("suppressed", decision.reason);
        continue;
      }
      const start = sent.get(episode.start.id);
      const startHeld = start ? isHeld(start, nowMs) : heldUntil > nowMs && missing.includes(episode.start);
      if (episode.end && missing.includes(episode.end) && (startHeld || start?.status === "suppressed")) {
        const reason =
          start?.status === "suppressed"
            ? "its opening alert was not sent"
            : `held for quiet hours (${input.quietHours?.text ?? "none"} UTC) and the finding resolved meanwhile`;
        plan.suppress.push(...held.map(({ id }) => ({ id, reason })));
        create("suppressed", reason);
        continue;
      }
      if (critical) plan.release.push(...held.map(({ id }) => id));
      create("pending", null);
    }
  }
  return plan;
}

function spoken(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round((ms / 60_000) * 10) / 10} min`;
}
