// The one factory every server action is built from: session, permission and
// input validation happen here, on the server, before the action's body runs.
import "server-only";
import { z } from "zod";
import { auditEntry, type AuditFacts } from "../audit/record";
import { getDb } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import { can, type Permission } from "./permissions";
import { ActionRefusal, type ActionContext, type SignedInUser } from "./action-context";
import { currentUser } from "./session";

export type ActionResult<T = undefined> =
  { ok: true; data: T; message?: string } | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined> };

interface ActionDefinition<Schema extends z.ZodType, T> {
  /** The audit log's name for this action, e.g. "users.changeRole". */
  name: string;
  permission: Permission;
  input: Schema;
  /** What the action changes, for the audit entry of a refused or failed attempt. */
  target: (input: Partial<z.infer<Schema>>) => { type: string; id?: string | null };
  run: (ctx: ActionContext, input: z.infer<Schema>) => Promise<{ data: T; message?: string }>;
}

function formDataToObject(form: FormData): Record<string, FormDataEntryValue> {
  // fromEntries defines own properties: a field named "__proto__" or "constructor" is a field like any other.
  return Object.fromEntries([...form.entries()].filter(([key]) => !key.startsWith("$ACTION")));
}

/** What was asked, for the audit entry: never a password, at most 20 fields; auditEntry makes it storable and bounded. */
function asParameters(raw: unknown): Prisma.InputJsonValue {
  if (raw === null || typeof raw !== "object") return {};
  const entries = Object.entries(raw as Record<string, unknown>)
    .filter(([key, value]) => !/password|secret|token/i.test(key) && ["string", "number", "boolean"].includes(typeof value))
    .slice(0, 20);
  return Object.fromEntries(entries) as Prisma.InputJsonValue;
}

/**
 * Writes the entry of a refused or failed attempt. auditEntry makes any request storable; should the catalog still
 * refuse the row, the entry is written again without the request's parameters, saying so, rather than lost.
 */
async function auditAttempt(db: ReturnType<typeof getDb>, user: SignedInUser, facts: AuditFacts): Promise<void> {
  try {
    await db.auditEntry.create({ data: auditEntry(user, facts) });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n").at(-1) : String(error);
    await db.auditEntry.create({
      data: auditEntry(user, { ...facts, parameters: { unrecorded: `the request's parameters could not be stored: ${reason}` } }),
    });
  }
}

export function defineAction<Schema extends z.ZodType, T = undefined>(definition: ActionDefinition<Schema, T>) {
  return async function action(raw: unknown): Promise<ActionResult<T>> {
    const input = raw instanceof FormData ? formDataToObject(raw) : raw;
    const db = getDb();
    const user = await currentUser();
    const rawTarget = definition.target((input && typeof input === "object" ? input : {}) as Partial<z.infer<Schema>>);
    // auditEntry trims and escapes the id; a forged request may send anything as it.
    const facts = {
      action: definition.name,
      targetType: rawTarget.type,
      targetId: typeof rawTarget.id === "string" ? rawTarget.id : null,
      parameters: asParameters(input),
    };

    if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
    if (!can(user.role, definition.permission)) {
      await auditAttempt(db, user, { ...facts, outcome: "refused", detail: `role ${user.role} lacks ${definition.permission}` });
      return { ok: false, error: `Forbidden: the ${user.role} role cannot do this (${definition.permission}).` };
    }
    const parsed = definition.input.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
      const invalid = Object.entries(fieldErrors).map(([field, messages]) => `${field}: ${messages[0] ?? "invalid"}`);
      await auditAttempt(db, user, {
        ...facts,
        outcome: "refused",
        detail: `invalid input (${invalid.join("; ") || "malformed request"})`,
      });
      return { ok: false, error: "Check the highlighted fields.", fieldErrors };
    }
    try {
      const { data, message } = await definition.run({ db, user }, parsed.data);
      return { ok: true, data, message };
    } catch (error) {
      if (!(error instanceof ActionRefusal)) throw error;
      // The console declined (a rule, a conflict, a permission on the operation itself): a refusal, whatever its cause.
      await auditAttempt(db, user, { ...facts, outcome: "refused", detail: error.message });
      return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
    }
  };
}
