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
    parameters: facts.parameters ?? {},
    outcome: facts.outcome,
    detail: facts.detail ?? null,
    operationId: facts.operationId ?? null,
  };
}
