// The one factory every server action is built from: session, permission and
// input validation happen here, on the server, before the action's body runs.
import "server-only";
import { z } from "zod";
import { auditEntry } from "../audit/record";
import { getDb } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import { can, type Permission } from "./permissions";
import { ActionRefusal, type ActionContext } from "./action-context";
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
  const object: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of form.entries()) if (!key.startsWith("$ACTION")) object[key] = value;
  return object;
}

function asParameters(raw: unknown): Prisma.InputJsonValue {
  if (raw === null || typeof raw !== "object") return {};
  // Keep what was asked, bounded, never a password.
  const entries = Object.entries(raw as Record<string, unknown>)
    .filter(([key, value]) => !/password|secret|token/i.test(key) && ["string", "number", "boolean"].includes(typeof value))
    .slice(0, 20)
    .map(([key, value]) => [key, typeof value === "string" ? value.slice(0, 200) : value]);
  return Object.fromEntries(entries) as Prisma.InputJsonValue;
}

export function defineAction<Schema extends z.ZodType, T = undefined>(definition: ActionDefinition<Schema, T>) {
  return async function action(raw: unknown): Promise<ActionResult<T>> {
    const input = raw instanceof FormData ? formDataToObject(raw) : raw;
    const db = getDb();
    const user = await currentUser();
    const rawTarget = definition.target((input && typeof input === "object" ? input : {}) as Partial<z.infer<Schema>>);
    const target = { type: rawTarget.type, id: typeof rawTarget.id === "string" ? rawTarget.id.slice(0, 200) : null };
    const facts = { action: definition.name, targetType: target.type, targetId: target.id, parameters: asParameters(input) };

    if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
    if (!can(user.role, definition.permission)) {
      await db.auditEntry.create({
        data: auditEntry(user, { ...facts, outcome: "refused", detail: `role ${user.role} lacks ${definition.permission}` }),
      });
      return { ok: false, error: `Forbidden: the ${user.role} role cannot do this (${definition.permission}).` };
    }
    const parsed = definition.input.safeParse(input);
    if (!parsed.success) {
      return {
        ok: false,
        error: "Check the highlighted fields.",
        fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
      };
    }
    try {
      const { data, message } = await definition.run({ db, user }, parsed.data);
      return { ok: true, data, message };
    } catch (error) {
      if (!(error instanceof ActionRefusal)) throw error;
      await db.auditEntry.create({ data: auditEntry(user, { ...facts, outcome: "failed", detail: error.message }) });
      return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
    }
  };
}
