// A worker: a few slots, each claiming and running one operation at a time.
// Any number of workers (processes) can run against one database.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { OperationDeps } from "./deps";
import type { OperationDefinition } from "./definition";
import { OperationRunner } from "./runner";

export interface WorkerOptions {
  deps: OperationDeps;
  definitions: Record<string, OperationDefinition<unknown>>;
  /** Operations run at once by this worker. */
  concurrency?: number;
  /** How often an idle slot looks for work. */
  pollMs?: number;
  leaseMs?: number;
  /** The lease while a step holds a tenant's writes frozen (default the smaller of 3 s and leaseMs). */
  frozenLeaseMs?: number;
  maxAttempts?: number;
  workerId?: string;
  log?: (line: string) => void;
}

export interface RunningWorker {
  workerId: string;
  /** Stops claiming, hands running operations back (their leases released), and resolves when every slot is idle. */
  stop(): Promise<void>;
}

export const defaultLeaseMs = 15_000;
const defaultFrozenLeaseMs = 3_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener("abort", wake, { once: true });
  });
}

export function startWorker(options: WorkerOptions): RunningWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const log = options.log ?? ((line: string) => console.log(line));
  const runner = new OperationRunner(options.deps, options.definitions, {
    workerId,
    leaseMs: options.leaseMs ?? defaultLeaseMs,
    frozenLeaseMs: options.frozenLeaseMs ?? Math.min(defaultFrozenLeaseMs, options.leaseMs ?? defaultLeaseMs),
    maxAttempts: options.maxAttempts ?? 5,
  });
  const stopping = new AbortController();
  const pollMs = options.pollMs ?? 1_000;

  const slot = async () => {
    while (!stopping.signal.aborted) {
      let id: string | null = null;
      try {
        id = await runner.claim();
      } catch (error) {
        log(`worker ${workerId}: cannot claim operations: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      }
      if (!id) {
        await sleep(pollMs, stopping.signal);
        continue;
      }
      const started = Date.now();
      try {
        const outcome = await runner.run(id, stopping.signal);
        log(`worker ${workerId}: operation ${id} ${outcome} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        // The database went away mid-write: the lease will expire and another claim resumes the operation.
        log(`worker ${workerId}: operation ${id} interrupted: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        await sleep(pollMs, stopping.signal);
      }
    }
  };
  const slots = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, slot);
  return {
    workerId,
    async stop() {
      stopping.abort();
      await Promise.all(slots);
    },
  };
}
