// What an operation kind is: named steps run in order, each idempotent, each
// checkpointed by the engine when it returns. A step's DynamoDB effects must be
// safe to repeat (a worker can die after the effect and before the checkpoint);
// its catalog effects go in `catalog`, which runs in the checkpoint's own
// transaction, so they are applied exactly once.
import type { z } from "zod";
import type { Prisma } from "../generated/prisma/client.ts";
import type { OperationDeps } from "./deps";

export type Tx = Prisma.TransactionClient;
export type JsonObject = { [key: string]: Prisma.InputJsonValue | null };

export interface StepRecord {
  name: string;
  label: string;
  status: "pending" | "running" | "done" | "failed";
  /** Once this step has started, the operation has changed the tenant and can no longer be cancelled. */
  changesTenant: boolean;
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

export interface StepContext<P> {
  operation: OperationRef;
  parameters: P;
  /** Earlier steps' outputs, by step name. */
  outputs: Record<string, JsonObject | undefined>;
  deps: OperationDeps;
  /** Aborted when the worker loses its lease or stops; long steps pass it on and check it. */
  signal: AbortSignal;
  /** Records progress within the step (written at most every few hundred ms). */
  progress(fraction: number, detail?: string): Promise<void>;
}

export interface StepOutcome {
  output?: JsonObject;
  detail?: string;
  /** Catalog changes, applied in the checkpoint's transaction (exactly once). */
  catalog?: (tx: Tx) => Promise<void>;
}

export interface StepDefinition<P> {
  name: string;
  label: string;
  changesTenant: boolean;
  run(ctx: StepContext<P>): Promise<StepOutcome>;
}

export interface CompensationContext<P> {
  operation: OperationRef;
  parameters: P;
  outputs: Record<string, JsonObject | undefined>;
  deps: OperationDeps;
  signal: AbortSignal;
  /** Why the operation is failing. */
  error: string;
}

export interface OperationDefinition<P = unknown> {
  kind: string;
  /** Parameters as stored on the operation; re-validated before every run. */
  parameters: z.ZodType<P>;
  steps: StepDefinition<P>[];
  /** When the steps depend on the parameters (e.g. a restore's dry run stops after the comparison); default `steps`. */
  stepsFor?: (parameters: P) => StepDefinition<P>[];
  /** Catalog changes when the operation is cancelled before it changed the tenant. */
  onCancel?: (tx: Tx, parameters: P) => Promise<void>;
  /**
   * Undoes what the steps did when the operation fails (a step failed, or its
   * workers kept dying). It runs before the failure is recorded, again after a
   * worker dies while running it, so it must be idempotent. An operation with
   * a compensation starts over from its first step when retried.
   */
  compensate?: (ctx: CompensationContext<P>) => Promise<Pick<StepOutcome, "detail" | "catalog">>;
  /** A one-line summary for lists and the audit log. */
  describe(parameters: P): string;
}

/** Thrown by a step for a failure the operator must act on; the message is shown as is. */
export class StepFailure extends Error {
  override name = "StepFailure";
}

/** The steps an operation with these parameters runs. */
export function stepsOf<P>(definition: OperationDefinition<P>, parameters: P): StepDefinition<P>[] {
  return definition.stepsFor?.(parameters) ?? definition.steps;
}

export function initialSteps(definition: OperationDefinition<unknown>, parameters: unknown): StepRecord[] {
  return stepsOf(definition, parameters).map((step) => ({
    name: step.name,
    label: step.label,
    status: "pending",
    changesTenant: step.changesTenant,
  }));
}

/** An operation can be cancelled until a step that changes the tenant has started. */
export function isCancellable(status: string, steps: readonly StepRecord[]): boolean {
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
