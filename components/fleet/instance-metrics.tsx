"use client";

import { latencySeries, refusedSeries } from "@/components/charts/metric-series";
import { capacityColour, neutralColour } from "@/components/charts/palette";
import { TimeSeriesChart, type ChartAnnotation, type ChartSeries } from "@/components/charts/time-series-chart";
import { formatCount, formatIndex, formatMs, formatPercent, formatRate, formatRatio } from "@/components/ui/format";
import { useLiveView } from "@/components/metrics/use-live-view";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { ViewStatusBar } from "@/components/metrics/view-status-bar";
import { TierBadge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ChartPanel, Panel } from "@/components/ui/panel";
import type { InstanceView, StackedSeries } from "@/lib/dashboards/instance-view";
import type { ViewResult } from "@/lib/dashboards/view-result";
import type { TenantFairness } from "@/lib/fairness/fairness";
import { NoisyTenantCard } from "./noisy-tenant-card";

function stackedSeries(series: StackedSeries[]): ChartSeries[] {
  // Keys are positional (tenant ids may contain characters Recharts reads as paths); labels carry the names.
  return series.map((s, i) => ({
    key: `s${i}`,
    label: s.label,
    values: s.values,
    kind: "area",
    stack: "tenants",
    colour: s.tenantId === null ? neutralColour : undefined,
  }));
}

function ShareBar({ share, fairShare }: { share: number; fairShare: number }) {
  const scale = Math.max(share, fairShare, 1e-9);
  const max = Math.min(1, scale * 1.15);
  return (
    <div className="relative h-2 w-28 rounded bg-surface-2" aria-hidden>
      <div className="absolute inset-y-0 left-0 rounded bg-[var(--chart-1)]" style={{ width: `${(share / max) * 100}%` }} />
      <div className="absolute inset-y-[-3px] w-0.5 bg-fg" style={{ left: `${(fairShare / max) * 100}%` }} />
    </div>
  );
}

export function InstanceMetrics({
  initial,
  instanceId,
  rangeQuery,
  annotations = [],
}: {
  initial: ViewResult<InstanceView>;
  instanceId: string;
  rangeQuery: string;
  /** Operations that touched the instance in the range, drawn on its charts. */
  annotations?: readonly ChartAnnotation[];
}) {
  const { result, failure, updatedAt } = useLiveView(`/api/instances/${instanceId}/metrics${rangeQuery}`, initial);
  if (!result.ok)
    return (
      <DependencyUnavailable
        dependency={result.dependency}
        message={result.message}
        what="this instance's consumption, fairness and noisy neighbours"
      />
    );
  const view = result.view;
  const withDay = view.window.key === "7d" || view.window.key === "24h";
  const period = view.window.periodSeconds;
  const names = new Map(view.tenants.map((t) => [t.id, t]));
  const measured = view.totals.requests.some((v) => v > 0);
  const fairnessRows = [...(view.fairness?.tenants ?? [])].sort((a, b) => b.ratio - a.ratio);
  const flagged = new Set(view.noisy.map((n) => n.tenantId));
  const fairnessColumns: Column<TenantFairness>[] = [
    {
      key: "tenant",
      header: "Tenant",
      cell: (t) => (
        <>
          <RowLink href={`/tenants/${t.tenantId}${rangeQuery}`} dir="auto">
            {names.get(t.tenantId)?.name ?? t.tenantId}
          </RowLink>
          {flagged.has(t.tenantId) ? <span className="ml-2 text-xs font-medium text-warning">noisy</span> : null}
        </>
      ),
    },
    {
      key: "tier",
      header: "Tier",
      cell: (t) => {
        const tenant = names.get(t.tenantId);
        return tenant ? <TierBadge tier={tenant.tier} /> : null;
      },
    },
    {
      key: "bar",
      header: "Share against fair share",
      headerHidden: true,
      cell: (t) => <ShareBar share={t.share} fairShare={t.fairShare} />,
    },
    { key: "share", header: "Share", numeric: true, cell: (t) => formatPercent(t.share, 1) },
    {
      key: "fairShare",
      header: "Fair share",
      description: "Its plan's rate over the sum of the plan rates on this instance",
      numeric: true,
      cell: (t) => formatPercent(t.fairShare, 1),
    },
    {
      key: "ratio",
      header: "Share / fair",
      description: "Share / fair share: 1 is exactly its entitlement",
      numeric: true,
      cell: (t) => (
        <span className={t.ratio >= view.detection.shareMultiple ? "font-semibold text-warning" : undefined}>{formatRatio(t.ratio)}</span>
      ),
    },
    { key: "requests", header: "Requests", numeric: true, cell: (t) => formatCount(t.requests, "req") },
    { key: "refused", header: "Refused (capacity)", numeric: true, cell: (t) => formatPercent(t.capacityThrottleRatio) },
    { key: "p99", header: "Worst p99", numeric: true, cell: (t) => formatMs(t.latencyP99Max) },
  ];

  return (
    <div className="space-y-4">
      <ViewStatusBar updatedAt={updatedAt} failure={failure} cost={view.cost} periodSeconds={period} />
      {!measured ? (
        <Panel>
          <EmptyState title="No metrics for this instance in this range">
            Nothing was published for it yet: a new instance, or its tenants made no requests. Try a longer range.
          </EmptyState>
        </Panel>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-2">
        <ChartPanel title="Write capacity units by tenant (WCU/s)">
          <TimeSeriesChart
            title={`Write capacity units per second on ${view.instance.id}, stacked by tenant`}
            summary={`Stacked write units per second of the ${view.writeUnits.length} largest consumers against the instance's ${view.instance.writeUnitsPerSec} write units per second.`}
            timestamps={view.timestamps}
            withDay={withDay}
            annotations={annotations}
            formatValue={(v) => formatRate(v, "WCU/s")}
            series={stackedSeries(view.writeUnits)}
            references={[
              {
                y: view.instance.writeUnitsPerSec,
                label: `capacity ${formatCount(view.instance.writeUnitsPerSec)} WCU/s`,
                colour: capacityColour,
              },
            ]}
          />
        </ChartPanel>
        <ChartPanel title="Read capacity units by tenant (RCU/s)">
          <TimeSeriesChart
            title={`Read capacity units per second on ${view.instance.id}, stacked by tenant`}
            summary={`Stacked read units per second against the instance's ${view.instance.readUnitsPerSec} read units per second.`}
            timestamps={view.timestamps}
            withDay={withDay}
            annotations={annotations}
            formatValue={(v) => formatRate(v, "RCU/s")}
            series={stackedSeries(view.readUnits)}
            references={[
              {
                y: view.instance.readUnitsPerSec,
                label: `capacity ${formatCount(view.instance.readUnitsPerSec)} RCU/s`,
                colour: capacityColour,
              },
            ]}
          />
        </ChartPanel>
        <ChartPanel title="Refused requests (per second)">
          <TimeSeriesChart
            title={`Requests refused per second on ${view.instance.id}`}
            summary="Requests refused because the instance was over capacity, and by tenants' own plans."
            timestamps={view.timestamps}
            withDay={withDay}
            annotations={annotations}
            height={180}
            formatValue={(v) => formatRate(v, "/s")}
            series={refusedSeries(view.totals.throttled, view.totals.capacityThrottled, period)}
          />
        </ChartPanel>
        <ChartPanel title="Latency (ms)">
          <TimeSeriesChart
            title={`Request latency on ${view.instance.id}`}
            summary="Median (p50) and 99th percentile (p99) latency of requests served by the instance."
            timestamps={view.timestamps}
            withDay={withDay}
            annotations={annotations}
            height={180}
            formatValue={formatMs}
            series={latencySeries(view.totals.p50, view.totals.p99)}
          />
        </ChartPanel>
      </div>
      {view.fairness ? (
        <Panel
          title="Share of consumption against fair share"
          actions={
            <span className="num text-xs text-muted">
              Jain&apos;s index {formatIndex(view.fairness.jain)} ·{" "}
              <abbr title="90th over 10th percentile of consumption over fair share, among tenants that used at least a tenth of their fair share">
                spread (p90/p10)
              </abbr>{" "}
              {formatRatio(view.fairness.spread.ratio)} · mean utilisation {formatPercent(view.fairness.utilisationMean)}
            </span>
          }
        >
          <DataTable
            label="Share of consumption against fair share"
            columns={fairnessColumns}
            rows={fairnessRows}
            rowKey={(t) => t.tenantId}
            rowClassName={(t) => (flagged.has(t.tenantId) ? "bg-warning-soft/40" : undefined)}
            empty={{ title: "No consumption in this range", body: "None of its tenants made a request in this range." }}
          />
        </Panel>
      ) : (
        <p className="text-[13px] text-muted">
          {view.instance.mode === "silo"
            ? "A silo holds one tenant: shares and fairness do not apply."
            : "Fewer than two tenants: shares and fairness do not apply."}
        </p>
      )}
      {view.fairness ? (
        <section aria-labelledby="flagged-heading">
          <h2 id="flagged-heading" className="mb-2 text-[15px] font-semibold">
            Noisy neighbours on {view.instance.id} ({view.noisy.length})
          </h2>
          {view.noisy.length === 0 ? (
            <Panel>
              <EmptyState title="No noisy neighbours in this range">
                No tenant stayed over {formatRatio(view.detection.shareMultiple)} its fair share for {view.detection.sustainedMinutes}{" "}
                minutes while co-tenants were refused or slowed.
              </EmptyState>
            </Panel>
          ) : (
            <div className="space-y-3">
              {view.noisy.map((n) => (
                <NoisyTenantCard
                  key={n.tenantId}
                  noisy={n}
                  timestamps={view.timestamps}
                  detection={view.detection}
                  rangeQuery={rangeQuery}
                  withDay={withDay}
                  showInstance={false}
                />
              ))}
            </div>
          )}
        </section>
      ) : null}
    </div>
  );
}
