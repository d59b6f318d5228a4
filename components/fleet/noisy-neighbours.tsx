"use client";

import Link from "next/link";
import { formatCount, formatRatio, formatSpan } from "@/components/metrics/format";
import { useLiveView } from "@/components/metrics/use-live-view";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { ViewStatusBar } from "@/components/metrics/view-status-bar";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import type { FleetView } from "@/lib/dashboards/fleet-view";
import { noisySorts, sortNoisy, type NoisySort } from "@/lib/dashboards/noisy-sort";
import type { ViewResult } from "@/lib/dashboards/view-result";
import { NoisyTenantCard } from "./noisy-tenant-card";
import { SeverityBadge } from "./severity";

const actionLabels = {
  migrate_to_silo: "Migrate to its own silo",
  migrate_to_pool: "Migrate to another pool",
  lower_plan: "Lower its plan",
  observe: "Watch",
} as const;

export function NoisyNeighbours({
  initial,
  rangeQuery,
  sort,
  sortHref,
}: {
  initial: ViewResult<FleetView>;
  rangeQuery: string;
  sort: NoisySort;
  sortHref: Record<NoisySort, string>;
}) {
  const { result, failure, updatedAt } = useLiveView(`/api/fleet${rangeQuery}`, initial);
  if (!result.ok) return <DependencyUnavailable dependency={result.dependency} message={result.message} what="noisy-neighbour detection" />;
  const view = result.view;
  const flagged = sortNoisy(view.noisy, sort);
  const withDay = view.window.key === "7d" || view.window.key === "24h";
  const sortable = (key: NoisySort, label: string, align = "text-left") => (
    <th className={`px-2 py-1.5 font-medium ${align}`} aria-sort={sort === key ? "descending" : undefined}>
      <Link href={sortHref[key]} scroll={false} className={sort === key ? "text-fg underline" : "hover:text-fg hover:underline"}>
        {label}
        {sort === key ? <span aria-hidden> ↓</span> : null}
      </Link>
    </th>
  );
  return (
    <div className="space-y-4">
      <ViewStatusBar updatedAt={updatedAt} failure={failure} cost={view.cost} periodSeconds={view.window.periodSeconds} />
      <p className="text-[13px] text-muted">
        A tenant is flagged when, for {view.detection.sustainedMinutes} minutes or more, its share of a shared instance stays at{" "}
        {formatRatio(view.detection.shareMultiple)} its fair share or more, it holds at least{" "}
        {Math.round(view.detection.dominantExcessShare * 100)}% of the instance&apos;s consumption above fair share, and co-tenants have{" "}
        {Math.round(view.detection.victimThrottleRatio * 100)}% or more of their requests refused for capacity, or their p99 latency at{" "}
        {formatRatio(view.detection.victimLatencyFactor)} their usual while the instance is at least{" "}
        {Math.round(view.detection.pressureUtilisation * 100)}% busy.
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
            <div className="overflow-x-auto">
              <table className="w-full text-[13px]">
                <caption className="sr-only">Flagged noisy neighbours, sorted by {noisySorts[sort].toLowerCase()}</caption>
                <thead className="text-left text-xs text-muted">
                  <tr className="border-b border-border">
                    <th className="px-4 py-1.5 font-medium">Tenant</th>
                    {sortable("instance", "Instance")}
                    {sortable("severity", "Severity")}
                    {sortable("peak", "Peak share / fair", "text-right")}
                    {sortable("victims", "Victims", "text-right")}
                    <th className="px-2 py-1.5 text-right font-medium">Spans</th>
                    {sortable("recent", "Last seen")}
                    <th className="px-4 py-1.5 font-medium">Recommendation</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-border">
                  {flagged.map((n) => (
                    <tr key={`${n.storageInstanceId}/${n.tenantId}`}>
                      <td className="px-4 py-1.5">
                        <a href={`#noisy-${n.storageInstanceId}-${n.tenantId}`} className="text-accent hover:underline" dir="auto">
                          {n.tenantName}
                        </a>
                      </td>
                      <td className="px-2 py-1.5">
                        <Link
                          href={`/instances/${n.storageInstanceId}${rangeQuery}`}
                          className="font-mono text-xs text-accent hover:underline"
                        >
                          {n.storageInstanceId}
                        </Link>
                      </td>
                      <td className="px-2 py-1.5">
                        <SeverityBadge severity={n.severity} />
                      </td>
                      <td className="num px-2 py-1.5 text-right">{formatRatio(n.peakRatio)}</td>
                      <td className="num px-2 py-1.5 text-right">{n.victims.length}</td>
                      <td className="num px-2 py-1.5 text-right">{n.spans.length}</td>
                      <td className="num px-2 py-1.5">{formatSpan(n.spans[n.spans.length - 1]!.startMs, n.lastMs)}</td>
                      <td className="px-4 py-1.5">{actionLabels[n.recommendation.action]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
