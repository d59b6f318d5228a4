// The fleet watch as each worker runs it: the watcher (lib/fleet-watch) and
// what follows an evaluation this worker made (judging the outcome of fixes,
// proposals for the open findings), and what runs every tick (alerts and their
// retries, safe in several workers at once).
import type { Config } from "../config/config";
import { alertDeps } from "../fleet-watch/alerts/deliver";
import { alertSettings } from "../fleet-watch/alerts/settings";
import { runAlerts } from "../fleet-watch/alerts/tick";
import { recordOutcomes } from "../fleet-watch/outcome";
import { syncProposalsAfterEvaluation } from "../fleet-watch/proposals";
import { startWatcher, watcherSettings } from "../fleet-watch/watcher";
import type { OperationDeps } from "../operations/deps";
import type { InsightsSource } from "../fleet-watch/evaluate";
import { readInsights } from "../metrics/insights";
import { metricsNamespace } from "../metrics/namespace";
import { MetricsReader } from "../metrics/reader";

export function startFleetWatch(deps: OperationDeps, settings: Config, workerId: string, log: (line: string) => void): { stop(): void } {
  if (settings.WATCH !== "on") return { stop: () => undefined };
  const watch = watcherSettings(settings);
  const alerts = alertDeps(alertSettings(settings));
  // A worker's metrics source is the console's reader (lib/operations/environment.ts); Metrics Insights goes through its client.
  if (!(deps.metrics instanceof MetricsReader)) {
    log("fleet watch off: the worker has no CloudWatch reader");
    return { stop: () => undefined };
  }
  const reader = deps.metrics;
  const insights: InsightsSource = (spec, range, periodSeconds) => readInsights(reader, metricsNamespace(), spec, range, periodSeconds);
  return startWatcher({ db: deps.db, metrics: deps.metrics, insights, now: deps.now }, watch, workerId, log, {
    afterEvaluation: async () => {
      const judged = await recordOutcomes(deps.db, deps.metrics, deps.now(), watch.outcomeAfterMs, watch.periodSeconds);
      if (judged.length) log(`fleet watch: judged the outcome of ${judged.length} fix(es)`);
      const proposals = await syncProposalsAfterEvaluation(deps.db, undefined, {
        rollbackWindowMs: Math.round(settings.MIGRATION_ROLLBACK_WINDOW_HOURS * 3_600_000),
      });
      if (proposals.created.length || proposals.withdrawn.length)
        log(`fleet watch: ${proposals.created.length} remediation(s) proposed, ${proposals.withdrawn.length} withdrawn`);
    },
    everyTick: async () => {
      for (const line of (await runAlerts(deps.db, alerts, deps.now())).lines) log(`alerts: ${line}`);
    },
  });
}
