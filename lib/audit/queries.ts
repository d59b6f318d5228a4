// Reading the audit log: filtered pages for the console, and the same filter
// streamed as CSV. There is no update or delete path for audit entries.
import { z } from "zod";
import { singleLine } from "../validation/fields";
import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import { AuditOutcome, Role } from "../generated/prisma/enums.ts";
import { firstValues, type SearchParams } from "../validation/search-params";

export const auditPageSize = 50;

const dateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(v)));

const auditFiltersSchema = z.object({
  actor: singleLine({ max: 254 }).optional().catch(undefined),
  role: z.enum(Object.values(Role)).optional().catch(undefined),
  action: singleLine({ max: 100 }).optional().catch(undefined),
  target: singleLine({ max: 200 }).optional().catch(undefined),
  outcome: z.enum(Object.values(AuditOutcome)).optional().catch(undefined),
  from: dateParam.optional().catch(undefined),
  to: dateParam.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export function parseAuditFilters(params: SearchParams): AuditFilters {
  return auditFiltersSchema.parse(firstValues(params, Object.keys(auditFiltersSchema.shape)));
}

const dayMs = 86_400_000;

export function auditWhere(filters: AuditFilters): Prisma.AuditEntryWhereInput {
  const and: Prisma.AuditEntryWhereInput[] = [];
  if (filters.actor) and.push({ actorEmail: { contains: filters.actor, mode: "insensitive" } });
  if (filters.role) and.push({ actorRole: filters.role });
  if (filters.action) and.push({ action: { contains: filters.action } });
  if (filters.target) and.push({ OR: [{ targetId: { contains: filters.target } }, { targetType: filters.target }] });
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
