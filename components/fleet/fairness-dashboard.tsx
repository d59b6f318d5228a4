"use client";

import { BarsChart } from "@/components/charts/bars-chart";
import { capacityColour, planRefusalColour } from "@/components/charts/palette";
import { Sparkline } from "@/components/charts/sparkline";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatCount, formatIndex, formatInteger, formatPercent, formatRatio } from "@/components/ui/format";
import { useLiveView } from "@/components/metrics/use-live-view";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { ViewStatusBar } from "@/components/metrics/view-status-bar";
import { EmptyState } from "@/components/ui/empty-state";
import { ChartPanel, Panel } from "@/components/ui/panel";
import { tierLabels } from "@/lib/catalog/vocabulary";
import type { FairnessView, PoolFairness } from "@/lib/dashboards/fairness-view";
import type { ViewResult } from "@/lib/dashboards/view-result";

const chartedPools = 7;
const spreadDescription =
  "How unevenly the pool's active tenants fare: the 90th over the 10th percentile of consumption over fair share, among tenants that used at least a tenth of their fair share. 1× is even.";

function poolColumns(rangeQuery: string): Column<PoolFairness>[] {
  return [
    {
      key: "pool",
      header: "Pool",
      cell: (p) => (
        <RowLink href={`/instances/${p.id}${rangeQuery}`} className="whitespace-nowrap font-mono text-xs">
          {p.id}
        </RowLink>
      ),
    },
    { key: "tenants", header: "Tenants", numeric: true, cell: (p) => formatInteger(p.tenantCount) },
    {
      key: "trend",
      header: "Jain's index over time",
      className: "py-1",
      cell: (p) => <Sparkline values={p.jainOverTime} max={1} label={`${p.id} Jain's index over the range`} />,
    },
    { key: "jain", header: "Jain's index", numeric: true, cell: (p) => formatIndex(p.jain) },
    {
      key: "spread",
      header: "Spread (p90/p10)",
      description: spreadDescription,
      numeric: true,
      cell: (p) => (
        <span title={`${formatInteger(p.activeTenants)} of ${formatInteger(p.tenantCount)} tenants active`}>{formatRatio(p.spread)}</span>
      ),
    },
    { key: "utilisation", header: "Mean utilisation", numeric: true, cell: (p) => formatPercent(p.utilisationMean) },
  ];
}

export function FairnessDashboard({ initial, rangeQuery }: { initial: ViewResult<FairnessView>; rangeQuery: string }) {
  const { result, failure, updatedAt } = useLiveView(`/api/fairness${rangeQuery}`, initial);
  if (!result.ok) return <DependencyUnavailable dependency={result.dependency} message={result.message} what="fairness across the fleet" />;
  const view = result.view;
  const withDay = view.window.key === "7d" || view.window.key === "24h";
  const least = view.pools.slice(0, chartedPools);
  const overTwice = view.distribution.filter((b) => b.from >= 2).reduce((s, b) => s + b.tenants, 0);
  const meanJain = view.pools.length ? view.pools.reduce((s, p) => s + p.jain, 0) / view.pools.length : NaN;
  return (
    <div className="space-y-4">
      <ViewStatusBar updatedAt={updatedAt} failure={failure} cost={view.cost} periodSeconds={view.window.periodSeconds} />
      {view.pools.length === 0 ? (
        <Panel>
          <EmptyState title="No shared pools">Fairness applies to pools with two or more tenants; none has yet.</EmptyState>
        </Panel>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            {[
              { label: "Shared pools", value: formatCount(view.pools.length) },
              { label: "Mean Jain's index", value: formatIndex(meanJain) },
              { label: "Least fair pool", value: `${formatIndex(view.pools[0]!.jain)}`, detail: view.pools[0]!.id },
              {
                label: "Tenants at ≥ 2× their fair share",
                value: formatCount(overTwice),
                detail: `${formatCount(view.idleTenants)} idle pooled tenants not counted`,
              },
            ].map((stat) => (
              <div key={stat.label} className="rounded-lg border border-border bg-surface px-4 py-3">
                <div className="text-xs text-muted">{stat.label}</div>
                <div className="num mt-0.5 text-2xl font-semibold">{stat.value}</div>
                {stat.detail ? <div className="num mt-0.5 truncate text-xs text-muted">{stat.detail}</div> : null}
              </div>
            ))}
          </div>
          <ChartPanel
            title={
              least.length < view.pools.length ? `Jain's index over time: the ${least.length} least fair pools` : "Jain's index over time"
            }
          >
            <TimeSeriesChart
              title="Jain's index over time for the least fair pools"
              summary={`Jain's index per period for ${least.map((p) => `${p.id} (${formatIndex(p.jain)} over the range)`).join(", ")}. 1 is perfectly fair.`}
              timestamps={view.timestamps}
              withDay={withDay}
              yMax={1}
              formatValue={formatIndex}
              formatTick={formatIndex}
              series={least.map((p, i) => ({ key: `p${i}`, label: p.id, values: p.jainOverTime }))}
            />
          </ChartPanel>
          <div className="grid gap-4 lg:grid-cols-2">
            <ChartPanel title="Refused requests by tier (% of the tier's requests)">
              <BarsChart
                title="Refused requests by tier"
                summary={view.byTier
                  .map(
                    (t) =>
                      `${tierLabels[t.tier]}: ${formatPercent(t.requests ? t.capacityThrottled / t.requests : 0)} refused for capacity, ${formatPercent(t.requests ? t.planThrottled / t.requests : 0)} by plan`,
                  )
                  .join("; ")}
                rows={view.byTier.map((t) => ({
                  category: tierLabels[t.tier],
                  capacity: t.requests ? t.capacityThrottled / t.requests : 0,
                  plan: t.requests ? t.planThrottled / t.requests : 0,
                }))}
                bars={[
                  { key: "capacity", label: "Instance over capacity", stack: "refused", colour: capacityColour },
                  { key: "plan", label: "Tenant's plan", stack: "refused", colour: planRefusalColour },
                ]}
                formatValue={(v) => formatPercent(v, 1)}
              />
            </ChartPanel>
            <ChartPanel title="Consumption against entitlement (pooled tenants)">
              <BarsChart
                title="Distribution of consumption over entitlement"
                summary={view.distribution.map((b) => `${b.label}: ${b.tenants} tenants`).join("; ")}
                rows={view.distribution.map((b) => ({ category: b.label, tenants: b.tenants }))}
                bars={[{ key: "tenants", label: "Tenants", colour: "var(--chart-1)" }]}
                formatValue={(v) => formatCount(v)}
              />
              <p className="px-2 text-xs text-muted">
                Share of the pool&apos;s consumption over fair share (its plan&apos;s rate over the sum of plan rates on its pool). 1× is
                exactly its entitlement.
              </p>
            </ChartPanel>
          </div>
          <Panel title="Pools by fairness, least fair first">
            <DataTable
              label="Pools by fairness"
              columns={poolColumns(rangeQuery)}
              rows={view.pools}
              rowKey={(p) => p.id}
              empty={{ title: "No shared pools", body: "Fairness applies to pools with two or more tenants; none has yet." }}
            />
            <p className="px-4 py-2 text-xs text-muted">
              Spread: the 90th over the 10th percentile of consumption over fair share among the pool&apos;s active tenants (those that used
              at least a tenth of their fair share), so near-idle tenants do not dominate it. 1× is even; a pool whose tenants are starved
              by a loud one reads 10× and more.
            </p>
          </Panel>
        </>
      )}
    </div>
  );
}
