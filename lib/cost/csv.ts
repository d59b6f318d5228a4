// The fleet estimate as CSV, in the page's order: one row per tenant, in US dollars with four decimals.
import { csvCell } from "../audit/queries";
import type { FleetEstimate } from "./estimate";
import { costLines } from "./formulas";
import { sortTenantCosts, type CostListParams } from "./list-params";

const usd = (value: number) => value.toFixed(4);

export function costCsv(estimate: FleetEstimate, params: Pick<CostListParams, "sort" | "dir">): string {
  const header = [
    "tenantId",
    "name",
    "status",
    "planId",
    "planPriceUsd",
    "monthSoFarUsd",
    "projectedUsd",
    "againstPlan",
    ...costLines.map((line) => `projected_${line}Usd`),
    "storageInstances",
    "measuredHours",
  ];
  const rows = sortTenantCosts(estimate.tenants, params.sort, params.dir).map((t) =>
    [
      t.id,
      t.name,
      t.status,
      t.planId,
      t.planPriceCents === null ? "" : (t.planPriceCents / 100).toFixed(2),
      usd(t.soFar),
      usd(t.projected),
      t.againstPlan === null ? "" : t.againstPlan.toFixed(4),
      ...costLines.map((line) => usd(t.projectedLines[line])),
      t.instanceIds.join(" "),
      t.measuredHours.toFixed(1),
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...rows].map((line) => `${line}\r\n`).join("");
}
