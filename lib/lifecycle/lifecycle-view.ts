// What the tenant page's lifecycle panel shows: the tenant's suspension and
// its offboarding, if any, in the phase a person thinks of it (awaiting
// approval, grace period with its end, deleting, done...). The phase is read
// from the operation's row and steps (pure: offboardingPhase); the query reads
// the tenant's latest offboarding.
import type { Db } from "../db/client";
import type { OperationStatus } from "../generated/prisma/enums.ts";
import { isCancellable, parseSteps, type StepRecord } from "../operations/definition";
import type { OperationView } from "../operations/view-model";
import { certificateFormat, certificateHash, type DeletionCertificate } from "./offboarding-certificate";

export interface OffboardingRow {
  id: string;
  status: OperationStatus;
  currentStep: string | null;
  steps: StepRecord[];
  progress: number;
  parameters: Record<string, unknown>;
  requestedById: string;
  requestedByEmail: string;
  createdAt: Date;
  approvedByEmail: string | null;
  approvedAt: Date | null;
  runAfter: Date | null;
  finishedAt: Date | null;
  error: string | null;
  hasCertificate: boolean;
}

export type OffboardingPhase =
  /** Requested; an admin other than the requester approves or rejects it. */
  | { phase: "awaiting_approval" }
  /** Approved, before the grace period: suspending, exporting. */
  | { phase: "preparing"; step: string | null }
  /** Exported; waiting until `endsAt`, cancellable (the tenant is resumed). */
  | { phase: "grace"; endsAt: Date | null; cancelRequested: boolean }
  /** Past the grace period: deleting, verifying, retiring, certifying. */
  | { phase: "deleting"; step: string | null }
  | { phase: "done" }
  /** Cancelled or rejected (before approval: nothing was done). */
  | { phase: "cancelled"; beforeApproval: boolean }
  /** Stopped: failed, or needs an operator past its point of no return (see its page). */
  | { phase: "stopped"; status: "failed" | "needs_attention"; error: string | null };

/** The step an offboarding waits in (its grace period): cancellable while it waits. */
const graceLike = (step: StepRecord) => step.cancellableWhileWaiting === true;

/** The phase of an offboarding operation (pure). */
export function offboardingPhase(row: Pick<OffboardingRow, "status" | "steps" | "currentStep" | "runAfter" | "approvedAt" | "error">) {
  const { status, steps } = row;
  if (status === "awaiting_approval") return { phase: "awaiting_approval" } as const;
  if (status === "succeeded") return { phase: "done" } as const;
  if (status === "cancelled") return { phase: "cancelled", beforeApproval: row.approvedAt === null } as const;
  if (status === "failed" || status === "needs_attention") return { phase: "stopped", status, error: row.error } as const;
  const grace = steps.find(graceLike);
  const graceIndex = grace ? steps.indexOf(grace) : -1;
  if (grace && (grace.status === "waiting" || grace.status === "running"))
    return { phase: "grace", endsAt: row.runAfter, cancelRequested: grace.cancelRequest !== undefined } as const;
  if (grace && grace.status === "done") return { phase: "deleting", step: row.currentStep } as const;
  // Before the grace step (or a definition without one): everything up to the export.
  const started = steps.findIndex((s) => s.status !== "pending");
  if (graceIndex >= 0 && started > graceIndex) return { phase: "deleting", step: row.currentStep } as const;
  return { phase: "preparing", step: row.currentStep } as const;
}

/** The phase of an offboarding as the operation page's view has it (dates as ISO strings). */
export function offboardingPhaseOfView(view: OperationView): OffboardingPhase {
  const date = (value: string | null) => (value ? new Date(value) : null);
  return offboardingPhase({ ...view, runAfter: date(view.runAfter), approvedAt: date(view.approvedAt) });
}

export interface TenantOffboarding extends OffboardingRow {
  phase: OffboardingPhase;
  cancellable: boolean;
  /** When this was read: the grace period's time left is counted from it. */
  readAtMs: number;
}

/** The tenant's latest offboarding (any status), or null when none was ever requested. */
export async function latestOffboarding(db: Db, tenantId: string): Promise<TenantOffboarding | null> {
  const operation = await db.operation.findFirst({
    where: { tenantId, kind: "offboard" },
    orderBy: { createdAt: "desc" },
    include: { requestedBy: { select: { email: true } } },
  });
  if (!operation) return null;
  const steps = parseSteps(operation.steps);
  const row: OffboardingRow = {
    id: operation.id,
    status: operation.status,
    currentStep: operation.currentStep,
    steps,
    progress: operation.progress,
    parameters: (operation.parameters ?? {}) as Record<string, unknown>,
    requestedById: operation.requestedById,
    requestedByEmail: operation.requestedBy.email,
    createdAt: operation.createdAt,
    approvedByEmail: operation.approvedByEmail,
    approvedAt: operation.approvedAt,
    runAfter: operation.runAfter,
    finishedAt: operation.finishedAt,
    error: operation.error,
    hasCertificate: operation.status === "succeeded" && operation.result !== null,
  };
  return { ...row, phase: offboardingPhase(row), cancellable: isCancellable(operation.status, steps), readAtMs: Date.now() };
}

/** An offboarding's deletion certificate as the operation stored it, and whether its own SHA-256 still matches its content. */
export async function offboardingCertificate(
  db: Db,
  operationId: string,
): Promise<{ certificate: DeletionCertificate; hashMatches: boolean } | null> {
  const operation = await db.operation.findUnique({ where: { id: operationId }, select: { kind: true, result: true } });
  const result = operation?.kind === "offboard" ? (operation.result as Partial<DeletionCertificate> | null) : null;
  if (!result || result.format !== certificateFormat) return null;
  const certificate = result as DeletionCertificate;
  return { certificate, hashMatches: certificateHash(certificate) === certificate.sha256 };
}
