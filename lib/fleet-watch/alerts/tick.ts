// The alerts' part of the watcher's tick: queue what findings' new events call
// for, then deliver what is due. Safe in several workers at once.
import "server-only";
import type { Db } from "../../db/client";
import { deliverNotifications, type AlertDeps, type DeliveryOutcome } from "./deliver";
import { queueNotifications, type QueueOutcome } from "./queue";

export interface AlertsTick {
  queue: QueueOutcome;
  delivery: DeliveryOutcome;
  /** What happened, for the worker's log: e.g. ["2 queued", "1 sent", "1 to retry"]; empty when nothing did. */
  lines: string[];
}

export async function runAlerts(db: Db, deps: AlertDeps, nowMs: number): Promise<AlertsTick> {
  const queue = await queueNotifications(db, deps.settings, nowMs);
  const delivery = await deliverNotifications(db, deps, nowMs);
  const facts: [number, string][] = [
    [queue.queued, "queued"],
    [queue.suppressed, "suppressed"],
    [queue.released, "released from quiet hours"],
    [delivery.sent, "sent"],
    [delivery.retried, "to retry"],
    [delivery.failed, "failed"],
    [delivery.held, "held for quiet hours"],
  ];
  return { queue, delivery, lines: facts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`) };
}
