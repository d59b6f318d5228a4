// Findings as rows: the findings page's list, and the panels on a tenant's or an instance's page.
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatInteger } from "@/components/ui/format";
import type { FindingSummary } from "@/lib/fleet-watch/queries";
import { Ago, FindingDuration, FindingSeverity, FindingStatusBadge, FindingSubject, kindLabel } from "./finding-labels";

export function findingColumns(nowMs: number, { subject = "both" }: { subject?: "both" | "tenant" | "instance" | "none" } = {}) {
  const columns: Column<FindingSummary>[] = [
    { key: "severity", header: "Severity", className: "align-top", cell: (f) => <FindingSeverity finding={f} /> },
    {
      key: "summary",
      header: "Finding",
      className: "align-top min-w-64",
      cell: (f) => (
        <>
          <RowLink href={`/findings/${f.id}`} className="font-medium">
            {kindLabel(f.kind)}
          </RowLink>
          <div className="text-muted" dir="auto">
            {f.summary}
          </div>
        </>
      ),
    },
    ...(subject === "none"
      ? []
      : [
          {
            key: "subject",
            header: subject === "instance" ? "Instance" : subject === "tenant" ? "Tenant" : "Subject",
            className: "align-top",
            cell: (f: FindingSummary) => <FindingSubject finding={f} show={subject} />,
          },
        ]),
    {
      key: "since",
      header: "Since",
      description: "When the condition began (the first period of its evidence); the exact time on hover",
      className: "align-top",
      cell: (f) => <Ago at={f.sinceAt} nowMs={nowMs} />,
    },
    {
      key: "duration",
      header: "Duration",
      description: "Open: from its onset until now; resolved: until it resolved",
      numeric: true,
      className: "align-top",
      cell: (f) => <FindingDuration finding={f} nowMs={nowMs} />,
    },
    {
      key: "status",
      header: "Status",
      className: "align-top",
      cell: (f) => (
        <span className="inline-flex flex-col items-start gap-0.5">
          <FindingStatusBadge status={f.status} />
          {f.resolvedAt ? (
            <span className="text-xs text-muted">
              <Ago at={f.resolvedAt} nowMs={nowMs} />
            </span>
          ) : f.reopenedCount > 0 ? (
            <span className="text-xs text-muted">re-opened {formatInteger(f.reopenedCount)}×</span>
          ) : null}
        </span>
      ),
    },
    {
      key: "victims",
      header: "Victims",
      description: "Co-tenants it refused or slowed",
      numeric: true,
      className: "align-top",
      cell: (f) => (f.kind === "noisy_neighbour" ? formatInteger(f.victimCount) : <span className="text-muted">—</span>),
    },
  ];
  return columns;
}

export function FindingsTable({
  label,
  rows,
  nowMs,
  subject = "both",
  empty,
  paging,
  flush,
}: {
  label: string;
  rows: readonly FindingSummary[];
  nowMs: number;
  subject?: "both" | "tenant" | "instance" | "none";
  empty: { title: string; body?: React.ReactNode };
  paging?: { total: number; offset: number };
  flush?: boolean;
}) {
  return (
    <DataTable
      label={label}
      columns={findingColumns(nowMs, { subject })}
      rows={rows}
      rowKey={(f) => f.id}
      empty={empty}
      paging={paging}
      flush={flush}
      rowClassName={(f) => (f.status === "open" && f.severity === "critical" ? "bg-danger-soft/40" : undefined)}
    />
  );
}
