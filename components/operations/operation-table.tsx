import Link from "next/link";
import { OperationStatusBadge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatDateTime, formatPercent } from "@/components/ui/format";
import type { OperationKind, OperationStatus } from "@/lib/generated/prisma/enums";
import { kindLabels, statusLabels } from "@/lib/operations/labels";
import { ProgressBar } from "./progress-bar";

export interface OperationRow {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  progress: number;
  tenantId: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  requestedBy: { email: string };
}

const columns: Column<OperationRow>[] = [
  {
    key: "started",
    header: "Started",
    numeric: true,
    align: "left",
    // The row's one link: the whole row opens it (RowLink). Its name starts with what it shows and says which operation it is.
    cell: (operation) => (
      <RowLink
        href={`/operations/${operation.id}`}
        aria-label={`${formatDateTime(operation.createdAt)}: ${kindLabels[operation.kind]}${operation.tenantId ? ` of ${operation.tenantId}` : ""}, ${statusLabels[operation.status].toLowerCase()}`}
      >
        {formatDateTime(operation.createdAt)}
      </RowLink>
    ),
  },
  { key: "kind", header: "Kind", cell: (operation) => kindLabels[operation.kind] },
  {
    key: "tenant",
    header: "Tenant",
    className: "font-mono text-xs",
    cell: (operation) =>
      operation.tenantId ? (
        <Link href={`/tenants/${operation.tenantId}`} className="hover:underline">
          {operation.tenantId}
        </Link>
      ) : (
        "—"
      ),
  },
  {
    key: "status",
    header: "Status",
    cell: (operation) => (
      <>
        <OperationStatusBadge status={operation.status} />
        {operation.error ? (
          <span
            className={`ml-2 line-clamp-1 ${operation.status === "needs_attention" ? "text-warning" : "text-danger"}`}
            title={operation.error}
          >
            {operation.error}
          </span>
        ) : null}
      </>
    ),
  },
  {
    key: "progress",
    header: "Progress",
    numeric: true,
    cell: (operation) => (
      <span className="inline-flex items-center gap-2">
        <span className="block w-16">
          <ProgressBar value={operation.progress} label={`${formatPercent(operation.progress)} done`} />
        </span>
        <span className="w-10">{formatPercent(operation.progress)}</span>
      </span>
    ),
  },
  { key: "requestedBy", header: "Requested by", className: "text-muted", cell: (operation) => operation.requestedBy.email },
];

export function OperationTable({
  operations,
  emptyText,
  showTenant = true,
}: {
  operations: OperationRow[];
  emptyText: string;
  showTenant?: boolean;
}) {
  return (
    <DataTable
      label="Operations"
      columns={showTenant ? columns : columns.filter((column) => column.key !== "tenant")}
      rows={operations}
      rowKey={(operation) => operation.id}
      empty={{ title: "No operations yet", body: emptyText }}
    />
  );
}
