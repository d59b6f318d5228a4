// The overview's line about the fleet watch: whether it is running and when it
// last evaluated the fleet, the open findings by severity (each a link to the
// list), and what watching costs in CloudWatch against reading every tenant
// every minute. The overview's own panels list the findings themselves.
import Link from "next/link";
import { formatDateTime, formatInteger } from "@/components/ui/format";
import type { WatchStatus } from "@/lib/fleet-watch/queries";
import type { SeverityValue } from "@/lib/fleet-watch/shapes";
import { Ago } from "./finding-labels";
import { formatMonthlyUsd, WatcherNotice } from "./watch-status";

const severities: { severity: SeverityValue; tone: string }[] = [
  { severity: "critical", tone: "text-danger" },
  { severity: "major", tone: "text-warning" },
  { severity: "minor", tone: "" },
];

export function WatchSummary({ status, openCounts }: { status: WatchStatus; openCounts: Record<SeverityValue, number> }) {
  const cost = status.snapshot?.cost;
  return (
    <section aria-labelledby="watch-heading" className="mb-4">
      <WatcherNotice status={status} />
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-1.5 rounded-lg border border-border bg-surface px-4 py-2.5 text-[13px]">
        <h2 id="watch-heading" className="font-semibold">
          Fleet watch
        </h2>
        {status.evaluatedAt ? (
          <p className="num text-muted">
            Last evaluated <Ago at={status.evaluatedAt} nowMs={status.readAtMs} />{" "}
            <span className="whitespace-nowrap">({formatDateTime(status.evaluatedAt)})</span>
          </p>
        ) : null}
        <p>
          <span className="text-muted">Open:</span>{" "}
          {severities.map(({ severity, tone }, i) => (
            <span key={severity}>
              {i > 0 ? <span className="text-muted"> · </span> : null}
              <Link
                href={`/findings?status=open&severity=${severity}`}
                className={`num whitespace-nowrap hover:underline ${openCounts[severity] ? `font-semibold ${tone}` : "text-accent"}`}
              >
                {formatInteger(openCounts[severity])} {severity}
              </Link>
            </span>
          ))}
        </p>
        {cost ? (
          <p className="num">
            Watching costs <strong className="font-semibold">≈ {formatMonthlyUsd(cost.monthlyUsd)}/month</strong>{" "}
            <span className="text-muted">
              ({formatInteger(cost.metricsPerEvaluation)} metrics per evaluation; reading every tenant every minute would cost{" "}
              {formatMonthlyUsd(cost.naiveMonthlyUsd)}/month)
            </span>
          </p>
        ) : null}
      </div>
    </section>
  );
}
