// What a worker does every minute besides running operations: queue the
// clean-up of migrations whose rollback window has ended and the scheduled
// backups that are due, and delete backups past their retention. Each duty is
// safe to run in several workers at once (queueing is idempotent per key).
import { expireBackups, queueDueBackups } from "../backup/schedule";
import { queueDueCleanups } from "../migration/cleanup-schedule";
import type { OperationDeps } from "../operations/deps";

export const dutyIntervalMs = 60_000;

export function startDuties(deps: OperationDeps, log: (line: string) => void): { stop(): void } {
  const run = (what: string, task: () => Promise<string[]>) =>
    task().then(
      (done) => done.length && log(`${what}: ${done.length}`),
      (error: unknown) => log(`${what} failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`),
    );
  const timer = setInterval(() => {
    void run("queued migration clean-ups", () => queueDueCleanups(deps.db));
    void run("queued scheduled backups", () => queueDueBackups(deps.db));
    void run("expired backups", () => expireBackups(deps.db, deps.backupStore));
  }, dutyIntervalMs);
  return { stop: () => clearInterval(timer) };
}
