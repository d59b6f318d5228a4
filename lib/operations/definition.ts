// What an operation kind is: named steps run in order, each idempotent, each
// checkpointed by the engine when it returns. A step's DynamoDB effects must be
// safe to repeat (a worker can die after the effect and before the checkpoint);
// its catalog effects go in `catalog`, which runs in the checkpoint's own
// transaction, so they are applied exactly once.
//
// A step that records an output for later steps declares its schema, and its
// `run` must return that type; a later step reads it with `ctx.output(step)`,
// which validates what was recorded (in this run, or by a worker that died).
import type { KeyScheme } from "../storage/key-scheme";
import type { z } from "zod";
import type { Prisma } from "../generated/prisma/client.ts";
import type { OperationDeps } from "./deps";
import type { Permission } from "../auth/permissions";

export type Tx = Prisma.TransactionClient;
/** JSON as it is stored in an Operation row (no Date, Map or class instance). */
type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export type JsonObject = { readonly [key: string]: JsonValue | undefined };

export interface StepRecord {
  name: string;
  label: string;
  /** "waiting": the step asked to run again later (the operation's runAfter); no worker holds it meanwhile. */
  status: "pending" | "running" | "waiting" | "done" | "failed";
  /** Once this step has started, the operation has changed the tenant and can no longer be cancelled. */
  changesTenant: boolean;
  /** While this step waits, the operation can be cancelled all the same: the definition's undoOnCancel undoes what it did. */
  cancellableWhileWaiting?: boolean;
  /** A cancel requested while the step waited: the next worker undoes the operation and records it cancelled. */
  cancelRequest?: { byId: string; byEmail: string; at: string };
  startedAt?: string;
  finishedAt?: string;
  /** 0..1 within the step. */
  progress?: number;
  detail?: string;
  output?: JsonObject;
}

export interface OperationRef {
  id: string;
  kind: string;
  tenantId: string | null;
  requestedById: string;
  attempts: number;
}

/**
 * A step's output as its readers know it: the step's name and the schema of
 * what it records. A step definition that records an output is one; a reader
 * that needs part of it (shared steps, pages) may declare its own with `stepOutput`.
 */
export interface StepOutput<O> {
  readonly name: string;
  readonly output: z.ZodType<O>;
}

export function stepOutput<O>(name: string, output: z.ZodType<O>): StepOutput<O> {
  return { name, output };
}

/** Earlier steps' outputs, each validated against its schema when read. */
export interface RecordedOutputs {
  /** What `step` recorded; throws when it has recorded nothing (it has not run) or the record does not match its schema. */
  output<O>(step: StepOutput<O>): O;
  /** What `step` recorded, or undefined when it has recorded nothing (yet); throws when the record does not match its schema. */
  outputIfAny<O>(step: StepOutput<O>): O | undefined;
}

export interface StepContext<P> extends RecordedOutputs {
  operation: OperationRef;
  parameters: P;
  deps: OperationDeps;
  /** Aborted when the worker loses its lease or stops; long steps pass it on and check it. */
  signal: AbortSignal;
  /** Records progress within the step (written at most every few hundred ms). */
  progress(fraction: number, detail?: string): Promise<void>;
  /**
   * Resolves at once when `at` has passed; otherwise ends this run of the step: the engine marks it waiting (with
   * `detail`), hands the operation back without counting a claim, and a worker runs the step again from its start
   * once `at` has passed. Call it before the step's effects, or make them safe to repeat.
   */
  waitUntil(at: Date, detail?: string): Promise<void>;
}

export interface StepEffects {
  detail?: string;
  /** Catalog changes, applied in the checkpoint's transaction (exactly once). */
  catalog?: (tx: Tx) => Promise<void>;
}

/** What a step's `run` returns: its output when it declares one, none otherwise. */
type StepOutcome<O extends JsonObject | undefined = undefined> = StepEffects &
  ([O] extends [undefined] ? { output?: undefined } : { output: O });

interface StepRun<P, O extends JsonObject | undefined> {
  name: string;
  label: string;
  changesTenant: boolean;
  /**
   * The tenant's writes are frozen while this step runs (or may be, from its
   * first effect on): the worker holds a short lease, so a worker's death
   * lengthens the freeze by seconds, not by the whole lease.
   */
  holdsFreeze?: boolean;
  /** While it waits (ctx.waitUntil), the operation may be cancelled; the definition's undoOnCancel then undoes it. */
  cancellableWhileWaiting?: boolean;
  run(ctx: StepContext<P>): Promise<StepOutcome<O>>;
}

/** A step; one that records an output declares its schema (`output`), and its `run` returns that type. */
export type StepDefinition<P, O extends JsonObject | undefined = undefined> = StepRun<P, O> &
  ([O] extends [undefined] ? { output?: undefined } : { output: z.ZodType<O> });

/** Any step of an operation, as the engine runs it. */
export type OperationStep<P> = StepDefinition<P> | StepDefinition<P, JsonObject>;

/** A step that records an output, its type taken from its schema (and its parameters' from where it is used, or from `run`'s context). */
export function defineStep<P, O extends JsonObject>(step: StepRun<P, NoInfer<O>> & { output: z.ZodType<O> }): StepDefinition<P, O> {
  return step as StepDefinition<P, O>;
}

export interface CompensationContext<P> extends RecordedOutputs {
  operation: OperationRef;
  parameters: P;
  deps: OperationDeps;
  signal: AbortSignal;
  /** Why the operation is failing. */
  error: string;
}

/**
 * A copy of a tenant's items an operation left outside where the tenant lives,
 * or removed: what the orphan check (lib/fleet-checks/orphans.ts) reads
 * instead of knowing each kind.
 */
export interface DataCopy {
  /** Whose items, keyed how (absent: the default scheme); null for a whole table the operation removed (a dropped table). */
  tenant: { tenantId: string; keyPrefix: string; keyScheme?: KeyScheme } | null;
  table: { storageInstanceId: string | null; tableName: string; region: string };
  /** `holds`: the tenant's items may be there after the operation; `removed`: it deleted them (or the table). */
  effect: "holds" | "removed";
  /** Kept on purpose until then (epoch ms), e.g. a migration's source copy within its rollback window: not an orphan before. */
  keptUntil?: number;
  /** Why it is kept until then, e.g. "the migration's rollback window". */
  keptFor?: string;
  /** The table was made for this copy alone (a restore's side table): cleaning up drops the table. */
  ownTable?: boolean;
  /** For the report, e.g. "source copy of migration cm…". */
  what: string;
}

/** An ended operation as its row records it, for `copies`. */
export interface RecordedOperation<P> extends RecordedOutputs {
  id: string;
  status: string;
  parameters: P;
  steps: readonly StepRecord[];
}

export interface OperationDefinition<P = unknown> {
  kind: string;
  /** Parameters as stored on the operation; re-validated before every run. */
  parameters: z.ZodType<P>;
  steps: OperationStep<P>[];
  /** When the steps depend on the parameters (e.g. a restore's dry run stops after the comparison); default `steps`. */
  stepsFor?: (parameters: P) => OperationStep<P>[];
  /** Catalog changes when the operation is cancelled before it changed the tenant (or rejected when it needs an approval). */
  onCancel?: (tx: Tx, parameters: P) => Promise<void>;
  /**
   * Requested operations wait (status awaiting_approval, holding the tenant) until someone holding this permission,
   * other than the requester, approves them (queueOperation → approveOperation) or rejects them.
   */
  approval?: { permission: Permission };
  /**
   * Undoes what the steps did when the operation is cancelled while it waits in a step marked cancellableWhileWaiting
   * (an offboarding's grace period: the tenant is resumed). A worker runs it; it must be safe to repeat.
   */
  undoOnCancel?: (ctx: CompensationContext<P>) => Promise<StepEffects>;
  /**
   * Undoes what the steps did when the operation fails (a step failed, or its
   * workers kept dying) before its point of no return. It runs before the
   * failure is recorded, again after a worker dies while running it, so it
   * must be idempotent. An operation with a compensation starts over from its
   * first step when retried after one.
   */
  compensate?: (ctx: CompensationContext<P>) => Promise<StepEffects>;
  /**
   * The step from whose start on the operation only rolls forward (a restore's
   * unfreeze, a migration's cut-over: the tenant may already be writing where
   * it now lives, and undoing would overwrite what it wrote). A failure there
   * or later is never compensated: the operation stops as needs_attention and
   * an operator's retry resumes the remaining steps, which are idempotent.
   */
  pointOfNoReturn?: string;
  /**
   * The copies of tenant data this operation, once ended, may have left
   * outside the tenant's placement (a migration's source and target copies, a
   * restore's side table) or removed (a clean-up): the orphan check's
   * candidates, confirmed there by reading the tenant's partitions.
   */
  copies?: (operation: RecordedOperation<P>) => DataCopy[];
  /**
   * What the operation touches beyond its tenant and instance columns, as audit targets ("instance:pool-1",
   * "plan:basic"), as the catalog stands now: read when it is queued and again for each later audit entry, and
   * added to what the first entry recorded (so a migration's entries carry its source and its target).
   */
  targets?: (db: Tx, parameters: P) => Promise<string[]>;
  /** A one-line summary for lists and the audit log. */
  describe(parameters: P): string;
}

/** Thrown by a step for a failure the operator must act on; the message is shown as is. */
export class StepFailure extends Error {
  override name = "StepFailure";
}

/** The steps an operation with these parameters runs. */
export function stepsOf<P>(definition: OperationDefinition<P>, parameters: P): OperationStep<P>[] {
  return definition.stepsFor?.(parameters) ?? definition.steps;
}

export function initialSteps(definition: OperationDefinition<unknown>, parameters: unknown): StepRecord[] {
  return stepsOf(definition, parameters).map((step) => ({
    name: step.name,
    label: step.label,
    status: "pending",
    changesTenant: step.changesTenant,
    ...(step.cancellableWhileWaiting ? { cancellableWhileWaiting: true } : {}),
  }));
}

/** Whether the operation has started its point-of-no-return step: from then on it is never undone, only finished. */
export function pastPointOfNoReturn(
  definition: Pick<OperationDefinition<never>, "pointOfNoReturn">,
  steps: readonly StepRecord[],
): boolean {
  const point = definition.pointOfNoReturn;
  return point !== undefined && steps.some((step) => step.name === point && step.status !== "pending");
}

/** The step the operation waits in, where it may be cancelled meanwhile (and is undone); undefined otherwise. */
export function cancellableWait(status: string, steps: readonly StepRecord[]): StepRecord | undefined {
  if (status !== "queued") return undefined;
  return steps.find((s) => s.status === "waiting" && s.cancellableWhileWaiting === true && !s.cancelRequest);
}

/**
 * An operation can be cancelled while it awaits approval, until a step that changes the tenant has started, and
 * while it waits in a step marked cancellableWhileWaiting (then it is undone).
 */
export function isCancellable(status: string, steps: readonly StepRecord[]): boolean {
  if (status === "awaiting_approval") return true;
  if (cancellableWait(status, steps)) return true;
  return ["queued", "running", "failed"].includes(status) && !steps.some((s) => s.changesTenant && s.status !== "pending");
}

/** Overall progress: finished steps plus the running step's fraction, over all steps. */
export function overallProgress(steps: readonly StepRecord[]): number {
  if (steps.length === 0) return 0;
  const done = steps.filter((s) => s.status === "done").length;
  const running = steps.find((s) => s.status === "running");
  return Math.min(1, (done + (running?.progress ?? 0)) / steps.length);
}

export function parseSteps(raw: unknown): StepRecord[] {
  return Array.isArray(raw) ? (raw as StepRecord[]) : [];
}

/** Reads outputs by step name from `outputs` as it is at each read (the runner adds each step's output as it finishes). */
export function outputsReader(outputs: Readonly<Record<string, JsonObject | undefined>>): RecordedOutputs {
  const outputIfAny = <O>(step: StepOutput<O>): O | undefined => {
    const recorded = outputs[step.name];
    if (recorded === undefined) return undefined;
    const parsed = step.output.safeParse(recorded);
    if (!parsed.success)
      throw new Error(
        `step ${step.name}'s recorded output is not as expected: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(output)"}: ${i.message}`).join("; ")}`,
      );
    return parsed.data;
  };
  return {
    outputIfAny,
    output(step) {
      const value = outputIfAny(step);
      if (value === undefined) throw new Error(`step ${step.name} has recorded no output`);
      return value;
    },
  };
}

/** An operation's outputs as its steps recorded them (another operation's, e.g. the migration a rollback follows). */
export function recordedOutputs(steps: readonly StepRecord[]): RecordedOutputs {
  return outputsReader(Object.fromEntries(steps.map((s) => [s.name, s.output])));
}

/** For pages and reports: what `step` recorded, or undefined when it recorded nothing or something that does not match. */
export function findOutput<O>(steps: readonly StepRecord[], step: StepOutput<O>): O | undefined {
  const parsed = step.output.safeParse(steps.find((s) => s.name === step.name)?.output);
  return parsed.success ? parsed.data : undefined;
}
