// Runs operations from the Operation table, which is the durable queue: a
// worker claims one with FOR UPDATE SKIP LOCKED and a lease, renews the lease
// while it works, and checkpoints every step. A worker that dies (SIGKILL)
// stops renewing; when the lease expires the next claim picks the operation
// up again and resumes after its last completed step. Every write a worker
// makes is conditional on still holding the lease, so a worker that lost it
// can never overwrite its successor's progress.
//
// A worker's death is not the operation's failure: `attempts` counts claims
// since the last completed step, and only a step that keeps killing its
// workers stops the operation. Before its point of no return a failure is
// compensated (undone); from it on, never: the operation stops as
// needs_attention and an operator's retry finishes it. While a step holds the
// tenant's writes frozen, the lease is short, so a death adds seconds to the
// freeze rather than the whole lease.
//
// A step may wait (ctx.waitUntil: an offboarding's grace period): the
// operation goes back to the queue with runAfter set, no worker holds it, and
// the claim skips it until then; the step then runs again from its start. A
// cancel requested while it waits in a step marked cancellableWhileWaiting is
// carried out by the next worker: the definition's undoOnCancel, then
// cancelled. Operations that need an approval are never claimed before it.
import { setMaxListeners } from "node:events";
import { auditEntry } from "../audit/record";
import type { SignedInUser } from "../auth/action-context";
import type { Operation } from "../generated/prisma/client.ts";
import type { OperationDeps } from "./deps";
import {
  initialSteps,
  outputsReader,
  overallProgress,
  pastPointOfNoReturn,
  stepsOf,
  parseSteps,
  StepFailure,
  type JsonObject,
  type OperationDefinition,
  type OperationRef,
  type RecordedOutputs,
  type StepRecord,
  type Tx,
} from "./definition";
import { kindLabels } from "./labels";
import { operationTargets } from "./audit-targets";

export interface RunnerOptions {
  workerId: string;
  /** A worker that has not renewed its lease for this long is presumed dead. */
  leaseMs: number;
  /** The lease while a step holds the tenant's writes frozen: how long a dead worker can extend a freeze. */
  frozenLeaseMs: number;
  /** Claims of one step (each a worker that took it and vanished) before the operation stops. */
  maxAttempts: number;
}

export type RunOutcome = "succeeded" | "failed" | "needs_attention" | "lost" | "stopped" | "waiting" | "cancelled";

class LeaseLost extends Error {
  override name = "LeaseLost";
}

class Stopped extends Error {
  override name = "Stopped";
}

/** Thrown by ctx.waitUntil: the step runs again once `at` has passed. */
class Waiting extends Error {
  override name = "Waiting";
  constructor(
    readonly at: Date,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** How long a worker waits before trying again to undo an operation whose cancel it could not carry out. */
const cancelRetryMs = 60_000;

const progressWriteMs = 400;

export class OperationRunner {
  constructor(
    private readonly deps: OperationDeps,
    private readonly definitions: Record<string, OperationDefinition<unknown>>,
    private readonly options: RunnerOptions,
  ) {}

  /** Claims a runnable operation: one whose worker died (its lease expired; it may hold a freeze) first, else the oldest queued. */
  async claim(): Promise<string | null> {
    const rows = await this.deps.db.$queryRaw<{ id: string }[]>`
      UPDATE "Operation" AS o
      SET status = 'running',
          "leaseOwner" = ${this.options.workerId},
          "leaseExpiresAt" = now() + (${this.options.leaseMs}::int * interval '1 millisecond'),
          attempts = o.attempts + 1,
          "startedAt" = COALESCE(o."startedAt", now()),
          "updatedAt" = now()
      WHERE o.id = (
        SELECT id FROM "Operation"
        WHERE (status = 'queued' AND ("runAfter" IS NULL OR "runAfter" <= now())) OR (status = 'running' AND "leaseExpiresAt" < now())
        ORDER BY (status = 'running') DESC, "createdAt"
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING o.id`;
    return rows[0]?.id ?? null;
  }

  private async renewLease(id: string, leaseMs: number): Promise<boolean> {
    const renewed = await this.deps.db.$executeRaw`
      UPDATE "Operation"
      SET "leaseExpiresAt" = now() + (${leaseMs}::int * interval '1 millisecond')
      WHERE id = ${id} AND "leaseOwner" = ${this.options.workerId} AND status = 'running'`;
    return renewed > 0;
  }

  /** Hands the operation back at once (a graceful stop, not a death: the claim it cost is given back), so the next worker need not wait. */
  private async releaseLease(id: string): Promise<void> {
    await this.deps.db.$executeRaw`
      UPDATE "Operation"
      SET "leaseOwner" = NULL, "leaseExpiresAt" = to_timestamp(0), attempts = GREATEST(attempts - 1, 0)
      WHERE id = ${id} AND "leaseOwner" = ${this.options.workerId} AND status = 'running'`;
  }

  private async write(tx: Tx | OperationDeps["db"], id: string, steps: StepRecord[], data: Record<string, unknown> = {}): Promise<void> {
    const running = steps.find((s) => s.status === "running" || s.status === "waiting");
    const updated = await tx.operation.updateMany({
      where: { id, leaseOwner: this.options.workerId, status: "running" },
      data: { steps: steps as unknown as JsonObject[], currentStep: running?.name ?? null, progress: overallProgress(steps), ...data },
    });
    if (updated.count === 0) throw new LeaseLost(`operation ${id}: lease lost (another worker took over, or it was cancelled)`);
  }

  /** Runs a claimed operation to its end, or until the lease is lost or `stop` fires. */
  async run(id: string, stop: AbortSignal): Promise<RunOutcome> {
    const { db } = this.deps;
    const operation = await db.operation.findUnique({ where: { id } });
    if (!operation || operation.leaseOwner !== this.options.workerId) return "lost";
    const requester = await db.user.findUnique({
      where: { id: operation.requestedById },
      select: { id: true, email: true, name: true, role: true },
    });
    const definition = this.definitions[operation.kind];
    let steps = parseSteps(operation.steps);

    if (!definition) return this.fail(operation, steps, requester, `no worker code for operation kind "${operation.kind}"`);
    const parsed = definition.parameters.safeParse(operation.parameters);
    if (!parsed.success)
      return this.fail(
        operation,
        steps,
        requester,
        `invalid parameters: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    const stepDefinitions = stepsOf(definition, parsed.data);
    if (steps.length !== stepDefinitions.length) steps = initialSteps(definition, parsed.data);

    const controller = new AbortController();
    // Every DynamoDB call of a step listens on this signal; a copy has dozens in flight.
    setMaxListeners(0, controller.signal);
    const onStop = () => controller.abort(new Stopped("worker stopping"));
    stop.addEventListener("abort", onStop);
    let heartbeat: NodeJS.Timeout | undefined;
    let heldLeaseMs = this.options.leaseMs;
    const renew = () =>
      this.renewLease(id, heldLeaseMs).then(
        (held) => held || controller.abort(new LeaseLost(`operation ${id}: lease lost`)),
        () => undefined, // the database is unreachable: keep trying; the next conditional write tells
      );
    /** Renews the lease for `leaseMs` from now, then every third of it. */
    const holdLease = async (leaseMs: number) => {
      if (heartbeat && leaseMs === heldLeaseMs) return;
      heldLeaseMs = leaseMs;
      clearInterval(heartbeat);
      heartbeat = setInterval(() => void renew(), Math.max(200, Math.floor(leaseMs / 3)));
      await renew();
    };
    await holdLease(this.options.leaseMs);

    // Earlier steps' outputs by name: as recorded when the operation was claimed, then each step's as it finishes.
    const outputs: Record<string, JsonObject | undefined> = Object.fromEntries(steps.map((s) => [s.name, s.output]));
    const recorded = outputsReader(outputs);
    const ref = {
      id,
      kind: operation.kind,
      tenantId: operation.tenantId,
      requestedById: operation.requestedById,
      attempts: operation.attempts,
    };
    const undo: Undo = { definition, parameters: parsed.data, recorded, ref, signal: controller.signal };
    let index = -1;
    /** Claims since the last completed step, as recorded (each checkpoint makes it 1). */
    let attempts = operation.attempts;
    try {
      // Cancelled while it waited: undo it (again, if a worker died undoing it) and record it cancelled.
      const cancelled = steps.find((s) => s.cancelRequest);
      if (cancelled) return await this.cancelAsRequested(operation, steps, requester, cancelled, undo);
      // A worker died while undoing a failed operation: finish undoing it.
      if (operation.error) return await this.fail(operation, steps, requester, operation.error, undo);
      if (definition.approval && !operation.approvedById)
        return await this.fail(operation, steps, requester, "it was never approved (it needs an approval before it runs)");
      if (operation.attempts > this.options.maxAttempts) {
        const interrupted = steps.findIndex((s) => s.status === "running");
        if (interrupted >= 0) steps = replace(steps, interrupted, { status: "failed" });
        const where = interrupted >= 0 ? ` in step "${steps[interrupted]!.label}"` : "";
        return await this.stop(
          operation,
          steps,
          requester,
          `stopped after ${this.options.maxAttempts} claims${where}: the worker running it died each time (see the workers' logs)`,
          undo,
        );
      }
      for (index = 0; index < stepDefinitions.length; index++) {
        if (steps[index]!.status === "done") continue;
        controller.signal.throwIfAborted();
        const step = stepDefinitions[index]!;
        const stepDeps = scopedFaults(this.deps, step.name);
        await holdLease(step.holdsFreeze ? this.options.frozenLeaseMs : this.options.leaseMs);
        steps = replace(steps, index, {
          status: "running",
          startedAt: steps[index]!.startedAt ?? new Date().toISOString(),
          progress: 0,
          detail: undefined,
        });
        await this.write(db, id, steps);
        await stepDeps.faultPoint?.("start");

        let lastProgressWrite = 0;
        const outcome = await step.run({
          operation: ref,
          parameters: parsed.data,
          ...recorded,
          deps: stepDeps,
          signal: controller.signal,
          waitUntil: async (at, detail) => {
            if (at.getTime() <= this.deps.now()) return;
            throw new Waiting(at, detail ?? `Waiting until ${at.toISOString()}`);
          },
          progress: async (fraction, detail) => {
            steps = replace(steps, index, { progress: Math.max(0, Math.min(1, fraction)), detail });
            if (Date.now() - lastProgressWrite < progressWriteMs) return;
            lastProgressWrite = Date.now();
            await this.write(db, id, steps);
          },
        });
        controller.signal.throwIfAborted();
        await stepDeps.faultPoint?.("end");
        outputs[step.name] = outcome.output;
        steps = replace(steps, index, {
          status: "done",
          finishedAt: new Date().toISOString(),
          progress: 1,
          detail: outcome.detail ?? steps[index]!.detail,
          output: outcome.output,
        });
        const last = index === stepDefinitions.length - 1;
        await db.$transaction(async (tx) => {
          // A completed step is progress: this claim is now the first attempt at the next step, whatever earlier claims died.
          await this.write(
            tx,
            id,
            steps,
            last
              ? {
                  status: "succeeded",
                  finishedAt: new Date(),
                  activeTenantId: null,
                  leaseOwner: null,
                  leaseExpiresAt: null,
                  progress: 1,
                  attempts: 1,
                }
              : { attempts: 1 },
          );
          attempts = 1;
          await outcome.catalog?.(tx);
          if (last) {
            await tx.auditEntry.create({
              data: await outcomeEntry(
                tx,
                definition,
                operation,
                requester,
                "succeeded",
                `${kindLabels[operation.kind]} finished: ${definition.describe(parsed.data)}`,
              ),
            });
          }
        });
      }
      return "succeeded";
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      if (reason instanceof Stopped) {
        await this.releaseLease(id).catch(() => undefined);
        return "stopped";
      }
      if (reason instanceof LeaseLost || error instanceof LeaseLost) return "lost";
      if (error instanceof Waiting && !controller.signal.aborted && index >= 0) {
        // Back to the queue until then: no worker holds it, and this claim does not count as an attempt.
        steps = replace(steps, index, { status: "waiting", progress: 0, detail: error.detail });
        try {
          await this.write(db, id, steps, {
            status: "queued",
            runAfter: error.at,
            leaseOwner: null,
            leaseExpiresAt: null,
            attempts: Math.max(0, attempts - 1),
          });
        } catch (lost) {
          if (lost instanceof LeaseLost) return "lost";
          throw lost;
        }
        return "waiting";
      }
      if (index >= 0 && index < steps.length) steps = replace(steps, index, { status: "failed" });
      return this.stop(operation, steps, requester, messageOf(error), undo);
    } finally {
      clearInterval(heartbeat);
      stop.removeEventListener("abort", onStop);
    }
  }

  /**
   * Carries out a cancel requested while the operation waited in a cancellable step: the definition's undo (safe to
   * repeat: a worker that dies here leaves the request for the next), then cancelled, with the undo's catalog changes
   * and the audit entry in one transaction. An undo that fails is tried again a minute later (the cancel was decided).
   */
  private async cancelAsRequested(
    operation: Operation,
    steps: StepRecord[],
    requester: SignedInUser | null,
    step: StepRecord,
    undo: Undo,
  ): Promise<"cancelled" | "waiting" | "lost"> {
    const index = steps.indexOf(step);
    const by = step.cancelRequest!.byEmail;
    const deps = scopedFaults(this.deps, "undoOnCancel");
    let effects: Awaited<ReturnType<NonNullable<OperationDefinition<unknown>["undoOnCancel"]>>> = {};
    try {
      await deps.faultPoint?.("start");
      effects =
        (await undo.definition.undoOnCancel?.({
          operation: undo.ref,
          parameters: undo.parameters,
          ...undo.recorded,
          deps,
          signal: undo.signal,
          error: `cancelled by ${by}`,
        })) ?? {};
      await deps.faultPoint?.("end");
    } catch (error) {
      if (undo.signal.aborted || error instanceof LeaseLost) throw error;
      const retryAt = new Date(this.deps.now() + cancelRetryMs);
      steps = replace(steps, index, {
        detail: `Cancelling (requested by ${by}): undoing failed: ${messageOf(error)}. Trying again at ${retryAt.toISOString()}.`,
      });
      await this.write(this.deps.db, operation.id, steps, {
        status: "queued",
        runAfter: retryAt,
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: 0,
      });
      return "waiting";
    }
    steps = replace(steps, index, {
      status: "pending",
      detail: `Cancelled by ${by} while it waited${effects.detail ? `: ${effects.detail}` : ""}`,
    });
    const definition = this.definitions[operation.kind];
    try {
      await this.deps.db.$transaction(async (tx) => {
        await this.write(tx, operation.id, steps, {
          status: "cancelled",
          finishedAt: new Date(),
          activeTenantId: null,
          leaseOwner: null,
          leaseExpiresAt: null,
          runAfter: null,
        });
        await effects.catalog?.(tx);
        await tx.auditEntry.create({
          data: await outcomeEntry(
            tx,
            definition,
            operation,
            requester,
            "succeeded",
            `cancelled while waiting in "${step.label}" (requested by ${by})${effects.detail ? `: ${effects.detail}` : ""}`.slice(0, 500),
          ),
        });
      });
      return "cancelled";
    } catch (error) {
      if (error instanceof LeaseLost) return "lost";
      throw error;
    }
  }

  /** Ends a run that cannot go on: undone and failed before the point of no return, needs_attention from it on. */
  private stop(operation: Operation, steps: StepRecord[], requester: SignedInUser | null, message: string, undo: Undo) {
    return pastPointOfNoReturn(undo.definition, steps)
      ? this.needsAttention(operation, steps, requester, message)
      : this.fail(operation, steps, requester, message, undo);
  }

  /**
   * Stops an operation past its point of no return without undoing anything:
   * the tenant keeps its active operation (nothing else may start on it) until
   * an operator retries, which resumes the remaining steps.
   */
  private async needsAttention(
    operation: Operation,
    steps: StepRecord[],
    requester: SignedInUser | null,
    message: string,
  ): Promise<"needs_attention" | "lost"> {
    const resumeAt = steps.find((s) => s.status !== "done");
    const text = [
      message,
      `It is past its point of no return, so it was not undone (undoing could overwrite what the tenant wrote since).`,
      resumeAt
        ? `Retry resumes at "${resumeAt.label}"; its steps are safe to run again.`
        : "Every step has completed; retry records the operation as finished.",
    ].join("\n");
    try {
      await this.deps.db.$transaction(async (tx) => {
        await this.write(tx, operation.id, steps, {
          status: "needs_attention",
          error: text.slice(0, 2_000),
          leaseOwner: null,
          leaseExpiresAt: null,
        });
        await tx.auditEntry.create({
          data: await outcomeEntry(
            tx,
            this.definitions[operation.kind],
            operation,
            requester,
            "failed",
            `needs attention: ${text}`.slice(0, 500),
          ),
        });
      });
      return "needs_attention";
    } catch (error) {
      if (error instanceof LeaseLost) return "lost";
      throw error;
    }
  }

  private async fail(
    operation: Operation,
    steps: StepRecord[],
    requester: SignedInUser | null,
    message: string,
    undo?: Undo,
  ): Promise<"failed" | "lost"> {
    let catalog: ((tx: Tx) => Promise<void>) | undefined;
    if (undo?.definition.compensate) {
      // Recorded first (the operation stays running): a worker that dies while undoing resumes undoing.
      await this.write(this.deps.db, operation.id, steps, { error: message.slice(0, 2_000) });
      const deps = scopedFaults(this.deps, "compensate");
      try {
        await deps.faultPoint?.("start");
        const outcome = await undo.definition.compensate({
          operation: undo.ref,
          parameters: undo.parameters,
          ...undo.recorded,
          deps,
          signal: undo.signal,
          error: message,
        });
        await deps.faultPoint?.("end");
        catalog = outcome.catalog;
        if (outcome.detail) message = `${message}\n${outcome.detail}`;
      } catch (error) {
        if (undo.signal.aborted) throw error;
        message = `${message}\nUndoing it failed: ${messageOf(error)}. Retry the operation: it starts over, or fails and undoes again.`;
      }
    }
    try {
      await this.deps.db.$transaction(async (tx) => {
        await this.write(tx, operation.id, steps, {
          status: "failed",
          error: message.slice(0, 2_000),
          finishedAt: new Date(),
          activeTenantId: null,
          leaseOwner: null,
          leaseExpiresAt: null,
        });
        await catalog?.(tx);
        await tx.auditEntry.create({
          data: await outcomeEntry(tx, this.definitions[operation.kind], operation, requester, "failed", message.slice(0, 500)),
        });
      });
      return "failed";
    } catch (error) {
      if (error instanceof LeaseLost) return "lost";
      throw error;
    }
  }
}

interface Undo {
  definition: OperationDefinition<unknown>;
  parameters: unknown;
  recorded: RecordedOutputs;
  ref: OperationRef;
  signal: AbortSignal;
}

/** The audit entry for how an operation ended, in the requester's name, naming everything it touched. */
async function outcomeEntry(
  tx: Tx,
  definition: OperationDefinition<unknown> | undefined,
  operation: Operation,
  requester: SignedInUser | null,
  outcome: "succeeded" | "failed",
  detail: string,
) {
  return auditEntry(requester, {
    action: `operations.${operation.kind}`,
    targetType: operation.tenantId ? "tenant" : "operation",
    targetId: operation.tenantId ?? operation.id,
    parameters: operation.parameters as JsonObject,
    outcome,
    detail,
    operationId: operation.id,
    targets: await operationTargets(tx, definition, operation),
  });
}

/** The deps a step (or an undo) runs with: its fault points named after it ("mid" in step copy is "copy:mid"). */
function scopedFaults(deps: OperationDeps, scope: string): OperationDeps {
  const { faultPoint } = deps;
  return faultPoint ? { ...deps, faultPoint: (point) => faultPoint(`${scope}:${point}`) } : deps;
}

function replace(steps: StepRecord[], index: number, change: Partial<StepRecord>): StepRecord[] {
  return steps.map((step, i) => (i === index ? { ...step, ...change } : step));
}

function messageOf(error: unknown): string {
  if (error instanceof StepFailure) return error.message;
  if (error instanceof Error) return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`.split("\n")[0]!;
  return String(error);
}
