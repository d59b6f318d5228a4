// An operation as the browser sees it (plain JSON), and what the UI derives from it.
import type { OperationKind, OperationStatus } from "../generated/prisma/enums.ts";
import type { StepRecord } from "./definition";

export interface OperationView {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  tenantId: string | null;
  storageInstanceId: string | null;
  progress: number;
  currentStep: string | null;
  steps: StepRecord[];
  parameters: Record<string, unknown>;
  error: string | null;
  attempts: number;
  leaseOwner: string | null;
  requestedBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  cancellable: boolean;
  /** The worker claims it no earlier than this (a step waiting, e.g. a grace period); null: at once. */
  runAfter: string | null;
  /** Who approved it and when, for kinds that need an approval (status awaiting_approval until then). */
  approvedBy: string | null;
  approvedAt: string | null;
  /** Who asked to cancel it while it waited; it is being undone (status cancelled once done). */
  cancelRequestedBy: string | null;
  /** What the operation produced as a whole (an offboarding's deletion certificate). */
  result: unknown;
  /** The database's clock when read, so ETAs do not depend on the browser's clock. */
  readAt: string;
}

/** Seconds left in a running step, from its start and progress so far; null until there is something to go on. */
export function stepEtaSeconds(step: Pick<StepRecord, "startedAt" | "progress" | "status">, nowMs: number): number | null {
  if (step.status !== "running" || !step.startedAt || !step.progress || step.progress <= 0.02) return null;
  const elapsed = (nowMs - Date.parse(step.startedAt)) / 1000;
  if (!(elapsed > 0)) return null;
  return Math.max(0, (elapsed * (1 - step.progress)) / step.progress);
}
