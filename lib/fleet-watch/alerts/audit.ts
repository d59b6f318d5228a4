// Alerts' audit entries: written by the system (no user asked for them), in
// the worker's name, as the worker's other duties write theirs.
import { auditEntry, type AuditFacts } from "../../audit/record";
import type { Prisma } from "../../generated/prisma/client.ts";

export const alertsActor = "(the worker)";

/** An audit entry written by the system: no user, in the worker's name. */
export function alertAudit(facts: AuditFacts): Prisma.AuditEntryUncheckedCreateInput {
  return { ...auditEntry(null, facts), actorEmail: alertsActor };
}
