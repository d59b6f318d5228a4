// The write side of operations as server actions use it: queue one (with its
// audit entry, in one transaction), approve or reject one that needs an
// approval, cancel one, retry one. The worker does the rest (runner.ts).
import { auditEntry } from "../audit/record";
import { ActionRefusal, type SignedInUser } from "../auth/action-context";
import type { Db } from "../db/client";
import type { Operation, OperationKind, Prisma } from "../generated/prisma/client.ts";
import { can } from "../auth/permissions";
import {
  cancellableWait,
  initialSteps,
  isCancellable,
  parseSteps,
  type JsonObject,
  type OperationDefinition,
  type StepRecord,
  type Tx,
} from "./definition";
import { kindLabels, statusLabels } from "./labels";
import { operationTargets } from "./audit-targets";
import { mayActOn, requestPermission } from "./request-permissions";

export interface EnqueueRequest {
  kind: OperationKind;
  tenantId: string | null;
  storageInstanceId?: string | null;
  parameters: JsonObject;
  /** From the form: the same key twice (a double click, a retried request) queues one operation. */
  idempotencyKey: string;
  user: SignedInUser;
  /** The audit log's name for the request, e.g. "tenants.onboard". */
  action: string;
  target: { type: string; id: string | null };
  /** Said in the audit entry after what was queued, e.g. who or what queued it on the user's behalf. */
  note?: string;
}

export interface EnqueueResult {
  operation: Operation;
  /** True when the key had already queued this operation. */
  duplicate: boolean;
}

const scopedKey = (user: SignedInUser, key: string) => `${user.id}:${key}`;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

async function conflictFor(db: Db | Tx, tenantId: string, except?: string): Promise<ActionRefusal | null> {
  const active = await db.operation.findUnique({
    where: { activeTenantId: tenantId },
    include: { requestedBy: { select: { email: true } } },
  });
  if (!active || active.id === except) return null;
  return new ActionRefusal(
    `Tenant ${tenantId} already has an operation in progress: ${kindLabels[active.kind].toLowerCase()} ${active.id} (${statusLabels[active.status].toLowerCase()}, ${Math.round(active.progress * 100)} %), requested by ${active.requestedBy.email}. ${
      active.status === "needs_attention"
        ? "It stopped past its point of no return: retry it on its page to finish it."
        : "Wait for it to finish, or cancel it on the Operations page."
    }`,
  );
}

/**
 * Queues an operation and its audit entry in one transaction. `prepare` adds
 * catalog rows the operation needs from the start (onboarding's tenant row).
 */
export async function enqueueOperation<P>(
  db: Db,
  definition: OperationDefinition<P>,
  request: EnqueueRequest,
  prepare?: (tx: Tx) => Promise<void>,
): Promise<EnqueueResult> {
  const key = scopedKey(request.user, request.idempotencyKey);
  const existing = await db.operation.findUnique({ where: { idempotencyKey: key } });
  if (existing) return { operation: existing, duplicate: true };
  const parameters = definition.parameters.parse(request.parameters);
  try {
    return await db.$transaction(async (tx) => {
      if (request.tenantId) {
        const conflict = await conflictFor(tx, request.tenantId);
        if (conflict) throw conflict;
      }
      await prepare?.(tx);
      const operation = await tx.operation.create({
        data: {
          kind: request.kind,
          // Held for an approval: it keeps the tenant (nothing else starts on it) but no worker claims it yet.
          status: definition.approval ? "awaiting_approval" : "queued",
          tenantId: request.tenantId,
          activeTenantId: request.tenantId,
          storageInstanceId: request.storageInstanceId ?? null,
          parameters: request.parameters,
          steps: initialSteps(definition as OperationDefinition<unknown>, parameters) as unknown as JsonObject[],
          requestedById: request.user.id,
          idempotencyKey: key,
        },
      });
      await tx.auditEntry.create({
        data: auditEntry(request.user, {
          action: request.action,
          targetType: request.target.type,
          targetId: request.target.id,
          parameters: request.parameters,
          outcome: "succeeded",
          detail: `${definition.approval ? "requested" : "queued"} ${kindLabels[request.kind].toLowerCase()}: ${definition.describe(parameters)}${request.note ? ` (${request.note})` : ""}${definition.approval ? `; it awaits approval by someone other than the requester holding ${definition.approval.permission}` : ""}`,
          operationId: operation.id,
          targets: await operationTargets(tx, definition as OperationDefinition<unknown>, operation, { first: true }),
        }),
      });
      return { operation, duplicate: false };
    });
  } catch (error) {
    if (!isUniqueViolation(error) && !(error instanceof ActionRefusal)) throw error;
    // Lost a race: a request with the same key committed first (the same submission twice), or another operation on the tenant.
    const raced = await db.operation.findUnique({ where: { idempotencyKey: key } });
    if (raced) return { operation: raced, duplicate: true };
    if (error instanceof ActionRefusal) throw error;
    const conflict = request.tenantId ? await conflictFor(db, request.tenantId) : null;
    if (conflict) throw conflict;
    throw error;
  }
}

/** A refusal for want of permission on the operation itself (the action factory audits every refusal as refused). */
export class OperationForbidden extends ActionRefusal {}

/** Cancelling or retrying needs the permission requesting the operation needed (request-permissions.ts). */
function requireMayActOn(user: SignedInUser, operation: Operation, verb: "cancel" | "retry"): void {
  if (!mayActOn(user.role, operation.kind))
    throw new OperationForbidden(
      `Forbidden: the ${user.role} role cannot ${verb} a ${kindLabels[operation.kind].toLowerCase()}; it needs ${requestPermission[operation.kind]}, as requesting one does.`,
    );
}

/** Locks the operation's row for the rest of the transaction, so the worker's next write waits for us. */
async function lockOperation(tx: Tx, id: string): Promise<Operation> {
  await tx.$queryRaw`SELECT id FROM "Operation" WHERE id = ${id} FOR UPDATE`;
  const operation = await tx.operation.findUnique({ where: { id } });
  if (!operation) throw new ActionRefusal(`No operation ${id}.`);
  return operation;
}

export async function cancelOperation(
  db: Db,
  definitions: Record<string, OperationDefinition<unknown>>,
  id: string,
  user: SignedInUser,
): Promise<Operation> {
  return db.$transaction(async (tx) => {
    const operation = await lockOperation(tx, id);
    requireMayActOn(user, operation, "cancel");
    const steps = parseSteps(operation.steps);
    const definition = definitions[operation.kind];
    const requested = steps.find((s) => s.cancelRequest);
    if (requested && (operation.status === "queued" || operation.status === "running")) return operation; // already being cancelled
    const waiting = cancellableWait(operation.status, steps);
    if (waiting) return requestCancelWhileWaiting(tx, definition, operation, steps, waiting, user);
    if (!isCancellable(operation.status, steps)) {
      const changed = steps.find((s) => s.changesTenant && s.status !== "pending");
      throw new ActionRefusal(
        changed && ["queued", "running", "failed"].includes(operation.status)
          ? `Operation ${id} cannot be cancelled: its step "${changed.label}" has started changing the tenant. Let it finish, or retry it if it failed.`
          : `Operation ${id} is ${operation.status}; only queued, running or failed operations can be cancelled.`,
      );
    }
    if (definition?.onCancel) await definition.onCancel(tx, definition.parameters.parse(operation.parameters));
    const cancelled = await tx.operation.update({
      where: { id },
      data: { status: "cancelled", activeTenantId: null, leaseOwner: null, leaseExpiresAt: null, finishedAt: new Date() },
    });
    await tx.auditEntry.create({
      data: auditEntry(user, {
        action: "operations.cancel",
        targetType: "operation",
        targetId: id,
        parameters: { kind: operation.kind, tenantId: operation.tenantId },
        outcome: "succeeded",
        operationId: id,
        targets: await operationTargets(tx, definition, operation),
      }),
    });
    return cancelled;
  });
}

/**
 * A cancel while the operation waits in a cancellable step (an offboarding's grace period): recorded on the step and
 * the operation made runnable at once; the next worker undoes what it did (undoOnCancel) and records it cancelled.
 */
async function requestCancelWhileWaiting(
  tx: Tx,
  definition: OperationDefinition<unknown> | undefined,
  operation: Operation,
  steps: StepRecord[],
  waiting: StepRecord,
  user: SignedInUser,
): Promise<Operation> {
  if (!definition?.undoOnCancel)
    throw new ActionRefusal(`Operation ${operation.id} cannot be undone while it waits; it cannot be cancelled.`);
  const cancelRequest = { byId: user.id, byEmail: user.email, at: new Date().toISOString() };
  const marked = steps.map((s) =>
    s === waiting ? { ...s, cancelRequest, detail: `Cancelling (requested by ${user.email}): a worker undoes what it did` } : s,
  );
  const updated = await tx.operation.update({
    where: { id: operation.id },
    data: { steps: marked as unknown as JsonObject[], runAfter: null },
  });
  await tx.auditEntry.create({
    data: auditEntry(user, {
      action: "operations.cancel",
      targetType: "operation",
      targetId: operation.id,
      parameters: { kind: operation.kind, tenantId: operation.tenantId },
      outcome: "succeeded",
      detail: `cancel requested while it waited in "${waiting.label}": a worker undoes what it did, then records it cancelled`,
      operationId: operation.id,
      targets: await operationTargets(tx, definition, operation),
    }),
  });
  return updated;
}

/** The operation awaiting approval, and the definition saying who may decide it; refuses anyone else. */
async function decidable(
  tx: Tx,
  definitions: Record<string, OperationDefinition<unknown>>,
  id: string,
  user: SignedInUser,
  verb: "approve" | "reject",
): Promise<{ operation: Operation; definition: OperationDefinition<unknown> }> {
  const operation = await lockOperation(tx, id);
  const definition = definitions[operation.kind];
  const approval = definition?.approval;
  if (!definition || !approval) throw new ActionRefusal(`Operation ${id} (${kindLabels[operation.kind].toLowerCase()}) needs no approval.`);
  if (!can(user.role, approval.permission))
    throw new OperationForbidden(
      `Forbidden: the ${user.role} role cannot ${verb} a ${kindLabels[operation.kind].toLowerCase()}; it needs ${approval.permission}.`,
    );
  if (operation.requestedById === user.id)
    throw new OperationForbidden(
      `You requested operation ${id}: someone else holding ${approval.permission} must ${verb} it (one person alone cannot ${verb === "approve" ? "carry it out" : "decide it"}).${verb === "reject" ? " To withdraw it, cancel it." : ""}`,
    );
  if (operation.status !== "awaiting_approval") {
    const by = operation.approvedByEmail ? ` (approved by ${operation.approvedByEmail})` : "";
    throw new ActionRefusal(
      `Operation ${id} is ${statusLabels[operation.status].toLowerCase()}${by}; only one awaiting approval can be ${verb}d.`,
    );
  }
  return { operation, definition };
}

/**
 * Approves an operation awaiting approval: queued for the worker, the approver recorded on it and in the audit log.
 * The approver holds the definition's permission and is not the requester (checked here, on the server, whatever the
 * page offered).
 */
export async function approveOperation(
  db: Db,
  definitions: Record<string, OperationDefinition<unknown>>,
  id: string,
  user: SignedInUser,
  action = "operations.approve",
): Promise<Operation> {
  return db.$transaction(async (tx) => {
    const { operation, definition } = await decidable(tx, definitions, id, user, "approve");
    const approved = await tx.operation.update({
      where: { id },
      data: { status: "queued", approvedById: user.id, approvedByEmail: user.email, approvedAt: new Date() },
    });
    await tx.auditEntry.create({
      data: auditEntry(user, {
        action,
        targetType: "operation",
        targetId: id,
        parameters: { kind: operation.kind, tenantId: operation.tenantId },
        outcome: "succeeded",
        detail: `approved ${kindLabels[operation.kind].toLowerCase()}: ${definition.describe(definition.parameters.parse(operation.parameters))}`,
        operationId: id,
        targets: await operationTargets(tx, definition, operation),
      }),
    });
    return approved;
  });
}

/** Rejects an operation awaiting approval: cancelled (with the definition's onCancel), the tenant free again; audited with the reason. */
export async function rejectOperation(
  db: Db,
  definitions: Record<string, OperationDefinition<unknown>>,
  id: string,
  user: SignedInUser,
  reason: string,
  action = "operations.reject",
): Promise<Operation> {
  return db.$transaction(async (tx) => {
    const { operation, definition } = await decidable(tx, definitions, id, user, "reject");
    const parameters = definition.parameters.parse(operation.parameters);
    await definition.onCancel?.(tx, parameters);
    const rejected = await tx.operation.update({
      where: { id },
      data: {
        status: "cancelled",
        activeTenantId: null,
        finishedAt: new Date(),
        error: `Rejected by ${user.email}: ${reason}`.slice(0, 2_000),
      },
    });
    await tx.auditEntry.create({
      data: auditEntry(user, {
        action,
        targetType: "operation",
        targetId: id,
        parameters: { kind: operation.kind, tenantId: operation.tenantId, reason },
        outcome: "succeeded",
        detail: `rejected ${kindLabels[operation.kind].toLowerCase()}: ${definition.describe(parameters)}: ${reason}`,
        operationId: id,
        targets: await operationTargets(tx, definition, operation),
      }),
    });
    return rejected;
  });
}

/**
 * Queues a failed or needs-attention operation again. One that stopped past its
 * point of no return resumes at the step it stopped in; one that was undone
 * when it failed starts over; any other resumes after its last completed step.
 */
export async function retryOperation(
  db: Db,
  definitions: Record<string, OperationDefinition<unknown>>,
  id: string,
  user: SignedInUser,
): Promise<Operation> {
  try {
    return await db.$transaction(async (tx) => {
      const operation = await lockOperation(tx, id);
      requireMayActOn(user, operation, "retry");
      if (operation.status !== "failed" && operation.status !== "needs_attention")
        throw new ActionRefusal(
          `Operation ${id} is ${operation.status}; only a failed operation, or one that needs attention, can be retried.`,
        );
      if (operation.tenantId) {
        // An operation that needs attention still holds its tenant: that is not a conflict with itself.
        const conflict = await conflictFor(tx, operation.tenantId, id);
        if (conflict) throw conflict;
      }
      // Steps stay as they were: done ones are skipped, a failed one runs again (and, if it changed the tenant, still blocks cancelling).
      // An operation that undid itself when it failed starts over.
      const definition = definitions[operation.kind];
      const restart =
        definition?.compensate && operation.status === "failed"
          ? {
              steps: initialSteps(definition, definition.parameters.parse(operation.parameters)) as unknown as Prisma.InputJsonValue[],
              currentStep: null,
              progress: 0,
            }
          : {};
      const queued = await tx.operation.update({
        where: { id },
        data: { status: "queued", error: null, attempts: 0, finishedAt: null, activeTenantId: operation.tenantId, ...restart },
      });
      await tx.auditEntry.create({
        data: auditEntry(user, {
          action: "operations.retry",
          targetType: "operation",
          targetId: id,
          parameters: { kind: operation.kind, tenantId: operation.tenantId },
          outcome: "succeeded",
          operationId: id,
          targets: await operationTargets(tx, definition, operation),
        }),
      });
      return queued;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const operation = await db.operation.findUnique({ where: { id } });
    const conflict = operation?.tenantId ? await conflictFor(db, operation.tenantId) : null;
    throw conflict ?? error;
  }
}
