// The fleet watch as each worker runs it: the watcher (lib/fleet-watch) and
// what follows an evaluation this worker made (judging the outcome of fixes,
// proposals for findings), and what runs every tick (alerts and their retries).
import type { Config } from "../config/config";
import { recordOutcomes } from "../fleet-watch/outcome";
import { startWatcher, watcherSettings } from "../fleet-watch/watcher";
import type { OperationDeps } from "../operations/deps";

export function startFleetWatch(deps: OperationDeps, settings: Config, workerId: string, log: (line: string) => void): { stop(): void } {
  if (settings.WATCH !== "on") return { stop: () => undefined };
  const watch = watcherSettings(settings);
  return startWatcher({ db: deps.db, metrics: deps.metrics, now: deps.now }, watch, workerId, log, {
    afterEvaluation: async () => {
      const judged = await recordOutcomes(deps.db, deps.metrics, deps.now(), watch.outcomeAfterMs, watch.periodSeconds);
      if (judged.length) log(`fleet watch: judged the outcome of ${judged.length} fix(es)`);
    },
  });
}
