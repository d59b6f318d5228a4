"use client";

import { latencySeries } from "@/components/charts/metric-series";
import { capacityColour, neutralColour, planRefusalColour } from "@/components/charts/palette";
import { TimeSeriesChart, type ChartAnnotation } from "@/components/charts/time-series-chart";
import { formatBytes, formatCount, formatMs, formatPercent, formatRate, isMeasured } from "@/components/ui/format";
import { LiveStatus } from "@/components/metrics/live-status";
import { useLiveView } from "@/components/metrics/use-live-view";
import { DependencyUnavailable, ReadCostNote } from "@/components/metrics/view-states";
import { EmptyState } from "@/components/ui/empty-state";
import { ChartPanel, Facts, Panel } from "@/components/ui/panel";
import { median } from "@/lib/fairness/fairness";
import type { TenantHealth } from "@/lib/dashboards/tenant-health";
import type { ViewResult } from "@/lib/dashboards/view-result";
import { HealthBadge } from "./severity";

function QuotaBar({ used, quota }: { used: number; quota: number }) {
  const fraction = quota > 0 ? used / quota : 0;
  const tone = fraction >= 1 ? "bg-danger" : fraction >= 0.8 ? "bg-[var(--warning)]" : "bg-[var(--chart-1)]";
  return (
    <div>
      <div className="num text-right">
        {formatCount(used)} of {formatCount(quota)} req ({formatPercent(fraction)})
      </div>
      <div
        className="mt-1 h-1.5 w-full rounded bg-surface-2"
        role="progressbar"
        aria-label="Today's quota used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.min(1, fraction) * 100)}
      >
        <div className={`h-1.5 rounded ${tone}`} style={{ width: `${Math.min(1, fraction) * 100}%` }} />
      </div>
    </div>
  );
}

export function TenantHealthPanel({
  initial,
  tenantId,
  rangeQuery,
  annotations = [],
}: {
  initial: ViewResult<TenantHealth>;
  tenantId: string;
  rangeQuery: string;
  /** Operations on the tenant in the range, drawn on its charts. */
  annotations?: readonly ChartAnnotation[];
}) {
  const { result, failure, updatedAt } = useLiveView(`/api/tenants/${tenantId}/health${rangeQuery}`, initial);
  if (!result.ok) return <DependencyUnavailable dependency={result.dependency} message={result.message} what="this tenant's health" />;
  const health = result.view;
  const { facts, verdict } = health;
  const period = health.window.periodSeconds;
  const withDay = health.window.key === "7d" || health.window.key === "24h";
  const rangeSeconds = (health.window.range.endMs - health.window.range.startMs) / 1000;
  // Over JSON a gap arrives as null: keep it a gap (NaN), never a 0.
  const perSecond = (values: (number | null)[]) => values.map((v) => (isMeasured(v) ? v / period : NaN));
  const served = health.series.requests.map((r, p) =>
    isMeasured(r) ? Math.max(0, r - (health.series.planThrottled[p] ?? 0) - (health.series.capacityThrottled[p] ?? 0)) : NaN,
  );
  const peakPerSecond = Math.max(0, ...perSecond(health.series.requests).filter(Number.isFinite));
  // The plan's rate is drawn unless it is so far above what the tenant asks that it would flatten its requests into the axis.
  const planDrawn = facts.planRatePerSec <= Math.max(peakPerSecond, 1e-9) * 10;
  const p99 = health.series.p99.filter((v): v is number => typeof v === "number" && Number.isFinite(v));

  return (
    <section aria-labelledby="health-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="health-heading" className="flex items-center gap-2 text-[15px] font-semibold">
          Health <HealthBadge level={verdict.level} />
        </h2>
        <div className="text-right">
          <LiveStatus updatedAt={updatedAt} failure={failure} />
          <ReadCostNote cost={health.cost} periodSeconds={period} />
        </div>
      </div>
      {verdict.statement ? (
        <p
          className={`rounded-lg border border-border px-4 py-2.5 text-[13px] ${verdict.level === "suspended" ? "bg-warning-soft" : "bg-surface-2"}`}
        >
          {verdict.statement}
        </p>
      ) : null}
      {!facts.hasData ? (
        <Panel>
          <EmptyState title="No metrics for this tenant yet">
            Nothing has been measured for it in this range: a new tenant appears here once its application makes requests. Try a longer
            range.
          </EmptyState>
        </Panel>
      ) : (
        <>
          {verdict.reasons.length ? (
            <ul className="space-y-1 rounded-lg border border-border bg-surface px-4 py-2.5" aria-label="Why">
              {verdict.reasons.map((reason) => (
                <li key={reason.text} className="flex items-start gap-2 text-[13px]">
                  <span
                    className={`mt-0.5 text-xs font-semibold uppercase ${reason.level === "critical" ? "text-danger" : "text-warning"}`}
                  >
                    {reason.level}
                  </span>
                  <span>{reason.text}</span>
                </li>
              ))}
            </ul>
          ) : verdict.statement ? null : (
            <p className="rounded-lg border border-border bg-surface px-4 py-2.5 text-[13px] text-success">
              Nothing refused beyond the thresholds, latency as usual, quota to spare.
            </p>
          )}
          <div className="grid gap-4 lg:grid-cols-3">
            <Panel title={`Usage (${health.window.key})`}>
              <Facts
                items={[
                  { label: "Today's quota (UTC)", value: <QuotaBar used={facts.usedToday} quota={facts.quotaPerDay} /> },
                  {
                    label: "Requests",
                    value: (
                      <span className="num">
                        {formatCount(facts.requests)} · {formatRate(facts.requests / rangeSeconds, "req/s")}
                      </span>
                    ),
                  },
                  {
                    label: "Refused by its plan",
                    value: (
                      <span className="num">
                        {formatCount(facts.planThrottled)} ({formatPercent(facts.requests ? facts.planThrottled / facts.requests : 0)})
                      </span>
                    ),
                  },
                  {
                    label: "Refused for capacity",
                    value: (
                      <span className="num">
                        {formatCount(facts.capacityThrottled)} (
                        {formatPercent(facts.requests ? facts.capacityThrottled / facts.requests : 0)})
                      </span>
                    ),
                  },
                  {
                    label: "Latency p50 · p99 (median)",
                    value: (
                      <span className="num">
                        {formatMs(median(health.series.p50))} · {formatMs(median(health.series.p99))}
                      </span>
                    ),
                  },
                  { label: "Worst p99", value: <span className="num">{formatMs(p99.length ? Math.max(...p99) : NaN)}</span> },
                  {
                    label: "Stored items",
                    value: (
                      <span className="num">
                        {formatCount(health.storedItems)} · {formatBytes(health.storedBytes)}
                      </span>
                    ),
                  },
                ]}
              />
            </Panel>
            <ChartPanel title="Requests (per second)" className="lg:col-span-2">
              <TimeSeriesChart
                title="Requests per second, served and refused"
                summary={`${formatCount(facts.requests)} requests over the range; ${formatCount(facts.planThrottled)} refused by its plan and ${formatCount(facts.capacityThrottled)} for capacity.`}
                timestamps={health.timestamps}
                withDay={withDay}
                annotations={annotations}
                height={190}
                formatValue={(v) => formatRate(v, "req/s")}
                references={[
                  {
                    y: facts.planRatePerSec,
                    label: planDrawn
                      ? `plan ${formatRate(facts.planRatePerSec, "req/s")}`
                      : `plan ${formatRate(facts.planRatePerSec, "req/s")}, above the chart (peak ${formatPercent(peakPerSecond / facts.planRatePerSec)} of it)`,
                    colour: neutralColour,
                    extendDomain: planDrawn,
                  },
                ]}
                series={[
                  {
                    key: "a-served",
                    label: "Served",
                    values: perSecond(served),
                    kind: "area",
                    stack: "requests",
                    colour: "var(--chart-1)",
                  },
                  {
                    key: "b-plan",
                    label: "Refused by its plan",
                    values: perSecond(health.series.planThrottled),
                    kind: "area",
                    stack: "requests",
                    colour: planRefusalColour,
                  },
                  {
                    key: "c-capacity",
                    label: "Refused for capacity",
                    values: perSecond(health.series.capacityThrottled),
                    kind: "area",
                    stack: "requests",
                    colour: capacityColour,
                  },
                ]}
              />
            </ChartPanel>
          </div>
          <ChartPanel title="Latency (ms)">
            <TimeSeriesChart
              title="Latency percentiles"
              summary="p50 and p99 latency of its served requests on its main storage instance."
              timestamps={health.timestamps}
              withDay={withDay}
              annotations={annotations}
              height={170}
              formatValue={formatMs}
              series={latencySeries(health.series.p50, health.series.p99)}
            />
          </ChartPanel>
        </>
      )}
    </section>
  );
}
