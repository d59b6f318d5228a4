// Whether the watcher is running, when it last evaluated the fleet, and what
// watching costs in CloudWatch: above the findings list, and on the overview.
import { countOf, formatDateTime, formatDuration, formatUsd } from "@/components/ui/format";
import type { WatchStatus } from "@/lib/fleet-watch/queries";
import { Ago } from "./finding-labels";

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "$3.40", "$2,592": dollars a month, to the cent below $100. */
export function formatMonthlyUsd(value: number): string {
  return Math.abs(value) >= 100 ? `$${whole.format(value)}` : formatUsd(value);
}

function every(periodSeconds: number): string {
  return periodSeconds === 60 ? "every minute" : `every ${formatDuration(periodSeconds * 1000)}`;
}

/** Why the list may be stale or empty: the watcher never ran, or stopped; else nothing. */
export function WatcherNotice({ status }: { status: WatchStatus }) {
  if (status.state === "running") {
    const failed = status.lastAttempt?.error;
    return failed ? (
      <p role="status" className="mb-3 rounded-md bg-warning-soft px-3 py-2 text-[13px] text-warning">
        The watcher&apos;s latest evaluation failed: <span className="break-words">{failed}</span>
      </p>
    ) : null;
  }
  if (status.state === "never")
    return (
      <p role="status" className="mb-3 rounded-md bg-info-soft px-3 py-2 text-[13px]">
        The watcher has not run yet: findings appear here once it has evaluated the fleet (it runs beside the operations worker,{" "}
        {every(status.periodSeconds)}).
      </p>
    );
  return (
    <div role="alert" className="mb-3 rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
      <p className="font-medium">The watcher is not running</p>
      <p>
        Its last evaluation started {formatDuration(status.sinceLastMs)} ago ({formatDateTime(status.lastAttempt?.startedAt)}), and it
        evaluates the fleet {every(status.periodSeconds)}: findings are not being opened or resolved.
        {status.lastAttempt?.error ? <> It last failed with: {status.lastAttempt.error}</> : null}
      </p>
    </div>
  );
}

/** One line: when the fleet was last evaluated, and the watch's CloudWatch figures from that evaluation's snapshot. */
export function WatchStatusLine({ status }: { status: WatchStatus }) {
  const cost = status.snapshot?.cost;
  return (
    <p className="num text-xs text-muted">
      {status.evaluatedAt ? (
        <>
          Last evaluated the fleet <Ago at={status.evaluatedAt} nowMs={status.readAtMs} />, {every(status.periodSeconds)}
        </>
      ) : (
        "Not evaluated yet"
      )}
      {cost ? (
        <span
          title={`GetMetricData at USD ${cost.pricePerThousandMetricsUsd} per 1,000 metrics, ${whole.format(cost.evaluationsPerMonth)} evaluations a month`}
        >
          {" "}
          · {countOf(cost.metricsPerEvaluation, "CloudWatch metric")} per evaluation · ≈ {formatMonthlyUsd(cost.monthlyUsd)}/month
        </span>
      ) : null}
    </p>
  );
}
