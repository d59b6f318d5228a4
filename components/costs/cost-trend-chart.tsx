"use client";

import { BarsChart } from "@/components/charts/bars-chart";
import { formatUsd } from "@/components/ui/format";

/** A tenant's cost per day (UTC), one bar a day. */
export function CostTrendChart({ days }: { days: { day: string; usd: number }[] }) {
  const total = days.reduce((sum, d) => sum + d.usd, 0);
  return (
    <BarsChart
      title="Cost per day"
      summary={`Estimated cost per day over ${days.length} days, ${formatUsd(total)} in all.`}
      rows={days.map((d) => ({ category: d.day.slice(5), usd: d.usd }))}
      bars={[{ key: "usd", label: "Cost (USD)" }]}
      formatValue={formatUsd}
      height={180}
    />
  );
}
