// An audit entry as it is stored. Whatever bytes a request carried (a forged one included), the entry is written:
// every string in it is made storable (PostgreSQL refuses NUL and lone surrogates in text and JSON, a 500 that lost
// the entry) and visible (control characters are written as \u0000-style escapes, so bell or escape sequences never
// reach a terminal that shows the log), and bounded (trimmed by code point, never between a surrogate pair).
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

/** Bounds on what one entry keeps of a request; beyond them it says what was left out. */
export const auditLimits = {
  /** Characters (code points) of a string field; `detail` keeps more. */
  text: 200,
  detail: 2000,
  /** Characters of a key in the parameters. */
  key: 100,
  /** Entries kept of an object or list in the parameters, and how deep they nest. */
  entries: 50,
  depth: 6,
  /** Characters of the parameters as JSON; larger ones are kept as a trimmed preview. */
  parametersJson: 8000,
} as const;

const escaped = (unit: number) => `\\u${unit.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * The string as the audit log stores it: control characters (C0, DEL, C1) and lone surrogates written as visible
 * \uXXXX escapes, at most `max` characters (code points) followed by "…" when cut. Text that may run over lines (a
 * detail, a reason in the parameters) keeps its line breaks and tabs.
 */
export function auditText(value: string, max: number = auditLimits.text, lines = false): string {
  let out = "";
  let length = 0;
  for (const character of value) {
    const unit = character.codePointAt(0)!;
    const lone = unit >= 0xd800 && unit <= 0xdfff;
    const piece = lone || (/\p{Cc}/u.test(character) && !(lines && (character === "\n" || character === "\t"))) ? escaped(unit) : character;
    const size = piece === character ? 1 : piece.length;
    if (length + size > max) return `${out}…`;
    out += piece;
    length += size;
  }
  return out;
}

/** JSON the catalog can store, however hostile: strings and keys made storable, sizes and depth bounded. */
export function auditJson(value: unknown, depth = 0): Prisma.InputJsonValue | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return auditText(value, auditLimits.text, true);
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return `(${typeof value})`;
  if (depth >= auditLimits.depth) return "(nested too deep)";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "(invalid date)" : value.toISOString();
  if (Array.isArray(value)) {
    const kept = value.slice(0, auditLimits.entries).map((element) => auditJson(element, depth + 1));
    return value.length > auditLimits.entries ? [...kept, `(${value.length - auditLimits.entries} more)`] : kept;
  }
  if (typeof File !== "undefined" && value instanceof File) return `(file ${auditText(value.name)}, ${value.size} bytes)`;
  const entries = Object.entries(value);
  // Object.fromEntries defines own properties, so a key such as "__proto__" is kept as a key, never a prototype.
  const kept = entries
    .slice(0, auditLimits.entries)
    .map(([key, element]) => [auditText(key, auditLimits.key), auditJson(element, depth + 1)]);
  if (entries.length > auditLimits.entries) kept.push(["(more)", `${entries.length - auditLimits.entries} more fields`]);
  return Object.fromEntries(kept) as Prisma.InputJsonObject;
}

/** The parameters as stored: sanitised, and when still too large, a trimmed preview of their JSON. */
export function auditParameters(value: unknown): Prisma.InputJsonValue {
  const json = auditJson(value) ?? {};
  const text = JSON.stringify(json);
  if (text.length <= auditLimits.parametersJson) return json;
  return { truncated: true, characters: text.length, preview: auditText(text, auditLimits.parametersJson / 4) };
}

const textLimits: Record<string, number> = { detail: auditLimits.detail, actorEmail: 254 };

/** The row for an audit entry; write it with the effect's own transaction client. Every string in it is storable. */
export function auditEntry(actor: SignedInUser | null, facts: AuditFacts): Prisma.AuditEntryUncheckedCreateInput {
  const row: Prisma.AuditEntryUncheckedCreateInput = {
    actorId: actor?.id ?? null,
    actorEmail: actor?.email ?? "(signed out)",
    actorRole: actor?.role ?? null,
    action: facts.action,
    targetType: facts.targetType,
    targetId: facts.targetId ?? null,
    targets: auditTargets(facts),
    parameters: auditParameters(facts.parameters ?? {}),
    outcome: facts.outcome,
    detail: facts.detail ?? null,
    operationId: facts.operationId ?? null,
  };
  // Every text column (and list of texts), whatever fields the entry grows.
  for (const [column, value] of Object.entries(row)) {
    const max = textLimits[column] ?? auditLimits.text;
    if (typeof value === "string") Object.assign(row, { [column]: auditText(value, max, column === "detail") });
    else if (Array.isArray(value) && column !== "parameters") Object.assign(row, { [column]: value.map((v) => auditText(String(v), max)) });
  }
  return row;
}

function auditTargets(facts: AuditFacts): string[] {
  const all = new Set<string>();
  if (facts.targetId) all.add(auditTarget(facts.targetType, facts.targetId));
  if (facts.operationId) all.add(auditTarget("operation", facts.operationId));
  for (const target of facts.targets ?? []) all.add(target);
  return [...all];
}
