import type { Metadata } from "next";
import { BackUpNowForm, ScheduleForm, type InstanceOption } from "@/components/backups/backup-forms";
import { BackupTable, StrategyComparison } from "@/components/backups/backup-views";
import { FilterForm } from "@/components/ui/filter-form";
import { formatDateTime } from "@/components/ui/format";
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
              <ScheduleForm instances={options} action={setScheduleAction} />
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
          <div className="overflow-x-auto">
            <table className="w-full text-[13px]" aria-label="Backup schedules">
              <thead className="border-b border-border bg-surface-2 text-muted">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Storage instance
                  </th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Schedule
                  </th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Strategy
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Kept
                  </th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Last queued
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-border">
                {schedules.map(({ storageInstanceId, schedule }) => (
                  <tr key={storageInstanceId}>
                    <td className="px-3 py-1.5 font-mono text-xs">{storageInstanceId}</td>
                    <td className="num px-3 py-1.5">
                      {schedule?.enabled ? `every ${schedule.intervalHours} h` : <span className="text-muted">not scheduled</span>}
                    </td>
                    <td className="px-3 py-1.5">{schedule?.enabled ? strategyLabels[schedule.strategy] : "—"}</td>
                    <td className="num px-3 py-1.5 text-right">{schedule?.enabled ? `${schedule.retentionDays} d` : "—"}</td>
                    <td className="num px-3 py-1.5 text-muted">{schedule?.lastQueuedAt ? formatDateTime(schedule.lastQueuedAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      </div>
    </>
  );
}
