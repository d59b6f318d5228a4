// Reading the audit log: filtered pages for the console, and the same filter
// streamed as CSV. There is no update or delete path for audit entries.
import { z } from "zod";
import { singleLine } from "../validation/fields";
import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import { AuditOutcome, Role } from "../generated/prisma/enums.ts";
import { auditTarget } from "./record";
import { firstValues, type SearchParams } from "../validation/search-params";

export const auditPageSize = 50;

/** A calendar day as YYYY-MM-DD that exists (2026-02-30 does not: Date.parse would roll it into March). */
function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = Date.parse(value);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === value;
}

const dateParam = z.string().refine(isDay);

const auditFiltersSchema = z.object({
  actor: singleLine({ max: 254 }).optional().catch(undefined),
  role: z.enum(Object.values(Role)).optional().catch(undefined),
  action: singleLine({ max: 100 }).optional().catch(undefined),
  target: singleLine({ max: 200 }).optional().catch(undefined),
  tenant: singleLine({ max: 200 }).optional().catch(undefined),
  instance: singleLine({ max: 200 }).optional().catch(undefined),
  outcome: z.enum(Object.values(AuditOutcome)).optional().catch(undefined),
  from: dateParam.optional().catch(undefined),
  to: dateParam.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export function parseAuditFilters(params: SearchParams): AuditFilters {
  return auditFiltersSchema.parse(firstValues(params, Object.keys(auditFiltersSchema.shape)));
}

/** What is wrong with the date filters as given, for the page to say (a date it cannot read is not applied). */
export function auditDateProblems(params: SearchParams): string[] {
  const raw = firstValues(params, ["from", "to"]);
  const problems: string[] = [];
  const names = { from: "From", to: "To" } as const;
  for (const key of ["from", "to"] as const) {
    const value = raw[key]?.trim();
    if (value && !isDay(value)) problems.push(`${names[key]} "${value.slice(0, 40)}" is not a date (YYYY-MM-DD): it was not applied.`);
  }
  const from = raw.from?.trim();
  const to = raw.to?.trim();
  if (from && to && isDay(from) && isDay(to) && from > to) problems.push(`From (${from}) is after To (${to}): no entry can match.`);
  return problems;
}

const dayMs = 86_400_000;

export function auditWhere(filters: AuditFilters): Prisma.AuditEntryWhereInput {
  const and: Prisma.AuditEntryWhereInput[] = [];
  if (filters.actor) and.push({ actorEmail: { contains: filters.actor, mode: "insensitive" } });
  if (filters.role) and.push({ actorRole: filters.role });
  if (filters.action) and.push({ action: { contains: filters.action } });
  // "tenant:acme" matches every entry that names it among its targets; a bare word, the entry's own target as before.
  if (filters.target)
    and.push({
      OR: [{ targets: { has: filters.target } }, { targetId: { contains: filters.target } }, { targetType: filters.target }],
    });
  if (filters.tenant) and.push({ targets: { has: auditTarget("tenant", filters.tenant) } });
  // Entries written before targets were recorded name an instance by its catalog type, "storageInstance".
  if (filters.instance)
    and.push({ targets: { hasSome: [auditTarget("instance", filters.instance), `storageInstance:${filters.instance}`] } });
  if (filters.outcome) and.push({ outcome: filters.outcome });
  // Dates are UTC days, inclusive.
  if (filters.from) and.push({ at: { gte: new Date(Date.parse(filters.from)) } });
  if (filters.to) and.push({ at: { lt: new Date(Date.parse(filters.to) + dayMs) } });
  return and.length ? { AND: and } : {};
}

export async function listAuditEntries(db: Db, filters: AuditFilters) {
  const where = auditWhere(filters);
  const [total, entries] = await Promise.all([
    db.auditEntry.count({ where }),
    db.auditEntry.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * auditPageSize,
      take: auditPageSize,
    }),
  ]);
  return { total, entries, page: filters.page, pageCount: Math.max(1, Math.ceil(total / auditPageSize)) };
}

const csvColumns = [
  "at",
  "actorEmail",
  "actorRole",
  "action",
  "targetType",
  "targetId",
  "outcome",
  "detail",
  "operationId",
  "parameters",
  // Last, so the columns before keep their places for existing readers.
  "targets",
] as const;

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet shows the text rather than running it. */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ""
      : value instanceof Date
        ? value.toISOString()
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The filtered log as CSV lines, oldest first, read in pages so an export of the whole log stays in bounded memory. */
export async function* auditCsv(db: Db, filters: AuditFilters, pageSize = 1_000): AsyncGenerator<string> {
  yield `${csvColumns.join(",")}\r\n`;
  const where = auditWhere(filters);
  let cursor: string | undefined;
  for (;;) {
    const page = await db.auditEntry.findMany({
      where,
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: pageSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const entry of page) yield `${csvColumns.map((column) => csvCell(entry[column])).join(",")}\r\n`;
    if (page.length < pageSize) return;
    cursor = page[page.length - 1]!.id;
  }
}
