"use client";

import Link from "next/link";
import { rangeHref } from "@/components/metrics/time-range-picker";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatCount, formatInteger, formatPercent, formatRatio, formatSpan } from "@/components/ui/format";
import { useLiveView } from "@/components/metrics/use-live-view";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { ViewStatusBar } from "@/components/metrics/view-status-bar";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import type { FleetView, NoisyTenantView } from "@/lib/dashboards/fleet-view";
import { noisyFirstDirection, noisySortQuery, sortNoisy, type NoisySort, type NoisySortDirection } from "@/lib/dashboards/noisy-sort";
import type { TimeRangeKey } from "@/lib/metrics/period";
import type { ViewResult } from "@/lib/dashboards/view-result";
import { NoisyTenantCard } from "./noisy-tenant-card";
import { SeverityBadge } from "./severity";

const actionLabels = {
  migrate_to_silo: "Migrate to its own silo",
  migrate_to_pool: "Migrate to another pool",
  lower_plan: "Lower its plan",
  observe: "Watch",
} as const;

const sortable = (sort: NoisySort) => ({ first: noisyFirstDirection[sort] });

function flaggedColumns(rangeQuery: string): Column<NoisyTenantView>[] {
  return [
    {
      key: "tenant",
      header: "Tenant",
      cell: (n) => (
        <RowLink href={`#noisy-${n.storageInstanceId}-${n.tenantId}`} dir="auto">
          {n.tenantName}
        </RowLink>
      ),
    },
    {
      key: "instance",
      header: "Instance",
      sortable: sortable("instance"),
      cell: (n) => (
        <Link href={`/instances/${n.storageInstanceId}${rangeQuery}`} className="font-mono text-xs text-accent hover:underline">
          {n.storageInstanceId}
        </Link>
      ),
    },
    { key: "severity", header: "Severity", sortable: sortable("severity"), cell: (n) => <SeverityBadge severity={n.severity} /> },
    { key: "peak", header: "Peak share / fair", numeric: true, sortable: sortable("peak"), cell: (n) => formatRatio(n.peakRatio) },
    { key: "victims", header: "Victims", numeric: true, sortable: sortable("victims"), cell: (n) => formatInteger(n.victims.length) },
    { key: "spans", header: "Spans", numeric: true, cell: (n) => formatInteger(n.spans.length) },
    {
      key: "recent",
      header: "Last seen",
      numeric: true,
      align: "left",
      sortable: sortable("recent"),
      cell: (n) => formatSpan(n.spans[n.spans.length - 1]!.startMs, n.lastMs),
    },
    { key: "recommendation", header: "Recommendation", cell: (n) => actionLabels[n.recommendation.action] },
  ];
}

export function NoisyNeighbours({
  initial,
  rangeKey,
  rangeQuery,
  sort,
  dir,
}: {
  initial: ViewResult<FleetView>;
  rangeKey: TimeRangeKey;
  rangeQuery: string;
  sort: NoisySort;
  dir: NoisySortDirection;
}) {
  const { result, failure, updatedAt } = useLiveView(`/api/fleet${rangeQuery}`, initial);
  if (!result.ok) return <DependencyUnavailable dependency={result.dependency} message={result.message} what="noisy-neighbour detection" />;
  const view = result.view;
  const flagged = sortNoisy(view.noisy, sort, dir);
  const columns = flaggedColumns(rangeQuery);
  const withDay = view.window.key === "7d" || view.window.key === "24h";
  return (
    <div className="space-y-4">
      <ViewStatusBar updatedAt={updatedAt} failure={failure} cost={view.cost} periodSeconds={view.window.periodSeconds} />
      <p className="text-[13px] text-muted">
        A tenant is flagged when, for {view.detection.sustainedMinutes} minutes or more, its share of a shared instance stays at{" "}
        {formatRatio(view.detection.shareMultiple)} its fair share or more, it holds at least{" "}
        {formatPercent(view.detection.dominantExcessShare)} of the instance&apos;s consumption above fair share, and co-tenants have{" "}
        {formatPercent(view.detection.victimThrottleRatio)} or more of their requests refused for capacity, or their p99 latency at{" "}
        {formatRatio(view.detection.victimLatencyFactor)} their usual while the instance is at least{" "}
        {formatPercent(view.detection.pressureUtilisation)} busy.
        {` ${formatCount(view.screenedPools)} of ${formatCount(view.instances.filter((i) => i.jain !== null).length)} shared pools had a tenant over that share long enough to check.`}
      </p>
      {flagged.length === 0 ? (
        <Panel>
          <EmptyState title="No noisy neighbours in this range">
            No tenant stayed over its fair share while its co-tenants were refused or slowed. Try a longer range.
          </EmptyState>
        </Panel>
      ) : (
        <>
          <Panel title={`Flagged tenants (${flagged.length})`}>
            <DataTable
              label="Flagged noisy neighbours"
              columns={columns}
              rows={flagged}
              rowKey={(n) => `${n.storageInstanceId}/${n.tenantId}`}
              sort={{
                key: sort,
                dir,
                hrefFor: (key, next) => rangeHref("/noisy-neighbours", rangeKey, noisySortQuery(key as NoisySort, next)),
              }}
              empty={{ title: "No noisy neighbours in this range", body: "Try a longer range." }}
            />
          </Panel>
          <div className="space-y-3">
            {flagged.map((n) => (
              <div key={`${n.storageInstanceId}/${n.tenantId}`} id={`noisy-${n.storageInstanceId}-${n.tenantId}`} className="scroll-mt-4">
                <NoisyTenantCard
                  noisy={n}
                  timestamps={view.timestamps}
                  detection={view.detection}
                  rangeQuery={rangeQuery}
                  withDay={withDay}
                />
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
