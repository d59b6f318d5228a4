import { DataTable, type Column } from "@/components/ui/data-table";
import { formatDateTime } from "@/components/ui/format";
import { priceItems, type EffectivePrice, type RegionPrices } from "@/lib/cost/prices";

const usd = (value: number) => `$${value.toLocaleString("en-US", { maximumFractionDigits: 6 })}`;

const columns: Column<EffectivePrice>[] = [
  { key: "item", header: "Item", rowHeader: true, cell: (p) => priceItems[p.item].label },
  { key: "price", header: "Price", numeric: true, cell: (p) => usd(p.usd) },
  { key: "unit", header: "Unit", className: "text-muted", cell: (p) => priceItems[p.item].unit },
  {
    key: "source",
    header: "Source",
    className: "max-w-[420px]",
    cell: (p) =>
      p.override ? (
        <span className="block">
          <span className="font-medium text-warning">Overridden</span> (list price {usd(p.listedUsd)}) by {p.override.setByEmail},{" "}
          <span className="num">{formatDateTime(p.override.updatedAt)}</span>: <span dir="auto">{p.override.reason}</span>
        </span>
      ) : (
        <span className="block">
          <a href={p.source} className="text-accent underline" rel="noreferrer noopener" target="_blank">
            {new URL(p.source).pathname.replace(/\/$/, "")}
          </a>{" "}
          <span className="text-muted">(price of {p.effective})</span>
        </span>
      ),
  },
];

/** One region's effective prices: the list price and its source, or the admin's override with its reason. */
export function PriceTable({ prices }: { prices: RegionPrices }) {
  return (
    <DataTable
      label={`Prices in ${prices.region}`}
      columns={columns}
      rows={Object.values(prices.prices)}
      rowKey={(p) => p.item}
      empty={{ title: "No prices" }}
    />
  );
}
