// The overview's view of the fleet watch: open findings by severity (each a
// link to the list), when the watcher last evaluated the fleet, and what
// watching costs in CloudWatch against reading every tenant every minute.
import Link from "next/link";
import { countOf, formatDateTime, formatInteger } from "@/components/ui/format";
import type { WatchStatus } from "@/lib/fleet-watch/queries";
import type { SeverityValue } from "@/lib/fleet-watch/shapes";
import { Ago } from "./finding-labels";
import { formatMonthlyUsd, WatcherNotice } from "./watch-status";

const severities: { severity: SeverityValue; label: string; tone: string }[] = [
  { severity: "critical", label: "Critical", tone: "text-danger" },
  { severity: "major", label: "Major", tone: "text-warning" },
  { severity: "minor", label: "Minor", tone: "" },
];

export function WatchSummary({ status, openCounts }: { status: WatchStatus; openCounts: Record<SeverityValue, number> }) {
  const cost = status.snapshot?.cost;
  const open = openCounts.critical + openCounts.major + openCounts.minor;
  return (
    <section aria-labelledby="watch-heading" className="mb-4 space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h2 id="watch-heading" className="text-[15px] font-semibold">
          <Link href="/findings?status=open" className="hover:text-accent">
            Open findings ({formatInteger(open)})
          </Link>
        </h2>
        {status.evaluatedAt ? (
          <p className="num text-xs text-muted">
            The watcher last evaluated the fleet <Ago at={status.evaluatedAt} nowMs={status.readAtMs} /> (
            {formatDateTime(status.evaluatedAt)})
          </p>
        ) : null}
      </div>
      <WatcherNotice status={status} />
      <div className="grid grid-cols-3 gap-3 lg:grid-cols-4">
        {severities.map(({ severity, label, tone }) => (
          <Link
            key={severity}
            href={`/findings?status=open&severity=${severity}`}
            className="rounded-lg border border-border bg-surface px-4 py-3 hover:text-accent"
          >
            <div className="text-xs text-muted">{label}</div>
            <div className={`num mt-0.5 text-2xl font-semibold ${openCounts[severity] ? tone : ""}`}>
              {formatInteger(openCounts[severity])}
            </div>
          </Link>
        ))}
        <div className="col-span-3 rounded-lg border border-border bg-surface px-4 py-3 text-[13px] lg:col-span-1">
          <div className="text-xs text-muted">Watching the fleet costs</div>
          {cost ? (
            <>
              <div className="num mt-0.5 text-2xl font-semibold">≈ {formatMonthlyUsd(cost.monthlyUsd)}/month</div>
              <p className="num mt-0.5 text-xs text-muted">
                {countOf(cost.metricsPerEvaluation, "metric")} per evaluation
                {status.snapshot ? ` at ${countOf(status.snapshot.tenants, "tenant")}` : ""}; reading every tenant every minute would cost{" "}
                {formatMonthlyUsd(cost.naiveMonthlyUsd)}/month
              </p>
            </>
          ) : (
            <p className="mt-1 text-muted">Known once the watcher has evaluated the fleet.</p>
          )}
        </div>
      </div>
    </section>
  );
}
