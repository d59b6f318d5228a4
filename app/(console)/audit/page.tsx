import type { Metadata } from "next";
import { Badge, RoleBadge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { countOf, formatTimestamp } from "@/components/ui/format";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Panel } from "@/components/ui/panel";
import { FilterForm, queryWith } from "@/components/ui/filter-form";
import { auditDateProblems, auditPageSize, listAuditEntries, parseAuditFilters } from "@/lib/audit/queries";
import { roleLabels } from "@/lib/auth/permissions";
import { roles } from "@/lib/catalog/vocabulary";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Audit log" };

const outcomeTone = { succeeded: "success", failed: "warning", refused: "danger" } as const;

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>["entries"][number];

/** What else the entry names (an operation's tenants and instances), a few shown, the rest counted. */
function AlsoTouched({ entry }: { entry: AuditRow }) {
  const own = entry.targetId ? `${entry.targetType === "storageInstance" ? "instance" : entry.targetType}:${entry.targetId}` : null;
  const others = entry.targets.filter(
    (t) => t !== own && t !== `operation:${entry.operationId}` && t !== `${entry.targetType}:${entry.targetId}`,
  );
  if (others.length === 0) return null;
  const shown = others.slice(0, 4);
  return (
    <div className="break-words text-muted" title={others.join(" ")}>
      also {shown.join(", ")}
      {others.length > shown.length ? ` and ${others.length - shown.length} more` : ""}
    </div>
  );
}

const columns: Column<AuditRow>[] = [
  {
    key: "at",
    header: "Time (UTC)",
    description: "When the entry was written, to the second, in UTC",
    numeric: true,
    align: "left",
    className: "align-top",
    cell: (entry) => (
      <time dateTime={entry.at.toISOString()} title={formatTimestamp(entry.at)}>
        {formatTimestamp(entry.at).replace(" UTC", "")}
      </time>
    ),
  },
  {
    key: "actor",
    header: "Actor",
    className: "align-top min-w-40 break-words",
    cell: (entry) => (
      <>
        <span className="mr-1.5">{entry.actorEmail}</span>
        {entry.actorRole ? <RoleBadge role={entry.actorRole} /> : null}
      </>
    ),
  },
  {
    key: "action",
    header: "Action and target",
    className: "align-top font-mono text-xs",
    cell: (entry) => (
      <>
        <div>{entry.action}</div>
        <div className="break-all text-muted">
          {entry.targetType}
          {entry.targetId ? `:${entry.targetId}` : ""}
        </div>
        <AlsoTouched entry={entry} />
      </>
    ),
  },
  {
    key: "outcome",
    header: "Outcome",
    className: "align-top min-w-56 break-words",
    cell: (entry) => (
      <>
        <Badge tone={outcomeTone[entry.outcome]}>{entry.outcome}</Badge>
        {entry.detail ? (
          <span className="ml-2 text-muted" dir="auto">
            {entry.detail}
          </span>
        ) : null}
      </>
    ),
  },
  {
    key: "parameters",
    header: "Parameters",
    // Wrapped, never cut: the whole of what the entry recorded is on the page.
    className: "align-top font-mono text-xs text-muted min-w-56",
    cell: (entry) => <div className="max-w-md whitespace-pre-wrap [overflow-wrap:anywhere]">{JSON.stringify(entry.parameters)}</div>,
  },
];

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePagePermission("audit.read");
  const params = await searchParams;
  const filters = parseAuditFilters(params);
  const dateProblems = auditDateProblems(params);
  const { entries, total, page, pageCount } = await listAuditEntries(getDb(), filters);
  const { page: _page, ...current } = filters;
  const filtered = Object.values(current).some(Boolean);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change the console made, and every attempt it refused. Entries are never edited or deleted. Times are UTC, to the second."
      />
      <ErrorNotice title="Check the date filters" messages={dateProblems} />
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
          { kind: "text", name: "tenant", label: "Tenant", value: filters.tenant, maxLength: 200, placeholder: "tenant id" },
          {
            kind: "text",
            name: "instance",
            label: "Storage instance",
            value: filters.instance,
            maxLength: 200,
            placeholder: "instance id",
          },
          { kind: "text", name: "target", label: "Target", value: filters.target, maxLength: 200, placeholder: "plan:basic or an id" },
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
        <DataTable
          label="Audit entries"
          columns={columns}
          rows={entries}
          rowKey={(entry) => entry.id}
          paging={{ total, offset: (page - 1) * auditPageSize }}
          empty={
            total > 0
              ? { title: "Past the last page", body: `The log has ${countOf(pageCount, "page")} with these filters.` }
              : filtered
                ? { title: "No entry matches these filters", body: "Widen the dates or clear a filter." }
                : { title: "Nothing audited yet", body: "Changes and refused attempts are recorded here as they happen." }
          }
        />
        {total > 0 ? (
          <Pagination
            page={page}
            pageCount={pageCount}
            total={total}
            size={auditPageSize}
            noun="entries"
            hrefFor={(p) => `/audit${queryWith(current, { page: p })}`}
          />
        ) : null}
      </Panel>
    </>
  );
}
