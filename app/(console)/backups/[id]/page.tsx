import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BackupStatusBadge } from "@/components/backups/backup-views";
import { DataTable, type Column } from "@/components/ui/data-table";
import { countOf, formatBytes, formatDateTime, formatDuration, formatInteger } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getBackup, strategyLabels } from "@/lib/backup/queries";
import { getDb } from "@/lib/db/client";
import { operationIdPattern } from "@/lib/operations/ids";

type Props = { params: Promise<{ id: string }> };

type TenantInBackup = NonNullable<Awaited<ReturnType<typeof getBackup>>>["tenants"][number];

const tenantColumns: Column<TenantInBackup>[] = [
  {
    key: "tenant",
    header: "Tenant",
    className: "font-mono text-xs",
    cell: (t) => (
      <Link href={`/tenants/${t.tenantId}`} className="hover:underline">
        {t.tenantId}
      </Link>
    ),
  },
  { key: "entities", header: "Entities", className: "text-xs text-muted", cell: (t) => t.entities.join(", ") },
  { key: "items", header: "Items", numeric: true, cell: (t) => formatInteger(t.items) },
  { key: "size", header: "Size (uncompressed)", numeric: true, cell: (t) => formatBytes(t.bytes) },
];

function restoreColumn(backupId: string): Column<TenantInBackup> {
  return {
    key: "restore",
    header: "Restore",
    headerHidden: true,
    align: "right",
    cell: (t) => (
      <Link
        href={`/tenants/${t.tenantId}/restore?backup=${backupId}`}
        className="text-accent hover:underline"
        aria-label={`Restore ${t.tenantId} from this backup`}
      >
        Restore…
      </Link>
    ),
  };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: operationIdPattern.test(id) ? `Backup ${id}` : "Unknown backup" };
}

export default async function BackupPage({ params }: Props) {
  const user = await requirePagePermission("operations.read");
  const { id } = await params;
  const backup = operationIdPattern.test(id) ? await getBackup(getDb(), id) : null;
  if (!backup) notFound();
  const canRestore = can(user.role, "tenants.restore") && backup.status === "complete";
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/backups" className="hover:underline">
            Backups
          </Link>
        }
        title={`Backup of ${backup.storageInstanceId}`}
        description={
          <span className="num">
            {formatDateTime(backup.startedAt)}, {strategyLabels[backup.strategy].toLowerCase()}
          </span>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <Panel
          title="Tenants in this backup"
          actions={<span className="num text-xs text-muted">{countOf(backup.tenants.length, "tenant")}</span>}
        >
          <DataTable
            label="Tenants in this backup"
            columns={canRestore ? [...tenantColumns, restoreColumn(backup.id)] : tenantColumns}
            rows={backup.tenants}
            rowKey={(t) => t.tenantId}
            empty={{
              title: "No tenant",
              body:
                backup.status === "complete" ? "No tenant lived in the instance when it was backed up." : `The backup is ${backup.status}.`,
            }}
          />
        </Panel>
        <Panel title="Backup">
          <Facts
            items={[
              { label: "Status", value: <BackupStatusBadge status={backup.status} /> },
              {
                label: "Table",
                value: (
                  <span className="font-mono text-xs">
                    {backup.tableName} ({backup.region})
                  </span>
                ),
              },
              { label: "Strategy", value: strategyLabels[backup.strategy] },
              { label: "Items", value: <span className="num">{countOf(backup.items, "item")}</span> },
              {
                label: "Size",
                value: <span className="num">{backup.status === "complete" ? formatBytes(backup.sizeBytes) : "—"}</span>,
              },
              {
                label: "Duration",
                value: <span className="num">{formatDuration(backup.durationMs)}</span>,
              },
              { label: "Kept until", value: <span className="num">{formatDateTime(backup.expiresAt)}</span> },
              { label: "Trigger", value: backup.scheduled ? "schedule" : `on demand, ${backup.operation.requestedBy.email}` },
              { label: "Files", value: <span className="break-all font-mono text-xs">{backup.location}</span> },
              {
                label: "Operation",
                value: (
                  <Link href={`/operations/${backup.operationId}`} className="font-mono text-xs text-accent hover:underline">
                    {backup.operationId}
                  </Link>
                ),
              },
            ]}
          />
        </Panel>
      </div>
    </>
  );
}
