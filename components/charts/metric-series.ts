// The series shapes several views draw the same way.
import { isMeasured } from "@/components/ui/format";
import { capacityColour, planRefusalColour } from "./palette";
import type { ChartSeries } from "./time-series-chart";

/** Refusals per second, stacked: the instance's capacity first, then tenants' own plans. */
export function refusedSeries(
  throttled: (number | null)[],
  capacityThrottled: (number | null)[],
  periodSeconds: number,
  planLabel = "Tenant's plan",
): ChartSeries[] {
  return [
    {
      key: "capacity",
      label: "Instance over capacity",
      values: capacityThrottled.map((v) => (isMeasured(v) ? v / periodSeconds : NaN)),
      kind: "area",
      stack: "refused",
      colour: capacityColour,
    },
    {
      key: "plan",
      label: planLabel,
      values: throttled.map((t, p) => (isMeasured(t) ? Math.max(0, t - (capacityThrottled[p] ?? 0)) / periodSeconds : NaN)),
      kind: "area",
      stack: "refused",
      colour: planRefusalColour,
    },
  ];
}

export function latencySeries(p50: number[], p99: number[]): ChartSeries[] {
  return [
    { key: "p50", label: "p50", values: p50, colour: "var(--chart-1)" },
    { key: "p99", label: "p99", values: p99, colour: "var(--chart-6)", dashed: true },
  ];
}
