import type { Metadata } from "next";
import { Badge, RoleBadge } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Panel } from "@/components/ui/panel";
import { FilterForm, queryWith } from "@/components/ui/filter-form";
import { auditPageSize, listAuditEntries, parseAuditFilters } from "@/lib/audit/queries";
import { roleLabels } from "@/lib/auth/permissions";
import { roles } from "@/lib/catalog/vocabulary";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Audit log" };

const outcomeTone = { succeeded: "success", failed: "warning", refused: "danger" } as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePagePermission("audit.read");
  const filters = parseAuditFilters(await searchParams);
  const { entries, total, page, pageCount } = await listAuditEntries(getDb(), filters);
  const { page: _page, ...current } = filters;
  const filtered = Object.values(current).some(Boolean);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change the console made, and every attempt it refused. Entries are never edited or deleted."
      />
      <FilterForm
        action="/audit"
        label="Filter the audit log"
        clearHref="/audit"
        fields={[
          { kind: "text", name: "actor", label: "Actor", value: filters.actor, maxLength: 254, placeholder: "e-mail" },
          {
            kind: "select",
            name: "role",
            label: "Role",
            value: filters.role,
            options: roles.map((r) => ({ value: r, label: roleLabels[r] })),
          },
          { kind: "text", name: "action", label: "Action", value: filters.action, maxLength: 100, placeholder: "tenants.onboard" },
          { kind: "text", name: "target", label: "Target", value: filters.target, maxLength: 200, placeholder: "tenant id" },
          {
            kind: "select",
            name: "outcome",
            label: "Outcome",
            value: filters.outcome,
            options: ["succeeded", "failed", "refused"].map((o) => ({ value: o, label: o })),
          },
          { kind: "text", type: "date", name: "from", label: "From (UTC)", value: filters.from, maxLength: 10 },
          { kind: "text", type: "date", name: "to", label: "To (UTC)", value: filters.to, maxLength: 10 },
        ]}
        extra={
          <a
            href={`/api/audit/export${queryWith(current, {})}`}
            className="self-center rounded-md border border-border px-3 py-1.5 hover:bg-surface-2"
            download
          >
            Export CSV
          </a>
        }
      />
      <Panel>
        {total === 0 ? (
          <EmptyState title={filtered ? "No entry matches these filters" : "Nothing audited yet"}>
            {filtered ? "Widen the dates or clear a filter." : "Changes and refused attempts are recorded here as they happen."}
          </EmptyState>
        ) : (
          <>
            <div className="overflow-x-auto">
              <table className="w-full text-[13px]" aria-label="Audit entries">
                <thead className="border-b border-border bg-surface-2 text-muted">
                  <tr>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Time
                    </th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Actor
                    </th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Action
                    </th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Target
                    </th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Outcome
                    </th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Parameters
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-border">
                  {entries.map((entry) => (
                    <tr key={entry.id} className="align-top">
                      <td className="num whitespace-nowrap px-3 py-1.5">{formatDateTime(entry.at)}</td>
                      <td className="px-3 py-1.5">
                        <span className="mr-1.5">{entry.actorEmail}</span>
                        {entry.actorRole ? <RoleBadge role={entry.actorRole} /> : null}
                      </td>
                      <td className="px-3 py-1.5 font-mono text-xs">{entry.action}</td>
                      <td className="whitespace-nowrap px-3 py-1.5 font-mono text-xs">
                        {entry.targetType}
                        {entry.targetId ? `:${entry.targetId}` : ""}
                      </td>
                      <td className="min-w-72 px-3 py-1.5">
                        <Badge tone={outcomeTone[entry.outcome]}>{entry.outcome}</Badge>
                        {entry.detail ? (
                          <span className="ml-2 text-muted" dir="auto">
                            {entry.detail}
                          </span>
                        ) : null}
                      </td>
                      <td
                        className="max-w-[360px] truncate px-3 py-1.5 font-mono text-xs text-muted"
                        title={JSON.stringify(entry.parameters)}
                      >
                        {JSON.stringify(entry.parameters)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={page}
              pageCount={pageCount}
              total={total}
              size={auditPageSize}
              noun="entries"
              hrefFor={(p) => `/audit${queryWith(current, { page: p })}`}
            />
          </>
        )}
      </Panel>
    </>
  );
}
