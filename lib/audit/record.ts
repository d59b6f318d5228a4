import type { Prisma } from "../generated/prisma/client.ts";
import type { SignedInUser } from "../auth/action-context";

export interface AuditFacts {
  action: string;
  targetType: string;
  targetId?: string | null;
  parameters?: Prisma.InputJsonValue;
  outcome: "succeeded" | "failed" | "refused";
  detail?: string;
  operationId?: string;
  /** Everything else the action touched, as "type:id" (see auditTarget); the entry's own target and operation are added. */
  targets?: readonly string[];
}

/** The audit log's names for what an entry touched; the catalog's "storageInstance" is "instance" there. */
export type AuditTargetType = "tenant" | "instance" | "plan" | "operation" | "backup" | "user" | "finding" | "proposal";

const targetTypeNames: Record<string, string> = { storageInstance: "instance" };

/** "type:id", the form filters match exactly (`targets has`). */
export function auditTarget(type: AuditTargetType | string, id: string): string {
  return `${targetTypeNames[type] ?? type}:${id}`;
}

/** The row for an audit entry; write it with the effect's own transaction client. */
export function auditEntry(actor: SignedInUser | null, facts: AuditFacts): Prisma.AuditEntryUncheckedCreateInput {
  return {
    actorId: actor?.id ?? null,
    actorEmail: actor?.email ?? "(signed out)",
    actorRole: actor?.role ?? null,
    action: facts.action,
    targetType: facts.targetType,
    targetId: facts.targetId ?? null,
    targets: auditTargets(facts),
    parameters: facts.parameters ?? {},
    outcome: facts.outcome,
    detail: facts.detail ?? null,
    operationId: facts.operationId ?? null,
  };
}

function auditTargets(facts: AuditFacts): string[] {
  const all = new Set<string>();
  if (facts.targetId) all.add(auditTarget(facts.targetType, facts.targetId));
  if (facts.operationId) all.add(auditTarget("operation", facts.operationId));
  for (const target of facts.targets ?? []) all.add(target);
  return [...all];
}
