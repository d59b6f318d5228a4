// What a worker does every minute besides running operations: queue the
// clean-up of migrations whose rollback window has ended and the scheduled
// backups that are due, delete backups past their retention, reconcile
// the catalog with routing (repairing what is unambiguous, reporting the
// rest once), and roll tenants' usage up for the cost estimates. Each duty is safe to run in several workers at once (queueing
// is idempotent per key; a repair is conditional on what it saw).
import { expireBackups, queueDueBackups } from "../backup/schedule";
import { reconcileTenants } from "../fleet-checks/reconcile";
import { queueDueCleanups } from "../migration/cleanup-schedule";
import { describeRoll, rollUpUsage } from "../cost/rollup";
import { costSettings } from "../cost/settings";
import type { OperationDeps } from "../operations/deps";

export const dutyIntervalMs = 60_000;

export function startDuties(deps: OperationDeps, log: (line: string) => void): { stop(): void } {
  /** Problems already logged: each is logged once while it lasts (the pages show it meanwhile). */
  let reported = new Set<string>();
  const run = (what: string, task: () => Promise<string[]>) =>
    task().then(
      (done) => done.length && log(`${what}: ${done.length}`),
      (error: unknown) => log(`${what} failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`),
    );
  // A roll may outlast the minute (a month's backfill at fleet scale): never two at once in one worker.
  let rolling = false;
  const rollUp = () => {
    if (rolling) return;
    rolling = true;
    void run("usage rolled up", async () => {
      for (const roll of await rollUpUsage(deps, costSettings())) log(`usage rolled up for ${describeRoll(roll)}`);
      return [];
    }).finally(() => {
      rolling = false;
    });
  };
  const timer = setInterval(() => {
    rollUp();
    void run("queued migration clean-ups", () => queueDueCleanups(deps.db));
    void run("queued scheduled backups", () => queueDueBackups(deps.db));
    void run("expired backups", () => expireBackups(deps.db, deps.backupStore));
    void run("catalog repaired to follow routing", async () => {
      const { repaired, needOperator } = await reconcileTenants(deps);
      for (const line of repaired) log(`reconciled ${line}`);
      for (const line of needOperator.filter((line) => !reported.has(line))) log(`needs an operator (see Fleet checks): ${line}`);
      reported = new Set(needOperator);
      return repaired;
    });
  }, dutyIntervalMs);
  return {
    stop: () => clearInterval(timer),
  };
}
