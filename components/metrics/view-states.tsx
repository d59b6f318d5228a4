import { countOf, formatUsd } from "@/components/ui/format";

/** GetMetricData's list price in us-east-1: USD 0.01 per 1,000 metrics requested. */
const dollarsPerMetric = 0.01 / 1000;

/** A panel's data could not be read: says which dependency failed; the rest of the page stays. */
export function DependencyUnavailable({ dependency, message, what }: { dependency: string; message: string; what: string }) {
  return (
    <div role="alert" className="rounded-lg border border-border bg-danger-soft px-4 py-3 text-danger">
      <p className="font-medium">
        {dependency} unreachable: {what} cannot be shown
      </p>
      <p className="mt-0.5 break-words text-[13px]">{message}</p>
      <p className="mt-1 text-[13px] text-fg">The catalog parts of this page still work; this panel retries every 30 seconds.</p>
    </div>
  );
}

function dollars(metrics: number): string {
  return formatUsd(metrics * dollarsPerMetric);
}

/** What the view costs in CloudWatch: GetMetricData is billed per metric requested. */
export function ReadCostNote({
  cost,
  periodSeconds,
}: {
  cost: { calls: number; metricsRequested: number; metricsNeeded: number; floorCalls: number };
  periodSeconds: number;
}) {
  const periods = `${periodSeconds >= 60 ? `${periodSeconds / 60}-minute` : `${periodSeconds}-second`} periods`;
  const thisLoad =
    cost.calls === 0
      ? "this load: from the console's cache, no CloudWatch calls"
      : `this load: ${countOf(cost.calls, "call")}, ${countOf(cost.metricsRequested, "metric")} (${dollars(cost.metricsRequested)})`;
  return (
    <p
      className="num text-xs text-muted"
      title="GetMetricData is billed per metric requested (USD 0.01 per 1,000 in us-east-1). Loads within 20 seconds of each other share the console's cache."
    >
      {`Reads ${countOf(cost.metricsNeeded, "metric")} in ${countOf(cost.floorCalls, "GetMetricData call")} (≈ ${dollars(cost.metricsNeeded)}) · ${thisLoad} · ${periods}`}
    </p>
  );
}

export function ChartSkeleton({ height = 220 }: { height?: number }) {
  return <div className="skeleton w-full" style={{ height }} aria-hidden />;
}
