import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatPercent, formatUsd } from "@/components/ui/format";
import { Facts, Panel } from "@/components/ui/panel";
import { costLineLabels, costLines, type CostLine } from "@/lib/cost/formulas";
import type { TenantCost } from "@/lib/cost/queries";
import { AgainstPlan } from "./cost-tables";
import { CostTrendChart } from "./cost-trend-chart";

interface LineRow {
  line: CostLine;
  soFar: number;
  projected: number;
}

const lineColumns: Column<LineRow>[] = [
  { key: "line", header: "Line", rowHeader: true, cell: (r) => costLineLabels[r.line] },
  { key: "soFar", header: "So far", numeric: true, cell: (r) => formatUsd(r.soFar) },
  { key: "projected", header: "Projected", numeric: true, cell: (r) => formatUsd(r.projected) },
];

/** The tenant page's cost: this month so far, the projection against the plan's price, the lines, and the daily trend. */
export function TenantCostPanel({ cost }: { cost: TenantCost | null }) {
  if (!cost) return null;
  const { estimate, trend, days } = cost;
  const rows = costLines.map((line) => ({ line, soFar: estimate.soFarLines[line], projected: estimate.projectedLines[line] }));
  return (
    <Panel
      title="Cost this month (estimate)"
      actions={
        <Link href="/costs" className="text-xs text-accent hover:underline">
          All tenants&apos; costs and the method
        </Link>
      }
    >
      <div className="grid gap-0 lg:grid-cols-3">
        <Facts
          items={[
            { label: "Month so far", value: <span className="num">{formatUsd(estimate.soFar)}</span> },
            { label: "Projected month", value: <span className="num">{formatUsd(estimate.projected)}</span> },
            {
              label: "Plan price",
              value: (
                <span className="num">
                  {estimate.planPriceCents === null ? "not priced" : `${formatUsd(estimate.planPriceCents / 100)} / month`}
                </span>
              ),
            },
            { label: "Cost against plan", value: <AgainstPlan ratio={estimate.againstPlan} /> },
            {
              label: "Last 7 days vs the 7 before",
              value: (
                <span className="num">
                  {trend
                    ? `${formatUsd(trend.last)} a day, ${trend.change >= 0 ? "+" : "−"}${formatPercent(Math.abs(trend.change))}`
                    : "not two weeks measured yet"}
                </span>
              ),
            },
          ]}
        />
        <div className="min-w-0 border-border lg:border-l">
          <DataTable label="Cost by line" columns={lineColumns} rows={rows} rowKey={(r) => r.line} empty={{ title: "No cost" }} />
        </div>
        <div className="min-w-0 border-border px-2 py-3 lg:border-l">
          {days.length ? (
            <CostTrendChart days={days.map((d) => ({ day: d.day, usd: d.usd }))} />
          ) : (
            <p className="px-2 text-[13px] text-muted">No usage rolled up for this tenant yet: the worker rolls it up within minutes.</p>
          )}
        </div>
      </div>
    </Panel>
  );
}
