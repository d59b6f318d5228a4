import type { Metadata } from "next";
import { z } from "zod";
import { Badge, RoleBadge } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Panel } from "@/components/ui/panel";
import { auditPageSize, listAuditEntries } from "@/lib/audit/queries";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Audit log" };

const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1);
const outcomeTone = { succeeded: "success", failed: "warning", refused: "danger" } as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  await requirePagePermission("audit.read");
  const page = pageParam.parse((await searchParams).page ?? 1);
  const { entries, total, pageCount } = await listAuditEntries(getDb(), page);
  return (
    <>
      <PageHeader title="Audit log" description="Every change the console made, and every attempt it refused. Entries are never edited or deleted." />
      <Panel>
        {total === 0 ? (
          <EmptyState title="Nothing audited yet">Changes and refused attempts are recorded here as they happen.</EmptyState>
        ) : (
          <>
            <div className="overflow-x-auto">
              <table className="w-full text-[13px]" aria-label="Audit entries">
                <thead className="border-b border-border bg-surface-2 text-muted">
                  <tr>
                    <th scope="col" className="px-3 py-2 text-left font-medium">Time</th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">Actor</th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">Action</th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">Target</th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">Outcome</th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">Parameters</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-border">
                  {entries.map((entry) => (
                    <tr key={entry.id} className="align-top">
                      <td className="num px-3 py-1.5">{formatDateTime(entry.at)}</td>
                      <td className="px-3 py-1.5">
                        <span className="mr-1.5">{entry.actorEmail}</span>
                        {entry.actorRole ? <RoleBadge role={entry.actorRole} /> : null}
                      </td>
                      <td className="px-3 py-1.5 font-mono text-xs">{entry.action}</td>
                      <td className="px-3 py-1.5 font-mono text-xs">
                        {entry.targetType}
                        {entry.targetId ? `:${entry.targetId}` : ""}
                      </td>
                      <td className="px-3 py-1.5">
                        <Badge tone={outcomeTone[entry.outcome]}>{entry.outcome}</Badge>
                        {entry.detail ? <span className="ml-2 text-muted">{entry.detail}</span> : null}
                      </td>
                      <td className="max-w-[360px] truncate px-3 py-1.5 font-mono text-xs text-muted" title={JSON.stringify(entry.parameters)}>
                        {JSON.stringify(entry.parameters)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageCount={pageCount} total={total} size={auditPageSize} noun="entries" hrefFor={(p) => `/audit?page=${p}`} />
          </>
        )}
      </Panel>
    </>
  );
}
