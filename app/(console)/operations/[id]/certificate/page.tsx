import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PrintButton } from "@/components/operations/print-button";
import { Badge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatBytes, formatCount, formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { offboardingCertificate } from "@/lib/lifecycle/lifecycle-view";
import type { DeletedPlacement, HeldBackup } from "@/lib/lifecycle/offboarding-certificate";
import { operationIdPattern } from "@/lib/operations/ids";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Deletion certificate" };

const when = (iso: string | null | undefined) => <span className="num">{iso ? formatDateTime(new Date(iso)) : "—"}</span>;

const deletedColumns: Column<DeletedPlacement>[] = [
  { key: "table", header: "Table", rowHeader: true, cell: (p) => <span className="font-mono text-xs">{p.tableName}</span> },
  { key: "instance", header: "Storage instance", cell: (p) => <span className="font-mono text-xs">{p.storageInstanceId}</span> },
  { key: "region", header: "Region", cell: (p) => p.region },
  { key: "how", header: "How", cell: (p) => p.how },
  { key: "items", header: "Items deleted", numeric: true, cell: (p) => formatCount(p.items) },
];

const backupColumns: Column<HeldBackup>[] = [
  {
    key: "backup",
    header: "Backup",
    rowHeader: true,
    cell: (b) => (
      <Link href={`/backups/${b.backupId}`} className="font-mono text-xs text-accent underline">
        {b.backupId}
      </Link>
    ),
  },
  { key: "instance", header: "Of", cell: (b) => <span className="font-mono text-xs">{b.storageInstanceId}</span> },
  { key: "taken", header: "Taken", cell: (b) => when(b.takenAt) },
  { key: "items", header: "The tenant's items in it", numeric: true, cell: (b) => formatCount(b.items) },
  { key: "expires", header: "Expires", cell: (b) => (b.expiresAt ? when(b.expiresAt) : <span>never (until deleted)</span>) },
];

export default async function CertificatePage({ params }: Props) {
  await requirePagePermission("operations.read");
  const { id } = await params;
  const found = operationIdPattern.test(id) ? await offboardingCertificate(getDb(), id) : null;
  if (!found) notFound();
  const { certificate: c, hashMatches } = found;
  const { verification: v, stillHeld } = c;
  return (
    <article aria-label="Deletion certificate" className="mx-auto max-w-4xl">
      <PageHeader
        eyebrow={
          <Link href={`/operations/${c.operationId}`} className="hover:underline print:hidden">
            Offboarding {c.operationId}
          </Link>
        }
        title={
          <>
            Deletion certificate: <span dir="auto">{c.tenant.name}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{c.tenant.id}</span>
            <Badge tone="success">verification {v.result}</Badge>
            <span className="text-xs text-muted">issued {formatDateTime(new Date(c.issuedAt))}</span>
          </span>
        }
        actions={
          <span className="flex flex-wrap gap-2 print:hidden">
            <PrintButton />
            <a
              href={`/api/offboarding/${c.operationId}/certificate`}
              download
              className="rounded-md border border-border px-2.5 py-1 text-xs font-medium text-accent hover:bg-surface-2"
            >
              Download JSON
            </a>
          </span>
        }
      />
      <p className="mb-4 text-[13px]">
        Every item of tenant <span className="font-mono">{c.tenant.id}</span> ({formatCount(c.items)} items) was deleted from the placements
        below with tenant-scoped access, after a final export and a grace period of {c.graceDays} day
        {c.graceDays === 1 ? "" : "s"}; none were found afterwards, and its co-tenants&apos; items were unchanged.{" "}
        <strong>
          Backups and point-in-time recovery still hold its data until they expire
          {stillHeld.backupsAndRecoveryUntil ? (
            <>
              {" "}
              (the last on <span className="num">{formatDateTime(new Date(stillHeld.backupsAndRecoveryUntil))}</span>)
            </>
          ) : stillHeld.backups.some((b) => b.expiresAt === null) ? (
            " (one of them never expires: delete it to end this)"
          ) : null}
          : see below.
        </strong>
      </p>
      <div className="grid gap-4 md:grid-cols-2 print:grid-cols-2">
        <Panel title="Who and why">
          <Facts
            items={[
              { label: "Requested by", value: c.requestedBy.email },
              { label: "Requested", value: when(c.requestedBy.at) },
              { label: "Approved by", value: c.approvedBy.email },
              { label: "Approved", value: when(c.approvedBy.at) },
              { label: "Reason", value: <span dir="auto">{c.reason}</span> },
              { label: "Tier · model", value: `${c.tenant.tier} · ${c.tenant.deploymentModel}` },
              { label: "Key prefix (never reused)", value: <span className="font-mono text-xs">{c.tenant.keyPrefix ?? "—"}</span> },
            ]}
          />
        </Panel>
        <Panel title="When">
          <Facts
            items={[
              { label: "Suspended", value: when(c.times.suspendedAt) },
              { label: "Exported", value: when(c.times.exportedAt) },
              { label: "Grace period ended", value: when(c.times.graceEndedAt) },
              { label: "Purged", value: when(c.times.purgedAt) },
              { label: "Verified", value: when(c.times.verifiedAt) },
              { label: "Retired", value: when(c.times.retiredAt) },
            ]}
          />
        </Panel>
      </div>
      <Panel title="What was deleted where" className="mt-4">
        <DataTable
          label="What was deleted where"
          columns={deletedColumns}
          rows={c.deleted}
          rowKey={(p) => p.tableName}
          empty={{ title: "The tenant had no placement" }}
        />
      </Panel>
      <div className="mt-4 grid gap-4 md:grid-cols-2 print:grid-cols-2">
        <Panel title="Final export">
          <Facts
            items={[
              { label: "Items", value: <span className="num">{formatCount(c.export.items)}</span> },
              { label: "Size", value: <span className="num">{formatBytes(c.export.bytes)}</span> },
              { label: "Where", value: <span className="break-all font-mono text-xs">{c.export.location}</span> },
              { label: "Manifest SHA-256", value: <span className="break-all font-mono text-xs">{c.export.manifestSha256}</span> },
              { label: "Content hash", value: <span className="break-all font-mono text-xs">{c.export.contentHash}</span> },
            ]}
          />
        </Panel>
        <Panel title="Verification">
          <Facts
            items={[
              ...v.tenantItemsLeft.map((p) => ({
                label: `Its items left in ${p.tableName}`,
                value: <span className="num">{formatCount(p.items)}</span>,
              })),
              ...v.coTenants.map((p) => ({
                label: `Co-tenants' items in ${p.tableName}`,
                value: (
                  <span className="num">
                    {formatCount(p.unchanged)} of {formatCount(p.compared)} unchanged
                    {p.rewritten ? `, ${formatCount(p.rewritten)} rewritten by their owners` : ""}
                  </span>
                ),
              })),
            ]}
          />
        </Panel>
      </div>
      <Panel title="What still holds its data, and until when" className="mt-4">
        <div className="grid gap-2 px-4 py-3 text-[13px]">
          <p>
            Point-in-time recovery:{" "}
            {stillHeld.pointInTimeRecovery ? (
              <>
                the history of {stillHeld.pointInTimeRecovery.tables.join(", ")} holds its items until{" "}
                <span className="num">{formatDateTime(new Date(stillHeld.pointInTimeRecovery.until))}</span> (35 days after the purge).
              </>
            ) : (
              "not enabled for these tables in this deployment."
            )}
          </p>
          <p>
            The final export at <span className="font-mono text-xs">{stillHeld.export.location}</span>: {stillHeld.export.until}.
          </p>
        </div>
        <DataTable
          label="Backups taken before the purge"
          columns={backupColumns}
          rows={stillHeld.backups}
          rowKey={(b) => b.backupId}
          empty={{ title: "No backup holds its items", body: "No backup of its instances taken before the purge is still kept." }}
        />
      </Panel>
      <p className="mt-4 break-all text-xs text-muted">
        Format {c.format} · SHA-256 of this certificate (its canonical JSON without this field):{" "}
        <span className="font-mono text-fg">{c.sha256}</span>{" "}
        {hashMatches ? (
          "(checked: it matches the stored content)"
        ) : (
          <strong className="text-danger">(does NOT match the stored content)</strong>
        )}
      </p>
    </article>
  );
}
