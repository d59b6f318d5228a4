import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BackupStatusBadge } from "@/components/backups/backup-views";
import { EmptyState } from "@/components/ui/empty-state";
import { formatBytes, formatDateTime, formatDuration, formatInteger } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getBackup, strategyLabels } from "@/lib/backup/queries";
import { getDb } from "@/lib/db/client";
import { operationIdPattern } from "@/lib/operations/ids";

type Props = { params: Promise<{ id: string }> };

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
          actions={<span className="num text-xs text-muted">{formatInteger(backup.tenants.length)} tenants</span>}
        >
          {backup.tenants.length === 0 ? (
            <EmptyState title="No tenant">
              {backup.status === "complete" ? "No tenant lived in the instance when it was backed up." : `The backup is ${backup.status}.`}
            </EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-[13px]" aria-label="Tenants in this backup">
                <thead className="border-b border-border bg-surface-2 text-muted">
                  <tr>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Tenant
                    </th>
                    <th scope="col" className="px-3 py-2 text-left font-medium">
                      Entities
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Items
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Size (uncompressed)
                    </th>
                    {canRestore ? (
                      <th scope="col" className="px-3 py-2 text-right font-medium">
                        <span className="sr-only">Restore</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody className="divide-y divide-border">
                  {backup.tenants.map((t) => (
                    <tr key={t.tenantId}>
                      <td className="px-3 py-1.5 font-mono text-xs">
                        <Link href={`/tenants/${t.tenantId}`} className="hover:underline">
                          {t.tenantId}
                        </Link>
                      </td>
                      <td className="px-3 py-1.5 text-xs text-muted">{t.entities.join(", ")}</td>
                      <td className="num px-3 py-1.5 text-right">{formatInteger(t.items)}</td>
                      <td className="num px-3 py-1.5 text-right">{formatBytes(Number(t.bytes))}</td>
                      {canRestore ? (
                        <td className="px-3 py-1.5 text-right">
                          <Link
                            href={`/tenants/${t.tenantId}/restore?backup=${backup.id}`}
                            className="text-accent hover:underline"
                            aria-label={`Restore ${t.tenantId} from this backup`}
                          >
                            Restore…
                          </Link>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
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
              { label: "Items", value: <span className="num">{formatInteger(backup.items)}</span> },
              {
                label: "Size",
                value: <span className="num">{backup.status === "complete" ? formatBytes(Number(backup.sizeBytes)) : "—"}</span>,
              },
              {
                label: "Duration",
                value: <span className="num">{backup.durationMs === null ? "—" : formatDuration(backup.durationMs)}</span>,
              },
              { label: "Kept until", value: <span className="num">{backup.expiresAt ? formatDateTime(backup.expiresAt) : "—"}</span> },
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
