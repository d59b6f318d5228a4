// Workers that die in this process, as strictly as a SIGKILL for what matters,
// so a crash test can kill one at a named point (OperationDeps.faultPoint)
// deterministically and in milliseconds rather than with a child process:
//   - at the kill point the worker's lease is taken away and has expired (as
//     after a SIGKILL once the lease runs out): every later conditional write
//     of its runner (progress, checkpoint, failure) is refused, and it stops;
//   - from that moment (once the lease is gone, so no failure it meets can be
//     recorded) every DynamoDB request and backup-store call of that worker
//     fails before it is sent, and its requests in flight are aborted (no SDK
//     retry of them can land later);
//   - the code after the kill point never runs (the point throws), and every
//     other flow of the dead worker stops at its next fault point;
//   - once the dead runner has settled, `onDeath` drops what its process
//     memory held (caches a successor in another process would not have).
// A fresh runner then claims the operation, as another worker would.
import { setMaxListeners } from "node:events";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Db } from "../../db/client";
import type { BackupStore } from "../../storage/backup-store";
import type { OperationDefinition } from "../definition";
import type { OperationDeps } from "../deps";
import { OperationRunner, type RunnerOptions, type RunOutcome } from "../runner";

export class WorkerDied extends Error {
  override name = "WorkerDied";
}

/** Where a worker dies: the `occurrence`-th time (default the first) it reaches `point` ("copy:mid", "cutOver:effect", …). */
export interface KillAt {
  point: string;
  occurrence?: number;
}

/**
 * The kills a crash suite runs on a database: every one on PostgreSQL 15 (production's engine); on PGlite a sample,
 * each step's own points (`mid`, `effect`) and the `end` of a step that has none, but not the runner's `start` of
 * every step nor the `end` of a step with points of its own. Resuming after a death is the runner's logic and the
 * steps' (a claim, a checkpoint, a step run again), the same on either database; what PGlite can differ in is
 * transactions and locking (one connection at a time, every query serialised), which each case of the sample still
 * goes through: a claim, a dying worker's lease taken while its other flows run on, its writes refused, a successor's
 * checkpoints, and every step killed somewhere (a step's effect run again by the next worker).
 */
export function killsOn<K extends KillAt>(database: "pglite" | "postgresql-15", kills: readonly K[]): K[] {
  if (database === "postgresql-15") return [...kills];
  const split = (kill: KillAt) => kill.point.split(":") as [string, string];
  const runnerPoint = (where: string) => where === "start" || where === "end";
  const withOwnPoints = new Set(kills.filter((kill) => !runnerPoint(split(kill)[1])).map((kill) => split(kill)[0]));
  return kills.filter((kill) => {
    const [step, where] = split(kill);
    return where !== "start" && !(where === "end" && withOwnPoints.has(step));
  });
}

export interface Life {
  workerId: string;
  /** What the runner returned; "died" when the worker died (whatever its runner made of it). */
  outcome: RunOutcome | "died";
  /** Every fault point the worker reached, in order. */
  points: string[];
}

export interface CrashHarnessOptions {
  /** The healthy deps every worker starts from (a faultPoint in them still runs, before the kill check). */
  deps: OperationDeps;
  definitions: Record<string, OperationDefinition<unknown>>;
  runner?: Partial<Omit<RunnerOptions, "workerId">>;
  /** What a dead worker's process memory held that a successor must not inherit (e.g. a restore's source cache). */
  onDeath?: (operationId: string) => void;
}

export class CrashHarness {
  private lives = 0;

  constructor(private readonly options: CrashHarnessOptions) {}

  private get db(): Db {
    return this.options.deps.db;
  }

  /**
   * One worker's turn: it claims `operationId` (which must be the runnable one) and runs it until it ends, or
   * dies at `kill`. Throws when a kill was asked for and the worker never reached it.
   */
  async turn(operationId: string, kill?: KillAt): Promise<Life> {
    const workerId = `crash-${++this.lives}${kill ? `-dies-at-${kill.point}` : ""}`;
    const death = new AbortController();
    setMaxListeners(0, death.signal);
    const points: string[] = [];
    let reached = 0;
    let dead = false;
    /** Set as the worker starts dying: its lease is being taken away (other flows of it run on until it is gone). */
    let dying: Promise<never> | null = null;
    const died = (what: string) => new WorkerDied(`worker ${workerId} is dead (${kill?.point}): ${what} refused`);

    const die = (point: string): Promise<never> =>
      (dying ??= (async () => {
        // The moment of death is the lease's: first it is gone and expired (its runner's writes are refused from
        // now on, and the next claim takes the operation), then every request of the worker fails. In the other
        // order, a flow failing on a refused request could still record the failure (and set an undo going) first.
        await this.db.$executeRaw`
          UPDATE "Operation" SET "leaseOwner" = ${`${workerId} (dead)`}, "leaseExpiresAt" = to_timestamp(0)
          WHERE id = ${operationId} AND "leaseOwner" = ${workerId}`;
        dead = true;
        death.abort(died("a request in flight"));
        throw new WorkerDied(`worker ${workerId} killed at ${point}`);
      })());

    const base = this.options.deps;
    const deps: OperationDeps = {
      ...base,
      dynamoDb: (region) => mortalClient(base.dynamoDb(region), () => dead, death.signal, died),
      tenantDynamoDb:
        base.tenantDynamoDb && ((region, tenant) => mortalClient(base.tenantDynamoDb!(region, tenant), () => dead, death.signal, died)),
      backupStore: mortalStore(base.backupStore, () => dead, died),
      faultPoint: async (point) => {
        if (dead) throw died(`fault point ${point}`);
        points.push(point);
        await base.faultPoint?.(point);
        if (kill && point === kill.point && ++reached >= (kill.occurrence ?? 1)) await die(point);
      },
    };
    const runner = new OperationRunner(deps, this.options.definitions, {
      workerId,
      leaseMs: 60_000,
      frozenLeaseMs: 3_000,
      maxAttempts: 3,
      ...this.options.runner,
    });
    const claimed = await runner.claim();
    if (claimed !== operationId) throw new Error(`worker ${workerId} claimed ${claimed ?? "nothing"}, not operation ${operationId}`);
    let outcome: RunOutcome;
    try {
      outcome = await runner.run(claimed, new AbortController().signal);
    } catch (error) {
      if (!dying) throw error;
      outcome = "lost"; // its last write was refused mid-way: what a dead worker's runner may make of its death
    }
    // Another flow of it may have ended the run (its writes refused) while the dying one still waited for the lease.
    if (dying) await (dying as Promise<never>).catch(() => undefined);
    if (dead) {
      this.options.onDeath?.(operationId);
      return { workerId, outcome: "died", points };
    }
    if (kill) throw new Error(`worker ${workerId} never reached ${kill.point} (×${kill.occurrence ?? 1}); it reached ${points.join(", ")}`);
    return { workerId, outcome, points };
  }

  /** Runs the operation to its end: one worker dying at each of `kills` in turn, then healthy ones until it leaves "running". */
  async run(operationId: string, kills: readonly KillAt[] = []): Promise<{ outcome: RunOutcome; lives: Life[] }> {
    const lives: Life[] = [];
    for (const kill of kills) lives.push(await this.turn(operationId, kill));
    for (let turns = 0; turns < 10; turns++) {
      const life = await this.turn(operationId);
      lives.push(life);
      if (life.outcome !== "lost" && life.outcome !== "stopped" && life.outcome !== "died") return { outcome: life.outcome, lives };
    }
    throw new Error(`operation ${operationId} did not end in 10 healthy turns`);
  }
}

/** The client a worker was given, refusing every request once it is dead and aborting those in flight when it dies. */
function mortalClient(
  client: DynamoDBClient,
  isDead: () => boolean,
  death: AbortSignal,
  died: (what: string) => WorkerDied,
): DynamoDBClient {
  const send = (command: { constructor: { name: string } }, options?: { abortSignal?: AbortSignal }) => {
    if (isDead()) return Promise.reject(died(`DynamoDB ${command.constructor.name}`));
    const abortSignal = options?.abortSignal ? AbortSignal.any([options.abortSignal, death]) : death;
    return (client.send as (c: unknown, o: unknown) => Promise<unknown>)(command, { ...options, abortSignal });
  };
  return new Proxy(client, { get: (target, property, receiver) => (property === "send" ? send : Reflect.get(target, property, receiver)) });
}

function mortalStore(store: BackupStore, isDead: () => boolean, died: (what: string) => WorkerDied): BackupStore {
  const guard =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      isDead() ? Promise.reject(died(`backup store ${name}`)) : call(...args);
  return {
    description: store.description,
    put: guard("put", (key, body) => store.put(key, body)),
    get: guard("get", (key) => store.get(key)),
    deletePrefix: guard("deletePrefix", (prefix) => store.deletePrefix(prefix)),
  };
}
