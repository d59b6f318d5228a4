import type { Metadata } from "next";
import { BackUpNowForm, ScheduleForm, type InstanceOption } from "@/components/backups/backup-forms";
import { BackupTable, StrategyComparison } from "@/components/backups/backup-views";
import { FilterForm } from "@/components/ui/filter-form";
import { DataTable, type Column } from "@/components/ui/data-table";
import { countOf, formatDateTime, formatDuration } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { backupSchedules, listBackups, strategyLabels, strategyTimings } from "@/lib/backup/queries";
import { slugPattern } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { firstValues } from "@/lib/validation/search-params";
import { backUpNowAction, setScheduleAction } from "./actions";

export const metadata: Metadata = { title: "Backups" };

type ScheduleRow = Awaited<ReturnType<typeof backupSchedules>>[number];

const scheduleColumns: Column<ScheduleRow>[] = [
  { key: "instance", header: "Storage instance", className: "font-mono text-xs", cell: (s) => s.storageInstanceId },
  {
    key: "schedule",
    header: "Schedule",
    numeric: true,
    align: "left",
    cell: ({ schedule }) =>
      schedule?.enabled ? `every ${formatDuration(schedule.intervalHours * 3_600_000)}` : <span className="text-muted">not scheduled</span>,
  },
  { key: "strategy", header: "Strategy", cell: ({ schedule }) => (schedule?.enabled ? strategyLabels[schedule.strategy] : "—") },
  {
    key: "kept",
    header: "Kept",
    numeric: true,
    cell: ({ schedule }) => (schedule?.enabled ? countOf(schedule.retentionDays, "day") : "—"),
  },
  {
    key: "lastQueued",
    header: "Last queued",
    numeric: true,
    align: "left",
    className: "text-muted",
    cell: ({ schedule }) => formatDateTime(schedule?.lastQueuedAt),
  },
];

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function BackupsPage({ searchParams }: Props) {
  const user = await requirePagePermission("operations.read");
  const { instance } = firstValues(await searchParams, ["instance"]);
  const instanceFilter = instance && slugPattern.test(instance) ? instance : undefined;
  const db = getDb();
  const [backups, schedules, timings] = await Promise.all([
    listBackups(db, { storageInstanceId: instanceFilter }),
    backupSchedules(db),
    strategyTimings(db),
  ]);
  const options: InstanceOption[] = schedules.map((s) => ({
    id: s.storageInstanceId,
    label: `${s.storageInstanceId} (${s.mode})`,
    schedule: s.schedule,
  }));
  const manage = can(user.role, "backups.manage");
  return (
    <>
      <PageHeader
        title="Backups"
        description="Backups of storage instances: a parallel Scan of the table into the backup store, with a manifest that counts and hashes every tenant's items. Restore one tenant from a backup's page or from the tenant's page."
      />
      <div className="grid gap-4">
        {manage ? (
          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Back up now">
              <BackUpNowForm instances={options} initialInstance={instanceFilter ?? null} action={backUpNowAction} />
            </Panel>
            <Panel title="Schedule">
              <ScheduleForm instances={options} initialInstance={instanceFilter ?? null} action={setScheduleAction} />
            </Panel>
          </div>
        ) : null}
        <div>
          <FilterForm
            action="/backups"
            label="Filter backups"
            clearHref="/backups"
            fields={[
              {
                kind: "select",
                name: "instance",
                label: "Storage instance",
                value: instanceFilter,
                options: options.map((o) => ({ value: o.id, label: o.id })),
              },
            ]}
          />
          <Panel>
            <BackupTable
              backups={backups}
              emptyText={
                instanceFilter
                  ? `No backup of ${instanceFilter} yet.`
                  : manage
                    ? "No backup has been made yet. Back up an instance above, or set a schedule."
                    : "No backup has been made yet."
              }
            />
          </Panel>
        </div>
        <Panel title="Strategies, measured on this fleet">
          <StrategyComparison timings={timings} />
        </Panel>
        <Panel title="Scheduled backups">
          <DataTable
            label="Backup schedules"
            columns={scheduleColumns}
            rows={schedules}
            rowKey={(s) => s.storageInstanceId}
            empty={{ title: "No storage instances", body: "Schedules are set per storage instance; none is provisioned yet." }}
          />
        </Panel>
      </div>
    </>
  );
}
