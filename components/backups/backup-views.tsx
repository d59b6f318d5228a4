import { Badge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { countOf, formatBytes, formatDateTime, formatDuration, formatInteger, withUnit } from "@/components/ui/format";
import { strategyDescriptions, strategyLabels, type BackupStrategyValue, type StrategyTiming } from "@/lib/backup/queries";

export interface BackupRow {
  id: string;
  storageInstanceId: string;
  strategy: BackupStrategyValue;
  status: string;
  scheduled: boolean;
  startedAt: Date;
  durationMs: number | null;
  items: number;
  sizeBytes: bigint;
  expiresAt: Date | null;
  _count: { tenants: number };
}

const statusTone = { complete: "success", running: "accent", failed: "danger", expired: "neutral" } as const;

export function BackupStatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone[status as keyof typeof statusTone] ?? "neutral"}>{status}</Badge>;
}

const backupColumns: Column<BackupRow>[] = [
  {
    key: "started",
    header: "Started",
    numeric: true,
    align: "left",
    cell: (b) => (
      <>
        <RowLink href={`/backups/${b.id}`}>{formatDateTime(b.startedAt)}</RowLink>
        {b.scheduled ? <span className="ml-2 text-xs text-muted">scheduled</span> : null}
      </>
    ),
  },
  { key: "instance", header: "Storage instance", className: "font-mono text-xs", cell: (b) => b.storageInstanceId },
  { key: "strategy", header: "Strategy", cell: (b) => strategyLabels[b.strategy] },
  { key: "status", header: "Status", cell: (b) => <BackupStatusBadge status={b.status} /> },
  { key: "tenants", header: "Tenants", numeric: true, cell: (b) => formatInteger(b._count.tenants) },
  { key: "items", header: "Items", numeric: true, cell: (b) => formatInteger(b.items) },
  { key: "size", header: "Size", numeric: true, cell: (b) => (b.status === "complete" ? formatBytes(b.sizeBytes) : "—") },
  { key: "duration", header: "Duration", numeric: true, cell: (b) => formatDuration(b.durationMs) },
  {
    key: "expires",
    header: "Kept until",
    numeric: true,
    align: "left",
    className: "text-muted",
    cell: (b) => (b.expiresAt && b.status === "complete" ? formatDateTime(b.expiresAt) : "—"),
  },
];

export function BackupTable({ backups, emptyText }: { backups: BackupRow[]; emptyText: string }) {
  return (
    <DataTable
      label="Backups"
      columns={backupColumns}
      rows={backups}
      rowKey={(b) => b.id}
      empty={{ title: "No backups yet", body: emptyText }}
    />
  );
}

const measured = (value: number | null, format: (v: number) => string) =>
  value === null ? <span className="text-muted">not yet measured</span> : format(value);

const itemsPerSec = (v: number) => withUnit(v, "items/s");

const strategyColumns: Column<StrategyTiming>[] = [
  {
    key: "strategy",
    header: "Strategy",
    rowHeader: true,
    className: "min-w-64",
    cell: (t) => (
      <>
        <span className="font-medium">{strategyLabels[t.strategy]}</span>
        <p className="max-w-md text-xs text-muted">{strategyDescriptions[t.strategy]}</p>
      </>
    ),
  },
  {
    key: "backup",
    header: "Backup, median",
    numeric: true,
    cell: (t) => (
      <>
        {measured(t.backupMedianMs, formatDuration)}
        {t.backups ? <div className="text-xs text-muted">{countOf(t.backups, "backup")}</div> : null}
      </>
    ),
  },
  { key: "backupSpeed", header: "Backup speed", numeric: true, cell: (t) => measured(t.backupItemsPerSec, itemsPerSec) },
  {
    key: "read",
    header: "Read one tenant, median",
    numeric: true,
    cell: (t) => (
      <>
        {measured(t.restoreReadMedianMs, formatDuration)}
        {t.restores ? <div className="text-xs text-muted">{countOf(t.restores, "restore")}</div> : null}
      </>
    ),
  },
  { key: "readSpeed", header: "Read speed", numeric: true, cell: (t) => measured(t.restoreReadItemsPerSec, itemsPerSec) },
  { key: "restore", header: "In-place restore, median", numeric: true, cell: (t) => measured(t.restoreMedianMs, formatDuration) },
];

/** The two strategies side by side, with this fleet's measured durations. */
export function StrategyComparison({ timings }: { timings: StrategyTiming[] }) {
  return (
    <DataTable
      label="Strategies compared"
      columns={strategyColumns}
      rows={timings}
      rowKey={(t) => t.strategy}
      empty={{ title: "No strategies", body: "The console knows no backup strategy." }}
    />
  );
}
