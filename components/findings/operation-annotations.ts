// Operations as chart annotations: each links to its operation's page.
import type { ChartAnnotation } from "@/components/charts/time-series-chart";
import type { OperationMark } from "@/lib/fleet-watch/queries";

export function operationAnnotations(marks: readonly OperationMark[]): ChartAnnotation[] {
  return marks
    .filter((mark) => mark.startedAtMs !== null)
    .map((mark) => ({
      key: mark.id,
      label: mark.status === "succeeded" || mark.status === "running" ? mark.label : `${mark.label} (${mark.status.replace("_", " ")})`,
      startMs: mark.startedAtMs!,
      endMs: mark.finishedAtMs,
      href: `/operations/${mark.id}`,
    }));
}
