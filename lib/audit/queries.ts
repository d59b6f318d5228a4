import type { Db } from "../db/client";

export const auditPageSize = 50;

export async function listAuditEntries(db: Db, page: number) {
  const [total, entries] = await Promise.all([
    db.auditEntry.count(),
    db.auditEntry.findMany({ orderBy: [{ at: "desc" }, { id: "desc" }], skip: (page - 1) * auditPageSize, take: auditPageSize }),
  ]);
  return { total, entries, page, pageCount: Math.max(1, Math.ceil(total / auditPageSize)) };
}
