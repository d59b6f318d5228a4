"use client";

import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { refusedSeries } from "@/components/charts/metric-series";
import { formatCount, formatIndex, formatInteger, formatPercent, formatRate, formatRatio } from "@/components/ui/format";
import { useLiveView } from "@/components/metrics/use-live-view";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { ViewStatusBar } from "@/components/metrics/view-status-bar";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { ChartPanel, Panel } from "@/components/ui/panel";
import type { FleetInstance, FleetView, NoisyTenantView } from "@/lib/dashboards/fleet-view";
import type { ViewResult } from "@/lib/dashboards/view-result";
import { SeverityBadge } from "./severity";

const shownInstances = 12;

function flaggedColumns(rangeQuery: string): Column<NoisyTenantView>[] {
  return [
    {
      key: "tenant",
      header: "Tenant",
      cell: (n) => (
        <>
          <RowLink href={`/tenants/${n.tenantId}${rangeQuery}`} dir="auto">
            {n.tenantName}
          </RowLink>
          <div className="font-mono text-[11px] text-muted">{n.storageInstanceId}</div>
        </>
      ),
    },
    { key: "severity", header: "Severity", cell: (n) => <SeverityBadge severity={n.severity} /> },
    { key: "peak", header: "Peak share", numeric: true, cell: (n) => `${formatRatio(n.peakRatio)} fair` },
    { key: "victims", header: "Victims", numeric: true, cell: (n) => formatInteger(n.victims.length) },
  ];
}

function instanceColumns(rangeQuery: string): Column<FleetInstance>[] {
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
      description: "Jain's fairness index over consumption / entitlement: 1 is perfectly fair, 1/n is one tenant taking all.",
      numeric: true,
      cell: (i) => formatIndex(i.jain),
    },
    { key: "maxMin", header: "Max/min", numeric: true, cell: (i) => formatRatio(i.maxMinRatio) },
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

export function FleetOverview({ initial, rangeQuery }: { initial: ViewResult<FleetView>; rangeQuery: string }) {
  const { result, failure, updatedAt } = useLiveView(`/api/fleet${rangeQuery}`, initial);
  if (!result.ok)
    return (
      <DependencyUnavailable dependency={result.dependency} message={result.message} what="utilisation, fairness and noisy neighbours" />
    );
  const view = result.view;
  const pools = view.instances.filter((i) => i.jain !== null);
  const worstPool = pools.reduce<(typeof pools)[number] | null>((w, p) => (w === null || p.jain! < w.jain! ? p : w), null);
  const hot = view.instances.filter((i) => i.utilisationPeak >= 0.8);
  const victims = new Set(view.noisy.flatMap((n) => n.victims.map((v) => v.tenantId)));
  const requests = view.instances.reduce((s, i) => s + i.requests, 0);
  const capacityRefused = view.instances.reduce((s, i) => s + i.capacityThrottled, 0);
  const planRefused = view.instances.reduce((s, i) => s + i.throttled - i.capacityThrottled, 0);
  const busiest = [...view.instances].sort((a, b) => b.utilisationPeak - a.utilisationPeak).slice(0, shownInstances);
  const withDay = view.window.key === "7d" || view.window.key === "24h";
  const critical = view.noisy.filter((n) => n.severity === "critical").length;

  return (
    <div className="space-y-4">
      <ViewStatusBar updatedAt={updatedAt} failure={failure} cost={view.cost} periodSeconds={view.window.periodSeconds} />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <Stat
          label="Noisy tenants flagged"
          value={formatCount(view.noisy.length)}
          detail={critical ? `${critical} critical` : "none critical"}
          href={`/noisy-neighbours${rangeQuery}`}
          tone={critical ? "danger" : view.noisy.length ? "warning" : undefined}
        />
        <Stat
          label="Co-tenants hurt"
          value={formatCount(victims.size)}
          detail="refused or slowed by a flagged tenant"
          href={`/noisy-neighbours${rangeQuery}`}
        />
        <Stat
          label="Least fair pool (Jain's index)"
          value={formatIndex(worstPool?.jain)}
          detail={worstPool?.id ?? "no shared pools"}
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
          title="Flagged noisy neighbours"
          className="lg:col-span-2"
          actions={
            <Link href={`/noisy-neighbours${rangeQuery}`} className="text-xs text-accent hover:underline">
              All flagged tenants
            </Link>
          }
        >
          <DataTable
            label="Flagged noisy neighbours"
            columns={flaggedColumns(rangeQuery)}
            rows={view.noisy.slice(0, 6)}
            rowKey={(n) => `${n.storageInstanceId}/${n.tenantId}`}
            empty={{
              title: "No noisy neighbours in this range",
              body: "No tenant stayed over its fair share while co-tenants were refused or slowed.",
            }}
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
          columns={instanceColumns(rangeQuery)}
          rows={busiest}
          rowKey={(i) => i.id}
          empty={{ title: "No storage instances", body: "Pools and silos appear here when they are provisioned." }}
        />
      </Panel>
    </div>
  );
}
