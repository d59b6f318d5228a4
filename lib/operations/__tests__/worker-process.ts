// The crash tests' worker (migration-worker.ts) as a process of its own, for
// the soak and the freeze benchmark: started, ready, and SIGKILLed for real.
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { spawnStackChild, waitForLine } from "../../../local/child-process";

export interface WorkerProcessOptions {
  databaseUrl: string;
  dynamoDbUrl: string;
  routingTable: string;
  backupDir?: string;
  workerId: string;
  /** Its lease (default 4 s); the lease while a step holds a freeze is the smaller of 3 s and this. */
  leaseMs?: number;
  /** It SIGKILLs itself the `occurrence`-th time a step reaches this fault point ("cutOver:start", …). */
  crashAt?: { point: string; occurrence?: number };
}

/** Starts the worker and resolves once it polls for operations. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<ChildProcess> {
  const child = spawnStackChild(
    ["--conditions=react-server", "--import", "tsx", path.resolve(import.meta.dirname, "migration-worker.ts")],
    {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      FIXTURE_DYNAMODB_URL: options.dynamoDbUrl,
      FIXTURE_ROUTING_TABLE: options.routingTable,
      FIXTURE_WORKER_ID: options.workerId,
      FIXTURE_LEASE_MS: String(options.leaseMs ?? 4_000),
      BACKUP_STORE: options.backupDir,
      CRASH_AT: options.crashAt?.point,
      CRASH_AFTER: options.crashAt ? String(options.crashAt.occurrence ?? 1) : undefined,
    },
  );
  child.stderr?.pipe(process.stderr);
  await waitForLine(child, (line) => line.startsWith("worker ready") || undefined, 60_000, `worker ${options.workerId}`);
  return child;
}

/** SIGKILLs the worker (if it is still alive) and resolves once it has exited. */
export function killWorkerProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
