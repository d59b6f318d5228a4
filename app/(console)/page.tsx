import type { Metadata } from "next";
import Link from "next/link";
import { OperationTable } from "@/components/operations/operation-table";
import { Suspense } from "react";
import { FleetOverview } from "@/components/fleet/fleet-overview";
import { MetricsSkeleton } from "@/components/metrics/metrics-skeleton";
import { rangeHref, TimeRangePicker } from "@/components/metrics/time-range-picker";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { ErrorNotice } from "@/components/ui/notice";
import { formatInteger } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { fleetSummary, latestOperations } from "@/lib/catalog/fleet-summary";
import { deploymentModelLabels, tierLabels } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { loadFleetView } from "@/lib/dashboards/fleet-view";
import { loadWatchOverview } from "@/lib/fleet-watch/overview";
import { pageViewContext, type PageViewContext } from "@/lib/dashboards/page-context";
import { settleView } from "@/lib/dashboards/view-result";
import { WatchSummary } from "@/components/findings/watch-summary";
import { latestSnapshot, openFindingCounts } from "@/lib/fleet-watch/queries";

export const metadata: Metadata = { title: "Overview" };

function Stat({ label, value, href }: { label: string; value: number; href?: string }) {
  const body = (
    <>
      <div className="text-xs text-muted">{label}</div>
      <div className="num mt-0.5 text-2xl font-semibold">{formatInteger(value)}</div>
    </>
  );
  return (
    <div className="rounded-lg border border-border bg-surface px-4 py-3">
      {href ? (
        <Link href={href} className="block hover:text-accent">
          {body}
        </Link>
      ) : (
        body
      )}
    </div>
  );
}

interface BreakdownRow {
  label: string;
  value: number;
  href: string;
}

function Breakdown({ title, noun, rows }: { title: string; noun: string; rows: BreakdownRow[] }) {
  const total = rows.reduce((sum, row) => sum + row.value, 0) || 1;
  const columns: Column<BreakdownRow>[] = [
    { key: "label", header: noun, rowHeader: true, cell: (row) => <RowLink href={row.href}>{row.label}</RowLink> },
    {
      key: "share",
      header: "Share",
      className: "w-1/2",
      cell: (row) => (
        <div className="h-1.5 rounded bg-border" aria-hidden>
          <div className="h-1.5 rounded bg-[var(--chart-1)]" style={{ width: `${(row.value / total) * 100}%` }} />
        </div>
      ),
    },
    { key: "tenants", header: "Tenants", numeric: true, cell: (row) => formatInteger(row.value) },
  ];
  return (
    <Panel title={title}>
      <DataTable
        label={title}
        columns={columns}
        rows={rows}
        rowKey={(row) => row.label}
        empty={{ title: "No tenants yet", body: "Onboard a tenant to see the fleet's make-up." }}
      />
    </Panel>
  );
}

async function FleetSection({ context }: { context: PageViewContext }) {
  const db = getDb();
  const result = await settleView(
    Promise.all([loadFleetView(db, context.reader, context.window), loadWatchOverview(db)]).then(([view, watch]) => ({ ...view, watch })),
  );
  return <FleetOverview initial={result} rangeQuery={context.rangeQuery} />;
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OverviewPage({ searchParams }: Props) {
  await requirePagePermission("tenants.read");
  const context = pageViewContext(await searchParams);
  const db = getDb();
  const [summary, operations, watch, openCounts] = await Promise.all([
    fleetSummary(db),
    latestOperations(db),
    latestSnapshot(db),
    openFindingCounts(db),
  ]);
  return (
    <>
      <PageHeader
        title="Overview"
        description="The fleet at a glance: what the fleet watch found, utilisation and refusals from CloudWatch, tenants and operations from the catalog."
        actions={<TimeRangePicker current={context.rangeKey} hrefFor={(key) => rangeHref("/", key)} />}
      />
      <ErrorNotice title="The link's time range was ignored" messages={context.rangeError ? [context.rangeError] : []} />
      <WatchSummary status={watch} openCounts={openCounts} />
      <Suspense key={context.rangeKey} fallback={<MetricsSkeleton label="fleet metrics" />}>
        <FleetSection context={context} />
      </Suspense>
      <h2 className="mb-2 mt-6 text-[15px] font-semibold">Catalog</h2>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        <Stat label="Tenants" value={summary.tenants} href="/tenants" />
        <Stat label="Active tenants" value={summary.status.active} href="/tenants?status=active" />
        <Stat label="Suspended" value={summary.status.suspended} href="/tenants?status=suspended" />
        <Stat label="Being offboarded" value={summary.offboarding} href="/operations?kind=offboard" />
        <Stat label="Offboarded" value={summary.status.offboarded} href="/tenants?status=offboarded" />
        <Stat label="Pool instances" value={summary.instances.pool} href="/instances" />
        <Stat label="Silo instances" value={summary.instances.silo} href="/instances" />
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Breakdown
          title="Tenants by tier"
          noun="Tier"
          rows={Object.entries(summary.tier).map(([tier, value]) => ({
            label: tierLabels[tier as keyof typeof tierLabels],
            value,
            href: `/tenants?tier=${tier}`,
          }))}
        />
        <Breakdown
          title="Tenants by deployment model"
          noun="Model"
          rows={Object.entries(summary.model).map(([model, value]) => ({
            label: deploymentModelLabels[model as keyof typeof deploymentModelLabels],
            value,
            href: `/tenants?model=${model}`,
          }))}
        />
        <Breakdown
          title="Tenants by status"
          noun="Status"
          rows={Object.entries(summary.status).map(([status, value]) => ({ label: status, value, href: `/tenants?status=${status}` }))}
        />
      </div>
      <Panel
        title="Latest operations"
        className="mt-4"
        actions={
          <Link href="/operations" className="text-xs text-accent hover:underline">
            All operations
          </Link>
        }
      >
        <OperationTable
          operations={operations}
          emptyText="Onboarding, plan changes, migrations and restores will be listed here as they run."
        />
      </Panel>
    </>
  );
}
