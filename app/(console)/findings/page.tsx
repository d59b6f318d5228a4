import type { Metadata } from "next";
import { FindingsTable } from "@/components/findings/findings-table";
import { WatcherNotice, WatchStatusLine } from "@/components/findings/watch-status";
import { FilterForm } from "@/components/ui/filter-form";
import { countOf, formatDateTime } from "@/components/ui/format";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import {
  findingFiltersQuery,
  findingKindLabels,
  findingKinds,
  findingSeverities,
  findingStatusLabels,
  findingStatuses,
  isFiltered,
  parseFindingFilters,
  recentDays,
} from "@/lib/fleet-watch/finding-filters";
import { latestSnapshot, listFindings, type WatchStatus } from "@/lib/fleet-watch/queries";
import { RemediationSettings } from "@/components/findings/remediation-settings";
import { can } from "@/lib/auth/permissions";
import { remediationLabels, severities } from "@/lib/fleet-watch/policy";
import { loadWatchSettingsView } from "@/lib/fleet-watch/settings";
import { updateWatchSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Findings" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function emptyState(status: WatchStatus, filtered: boolean, total: number, pageCount: number) {
  if (total > 0) return { title: "Past the last page", body: `The list has ${countOf(pageCount, "page")} with these filters.` };
  if (filtered) return { title: "No finding matches these filters", body: "Clear a filter, or look at resolved ones too." };
  if (status.state === "never")
    return {
      title: "The watcher has not run yet",
      body: "It evaluates the fleet every minute beside the operations worker; what it finds is listed here.",
    };
  return {
    title: "No open findings",
    body: status.evaluatedAt
      ? `The watcher last evaluated the fleet at ${formatDateTime(status.evaluatedAt)} and found nothing wrong; nothing resolved in the last ${recentDays} days either.`
      : "The watcher has not finished an evaluation yet.",
  };
}

export default async function FindingsPage({ searchParams }: Props) {
  const user = await requirePagePermission("tenants.read");
  const { filters, errors } = parseFindingFilters(await searchParams);
  const db = getDb();
  const [page, status, settings] = await Promise.all([listFindings(db, filters), latestSnapshot(db), loadWatchSettingsView(db)]);
  const filtered = isFiltered(filters);
  return (
    <>
      <PageHeader
        title="Findings"
        description={`What the watcher found wrong in the fleet (noisy neighbours, instances under pressure, unfair pools), since when, and what it recommends. Open findings first, then those resolved in the last ${recentDays} days.`}
      />
      <ErrorNotice title="Some of the link's filters were ignored" messages={errors} />
      <WatcherNotice status={status} />
      <FilterForm
        action="/findings"
        label="Filter the findings"
        clearHref="/findings"
        fields={[
          {
            kind: "select",
            name: "status",
            label: "Status",
            value: filters.status,
            options: findingStatuses.map((s) => ({ value: s, label: findingStatusLabels[s] })),
          },
          {
            kind: "select",
            name: "severity",
            label: "Severity",
            value: filters.severity,
            options: [...findingSeverities].reverse().map((s) => ({ value: s, label: s })),
          },
          {
            kind: "select",
            name: "kind",
            label: "Kind",
            value: filters.kind,
            options: findingKinds.map((k) => ({ value: k, label: findingKindLabels[k] })),
          },
          {
            kind: "text",
            name: "instance",
            label: "Storage instance",
            value: filters.instance,
            maxLength: 63,
            placeholder: "pool-use1-02",
          },
          { kind: "text", name: "tenant", label: "Tenant", value: filters.tenant, maxLength: 63, placeholder: "tenant id" },
        ]}
      />
      <Panel
        title={
          filters.status === "open"
            ? `Open findings (${page.total})`
            : filters.status === "resolved"
              ? `Resolved findings (${page.total})`
              : `Open and recently resolved (${page.total})`
        }
        actions={<WatchStatusLine status={status} />}
      >
        <FindingsTable
          label="Findings"
          rows={page.rows}
          nowMs={page.readAtMs}
          paging={{ total: page.total, offset: (page.page - 1) * page.pageSize }}
          empty={emptyState(status, filtered, page.total, page.pageCount)}
        />
        {page.total > page.pageSize || page.page > 1 ? (
          <Pagination
            page={page.page}
            pageCount={page.pageCount}
            total={page.total}
            size={page.pageSize}
            noun="findings"
            hrefFor={(p) => `/findings${findingFiltersQuery(filters, { page: p })}`}
          />
        ) : null}
      </Panel>
      <details className="mt-4 rounded-lg border border-border bg-surface">
        <summary className="cursor-pointer px-4 py-2.5 text-[13px]">
          <span className="font-semibold">Remediation settings</span>{" "}
          <span className="text-muted">
            {settings.proposalsOff
              ? "proposals are off (kill switch)"
              : severities.map((s) => `${s}: ${remediationLabels[settings.remediation[s]].toLowerCase()}`).join(" · ")}
          </span>
        </summary>
        <div className="border-t border-border">
          <RemediationSettings settings={settings} canConfigure={can(user.role, "findings.configure")} action={updateWatchSettingsAction} />
        </div>
      </details>
    </>
  );
}
