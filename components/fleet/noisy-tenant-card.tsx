"use client";

import Link from "next/link";
import { capacityColour } from "@/components/charts/palette";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatCount, formatIndex, formatMs, formatPercent, formatRatio, formatSpan } from "@/components/ui/format";
import type { NoisyOptions, Victim } from "@/lib/fairness/noisy";
import type { Recommendation } from "@/lib/fairness/recommend";
import type { NoisyTenantView } from "@/lib/dashboards/fleet-view";
import { useCan } from "@/components/auth/viewer";
import { SeverityBadge } from "./severity";

const shownVictims = 5;

function victimColumns(rangeQuery: string): Column<Victim>[] {
  return [
    {
      key: "tenant",
      header: "Co-tenant",
      cell: (v) => (
        <RowLink href={`/tenants/${v.tenantId}${rangeQuery}`} className="font-mono text-xs">
          {v.tenantId}
        </RowLink>
      ),
    },
    {
      key: "refused",
      header: "Refused for capacity",
      numeric: true,
      cell: (v) => (
        <>
          {formatCount(v.capacityThrottled, "req")} <span className="text-muted">({formatPercent(v.capacityThrottleRatio)})</span>
        </>
      ),
    },
    { key: "p99", header: "Worst p99", numeric: true, cell: (v) => formatMs(v.latencyP99Max) },
  ];
}

function actionOf(recommendation: Recommendation): { title: string; button: string | null } {
  switch (recommendation.action) {
    case "migrate_to_silo":
      return { title: "Move it to a silo of its own", button: "Migrate to its own silo" };
    case "migrate_to_pool":
      return { title: `Move it to ${recommendation.targetInstanceId}`, button: `Migrate to ${recommendation.targetInstanceId}` };
    case "lower_plan":
      return {
        title: `Lower its plan to ${recommendation.ratePerSec} requests/s`,
        button: `Change plan to ${recommendation.ratePerSec} req/s`,
      };
    case "observe":
      return { title: "Watch it: no change yet", button: null };
  }
}

function Effect({ label, before, after, format }: { label: string; before: number; after: number; format: (v: number) => string }) {
  return (
    <div className="flex items-baseline justify-between gap-3 py-0.5">
      <dt className="text-muted">{label}</dt>
      <dd className="num">
        {format(before)} <span aria-hidden>→</span>
        <span className="sr-only">would become</span> <strong className="font-semibold">{format(after)}</strong>
      </dd>
    </div>
  );
}

export function NoisyTenantCard({
  noisy,
  timestamps,
  detection,
  rangeQuery,
  withDay,
  showInstance = true,
}: {
  noisy: NoisyTenantView;
  timestamps: number[];
  detection: NoisyOptions;
  rangeQuery: string;
  withDay: boolean;
  showInstance?: boolean;
}) {
  const { recommendation } = noisy;
  const action = actionOf(recommendation);
  const last = noisy.spans[noisy.spans.length - 1]!;
  const canChangePlan = useCan("tenants.changePlan");
  const canMigrate = useCan("tenants.migrate");
  return (
    <article className="rounded-lg border border-border bg-surface" aria-label={`Noisy neighbour ${noisy.tenantName}`}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-border px-4 py-2.5">
        <h3 className="text-[14px] font-semibold">
          <Link href={`/tenants/${noisy.tenantId}${rangeQuery}`} className="hover:underline" dir="auto">
            {noisy.tenantName}
          </Link>
        </h3>
        <SeverityBadge severity={noisy.severity} />
        {showInstance ? (
          <span className="text-xs text-muted">
            on{" "}
            <Link href={`/instances/${noisy.storageInstanceId}${rangeQuery}`} className="font-mono text-accent hover:underline">
              {noisy.storageInstanceId}
            </Link>
          </span>
        ) : null}
        <span className="num ml-auto text-xs text-muted">
          peak {formatRatio(noisy.peakRatio)} its fair share · {formatCount(noisy.spans.length)} span{noisy.spans.length === 1 ? "" : "s"} ·
          last {formatSpan(last.startMs, last.endMs)}
        </span>
      </header>
      <div className="grid gap-4 p-4 xl:grid-cols-5">
        <div className="min-w-0 xl:col-span-3">
          <TimeSeriesChart
            title={`${noisy.tenantName}: share of ${noisy.storageInstanceId} over its fair share`}
            summary={`Its share over its fair share peaked at ${formatRatio(noisy.peakRatio)}; the threshold is ${formatRatio(detection.shareMultiple)}.`}
            timestamps={timestamps}
            withDay={withDay}
            height={150}
            formatValue={(v) => formatRatio(v)}
            series={[{ key: "ratio", label: "Share / fair share", values: noisy.evidence.ratio }]}
            references={[
              { y: detection.shareMultiple, label: `flag at ${formatRatio(detection.shareMultiple)}`, colour: "var(--warning)" },
            ]}
          />
          <TimeSeriesChart
            title={`Co-tenants of ${noisy.tenantName}: requests refused for capacity`}
            summary="The share of its co-tenants' requests that the instance refused because it was over capacity."
            timestamps={timestamps}
            withDay={withDay}
            height={120}
            formatValue={(v) => formatPercent(v)}
            formatTick={(v) => formatPercent(v)}
            series={[
              {
                key: "refused",
                label: "Co-tenants' requests refused",
                values: noisy.evidence.coTenantThrottleRatio,
                kind: "area",
                colour: capacityColour,
              },
            ]}
          />
        </div>
        <div className="min-w-0 space-y-4 xl:col-span-2">
          <section aria-label="Recommendation" className="rounded-md border border-border bg-surface-2 px-3 py-2.5">
            <h4 className="text-xs font-semibold uppercase tracking-wide text-muted">Recommendation</h4>
            <p className="mt-1 font-medium">{action.title}</p>
            <p className="mt-0.5 text-[13px] text-muted">{recommendation.reason}</p>
            <dl className="mt-2 text-[13px]">
              <Effect
                label="Co-tenants refused for capacity"
                before={recommendation.before.coTenantCapacityThrottled}
                after={recommendation.after.coTenantCapacityThrottled}
                format={(v) => formatCount(v, "req")}
              />
              <Effect label="Jain's index" before={recommendation.before.jain} after={recommendation.after.jain} format={formatIndex} />
              <Effect
                label="Peak utilisation"
                before={recommendation.before.peakUtilisation}
                after={recommendation.after.peakUtilisation}
                format={(v) => formatPercent(v)}
              />
            </dl>
            <p className="mt-1 text-[11px] text-muted">
              Predicted by replaying this range&apos;s measured demand on {noisy.storageInstanceId} with the change applied.
            </p>
            {action.button && recommendation.action === "lower_plan" && canChangePlan ? (
              <div className="mt-2">
                <Link
                  href={`/tenants/${noisy.tenantId}/plan`}
                  className="inline-block rounded-md bg-accent px-2.5 py-1 text-[13px] font-medium text-accent-fg"
                >
                  {action.button}
                </Link>
              </div>
            ) : action.button && recommendation.action !== "lower_plan" && canMigrate ? (
              <div className="mt-2">
                <Link
                  href={`/tenants/${noisy.tenantId}/migrate?target=${encodeURIComponent(recommendation.action === "migrate_to_pool" ? recommendation.targetInstanceId : "new-silo")}`}
                  className="inline-block rounded-md bg-accent px-2.5 py-1 text-[13px] font-medium text-accent-fg"
                >
                  {action.button}
                </Link>
              </div>
            ) : null}
          </section>
          <section aria-label="Victims">
            <h4 className="text-xs font-semibold uppercase tracking-wide text-muted">Victims ({noisy.victims.length})</h4>
            <div className="mt-1">
              <DataTable
                label={`Co-tenants hurt by ${noisy.tenantName}`}
                flush
                columns={victimColumns(rangeQuery)}
                rows={noisy.victims.slice(0, shownVictims)}
                rowKey={(v) => v.tenantId}
                empty={{ title: "No co-tenant hurt", body: "No co-tenant was refused or slowed while it was flagged." }}
              />
            </div>
            {noisy.victims.length > shownVictims ? (
              <details className="mt-1 text-[13px]">
                <summary className="cursor-pointer text-xs text-accent">Show {noisy.victims.length - shownVictims} more</summary>
                <ul className="mt-1 space-y-0.5">
                  {noisy.victims.slice(shownVictims).map((v) => (
                    <li key={v.tenantId} className="flex justify-between gap-2">
                      <Link href={`/tenants/${v.tenantId}${rangeQuery}`} className="font-mono text-xs text-accent hover:underline">
                        {v.tenantId}
                      </Link>
                      <span className="num">
                        {formatCount(v.capacityThrottled, "req")} ({formatPercent(v.capacityThrottleRatio)}) · {formatMs(v.latencyP99Max)}
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </section>
        </div>
      </div>
    </article>
  );
}
