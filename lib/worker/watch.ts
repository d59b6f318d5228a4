// The fleet watch as each worker runs it: the watcher (lib/fleet-watch) with
// what follows an evaluation (proposals for findings) and what runs every tick
// (alerts and their retries).
import type { Config } from "../config/config";
import { startWatcher, watcherSettings } from "../fleet-watch/watcher";
import type { OperationDeps } from "../operations/deps";

export function startFleetWatch(deps: OperationDeps, settings: Config, workerId: string, log: (line: string) => void): { stop(): void } {
  if (settings.WATCH !== "on") return { stop: () => undefined };
  return startWatcher({ db: deps.db, metrics: deps.metrics, now: deps.now }, watcherSettings(settings), workerId, log);
}
