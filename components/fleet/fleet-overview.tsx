"use client";

import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { refusedSeries } from "@/components/charts/metric-series";
import { formatCount, formatIndex, formatInteger, formatPercent, formatRate } from "@/components/ui/format";
import { useLiveView } from "@/components/metrics/use-live-view";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { ViewStatusBar } from "@/components/metrics/view-status-bar";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { ChartPanel, Panel } from "@/components/ui/panel";
import type { FleetInstance, FleetView } from "@/lib/dashboards/fleet-view";
import type { OpenFindingRow, WatchOverview } from "@/lib/fleet-watch/overview";
import type { ViewResult } from "@/lib/dashboards/view-result";
import { SeverityBadge } from "./severity";

const shownInstances = 12;

/** The overview's view: the instances' totals from CloudWatch, and the fleet watch's findings and snapshot from the catalog. */
export type OverviewView = FleetView & { watch: WatchOverview };

const kindLabels: Record<OpenFindingRow["kind"], string> = {
  noisy_neighbour: "Noisy neighbour",
  instance_pressure: "Instance under pressure",
  unfair_pool: "Unfair pool",
};

function sinceLabel(sinceMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.round((nowMs - sinceMs) / 60_000));
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

function findingColumns(rangeQuery: string, nowMs: number): Column<OpenFindingRow>[] {
  return [
    {
      key: "finding",
      header: "Finding",
      cell: (f) => (
        <>
          <RowLink href={`/findings/${f.id}`}>{kindLabels[f.kind]}</RowLink>
          <div className="font-mono text-[11px] text-muted">
            {f.tenantId ? (
              <Link href={`/tenants/${f.tenantId}${rangeQuery}`} className="hover:text-accent" dir="auto">
                {f.tenantName}
              </Link>
            ) : null}
            {f.tenantId && f.storageInstanceId ? " · " : null}
            {f.storageInstanceId}
          </div>
        </>
      ),
    },
    { key: "severity", header: "Severity", cell: (f) => <SeverityBadge severity={f.severity} /> },
    { key: "since", header: "For", numeric: true, cell: (f) => sinceLabel(f.sinceMs, nowMs) },
    { key: "victims", header: "Victims", numeric: true, cell: (f) => (f.kind === "noisy_neighbour" ? formatInteger(f.victims) : "—") },
  ];
}

function instanceColumns(rangeQuery: string, jainOf: (id: string) => number | null): Column<FleetInstance>[] {
  return [
    {
      key: "instance",
      header: "Instance",
      cell: (i) => (
        <>
          <RowLink href={`/instances/${i.id}${rangeQuery}`} className="font-mono text-xs">
            {i.id}
          </RowLink>
          <span className="ml-2 text-xs text-muted">{i.mode}</span>
        </>
      ),
    },
    { key: "tenants", header: "Tenants", numeric: true, cell: (i) => formatInteger(i.tenantCount) },
    {
      key: "trend",
      header: "Utilisation (busier of read/write)",
      className: "py-1",
      cell: (i) => (
        <Sparkline
          values={i.utilisation}
          limit={1}
          label={`${i.id} utilisation over the range, peak ${formatPercent(i.utilisationPeak)}`}
        />
      ),
    },
    { key: "mean", header: "Mean", numeric: true, cell: (i) => formatPercent(i.utilisationMean) },
    {
      key: "peak",
      header: "Peak",
      numeric: true,
      cell: (i) => (
        <span className={i.utilisationPeak >= 1 ? "font-semibold text-danger" : i.utilisationPeak >= 0.8 ? "text-warning" : undefined}>
          {formatPercent(i.utilisationPeak)}
        </span>
      ),
    },
    {
      key: "jain",
      header: "Jain's index",
      description:
        "Jain's fairness index over consumption / entitlement in the last hour, from the fleet watch: 1 is perfectly fair, 1/n is one tenant taking all.",
      numeric: true,
      cell: (i) => formatIndex(jainOf(i.id)),
    },
    {
      key: "refused",
      header: "Capacity refusals",
      numeric: true,
      cell: (i) => (i.requests ? formatPercent(i.capacityThrottled / i.requests) : "—"),
    },
  ];
}

function Stat({
  label,
  value,
  detail,
  href,
  tone,
}: {
  label: string;
  value: string;
  detail?: string;
  href?: string;
  tone?: "danger" | "warning";
}) {
  const body = (
    <>
      <div className="text-xs text-muted">{label}</div>
      <div className={`num mt-0.5 text-2xl font-semibold ${tone === "danger" ? "text-danger" : tone === "warning" ? "text-warning" : ""}`}>
        {value}
      </div>
      {detail ? <div className="num mt-0.5 truncate text-xs text-muted">{detail}</div> : null}
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

export function FleetOverview({ initial, rangeQuery }: { initial: ViewResult<OverviewView>; rangeQuery: string }) {
  const { result, failure, updatedAt } = useLiveView(`/api/fleet${rangeQuery}`, initial);
  if (!result.ok) return <DependencyUnavailable dependency={result.dependency} message={result.message} what="utilisation and refusals" />;
  const view = result.view;
  const watch = view.watch;
  const snapshotOf = new Map((watch.snapshot?.instances ?? []).map((i) => [i.id, i]));
  const jainOf = (id: string) => snapshotOf.get(id)?.jain ?? null;
  const pools = [...snapshotOf.values()].filter((i) => i.jain !== null);
  const worstPool = pools.reduce<(typeof pools)[number] | null>((w, p) => (w === null || p.jain! < w.jain! ? p : w), null);
  const hot = view.instances.filter((i) => i.utilisationPeak >= 0.8);
  const requests = view.instances.reduce((s, i) => s + i.requests, 0);
  const capacityRefused = view.instances.reduce((s, i) => s + i.capacityThrottled, 0);
  const planRefused = view.instances.reduce((s, i) => s + i.throttled - i.capacityThrottled, 0);
  const busiest = [...view.instances].sort((a, b) => b.utilisationPeak - a.utilisationPeak).slice(0, shownInstances);
  const withDay = view.window.key === "7d" || view.window.key === "24h";
  const openTotal = watch.openCount.critical + watch.openCount.major + watch.openCount.minor;
  const nowMs = updatedAt || view.window.range.endMs;

  return (
    <div className="space-y-4">
      <ViewStatusBar updatedAt={updatedAt} failure={failure} cost={view.cost} periodSeconds={view.window.periodSeconds} />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <Stat
          label="Open findings"
          value={formatCount(openTotal)}
          detail={`${watch.openCount.critical} critical · ${watch.openCount.major} major · ${watch.openCount.minor} minor`}
          href="/findings"
          tone={watch.openCount.critical ? "danger" : openTotal ? "warning" : undefined}
        />
        <Stat
          label="Co-tenants hurt"
          value={formatCount(watch.victims)}
          detail="refused or slowed by a noisy neighbour now"
          href="/findings?kind=noisy_neighbour"
        />
        <Stat
          label="Least fair pool (Jain's index)"
          value={formatIndex(worstPool?.jain)}
          detail={worstPool?.id ?? (watch.snapshot ? "no shared pool evaluated yet" : "the fleet watch has not run yet")}
          href={worstPool ? `/instances/${worstPool.id}${rangeQuery}` : undefined}
          tone={worstPool && worstPool.jain! < 0.5 ? "warning" : undefined}
        />
        <Stat
          label="Instances at ≥ 80% at peak"
          value={formatCount(hot.length)}
          detail={`of ${view.instances.length} instances`}
          tone={hot.length ? "warning" : undefined}
        />
        <Stat
          label="Requests refused"
          value={formatPercent(requests ? (capacityRefused + planRefused) / requests : 0)}
          detail={`capacity ${formatPercent(requests ? capacityRefused / requests : 0)} · plans ${formatPercent(requests ? planRefused / requests : 0)}`}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-5">
        <ChartPanel title="Refused requests across the fleet (per second)" className="lg:col-span-3">
          <TimeSeriesChart
            title="Refused requests across the fleet"
            summary={`Requests refused per second over the ${view.window.key} range, split into refusals by instance capacity and by tenants' own throttling plans.`}
            timestamps={view.timestamps}
            withDay={withDay}
            formatValue={(v) => formatRate(v, "/s")}
            series={refusedSeries(
              view.throttling.throttled,
              view.throttling.capacityThrottled,
              view.window.periodSeconds,
              "Tenant's plan (rate, burst, quota)",
            )}
          />
        </ChartPanel>
        <Panel
          title="Open findings"
          className="lg:col-span-2"
          actions={
            <Link href="/findings" className="text-xs text-accent hover:underline">
              All findings
            </Link>
          }
        >
          <DataTable
            label="Open findings"
            columns={findingColumns(rangeQuery, nowMs)}
            rows={watch.open}
            rowKey={(f) => f.id}
            empty={
              watch.evaluatedAtMs === null
                ? { title: "The fleet has not been evaluated yet", body: "The fleet watch runs in the operations worker, once a minute." }
                : {
                    title: "Nothing wrong right now",
                    body: "No noisy neighbour, instance under pressure or unfair pool at the last evaluation.",
                  }
            }
          />
        </Panel>
      </div>
      <Panel
        title={`Busiest storage instances (${Math.min(shownInstances, view.instances.length)} of ${view.instances.length})`}
        actions={
          <Link href="/instances" className="text-xs text-accent hover:underline">
            All instances
          </Link>
        }
      >
        <DataTable
          label="Busiest storage instances"
          columns={instanceColumns(rangeQuery, jainOf)}
          rows={busiest}
          rowKey={(i) => i.id}
          empty={{ title: "No storage instances", body: "Pools and silos appear here when they are provisioned." }}
        />
      </Panel>
    </div>
  );
}
