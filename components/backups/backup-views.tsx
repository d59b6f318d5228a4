import Link from "next/link";
import { Badge } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import { countOf, formatBytes, formatDateTime, formatDuration, formatInteger } from "@/components/ui/format";
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

export function BackupTable({ backups, emptyText }: { backups: BackupRow[]; emptyText: string }) {
  if (backups.length === 0) return <EmptyState title="No backups yet">{emptyText}</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-[13px]" aria-label="Backups">
        <thead className="border-b border-border bg-surface-2 text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Started
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Storage instance
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Strategy
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Tenants
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Items
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Size
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Duration
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Kept until
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {backups.map((b) => (
            <tr key={b.id}>
              <td className="num px-3 py-1.5">
                <Link href={`/backups/${b.id}`} className="text-accent hover:underline">
                  {formatDateTime(b.startedAt)}
                </Link>
                {b.scheduled ? <span className="ml-2 text-xs text-muted">scheduled</span> : null}
              </td>
              <td className="px-3 py-1.5 font-mono text-xs">{b.storageInstanceId}</td>
              <td className="px-3 py-1.5">{strategyLabels[b.strategy]}</td>
              <td className="px-3 py-1.5">
                <BackupStatusBadge status={b.status} />
              </td>
              <td className="num px-3 py-1.5 text-right">{formatInteger(b._count.tenants)}</td>
              <td className="num px-3 py-1.5 text-right">{formatInteger(b.items)}</td>
              <td className="num px-3 py-1.5 text-right">{b.status === "complete" ? formatBytes(Number(b.sizeBytes)) : "—"}</td>
              <td className="num px-3 py-1.5 text-right">{b.durationMs === null ? "—" : formatDuration(b.durationMs)}</td>
              <td className="num px-3 py-1.5 text-muted">{b.expiresAt && b.status === "complete" ? formatDateTime(b.expiresAt) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const measured = (value: number | null, format: (v: number) => string) =>
  value === null ? <span className="text-muted">not yet measured</span> : format(value);

/** The two strategies side by side, with this fleet's measured durations. */
export function StrategyComparison({ timings }: { timings: StrategyTiming[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-[13px]" aria-label="Strategies compared">
        <thead className="border-b border-border bg-surface-2 text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Strategy
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Backup, median
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Backup speed
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Read one tenant, median
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Read speed
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              In-place restore, median
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {timings.map((t) => (
            <tr key={t.strategy}>
              <th scope="row" className="px-3 py-1.5 text-left font-normal">
                <span className="font-medium">{strategyLabels[t.strategy]}</span>
                <p className="max-w-md text-xs text-muted">{strategyDescriptions[t.strategy]}</p>
              </th>
              <td className="num px-3 py-1.5 text-right">
                {measured(t.backupMedianMs, formatDuration)}
                {t.backups ? <div className="text-xs text-muted">{countOf(t.backups, "backup")}</div> : null}
              </td>
              <td className="num px-3 py-1.5 text-right">{measured(t.backupItemsPerSec, (v) => `${formatInteger(v)} items/s`)}</td>
              <td className="num px-3 py-1.5 text-right">
                {measured(t.restoreReadMedianMs, formatDuration)}
                {t.restores ? <div className="text-xs text-muted">{countOf(t.restores, "restore")}</div> : null}
              </td>
              <td className="num px-3 py-1.5 text-right">{measured(t.restoreReadItemsPerSec, (v) => `${formatInteger(v)} items/s`)}</td>
              <td className="num px-3 py-1.5 text-right">{measured(t.restoreMedianMs, formatDuration)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
