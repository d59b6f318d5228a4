import Link from "next/link";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatUsd } from "@/components/ui/format";
import { Facts, Panel } from "@/components/ui/panel";
import type { InstanceCost } from "@/lib/cost/queries";

type Row = InstanceCost["tenants"][number];

const columns: Column<Row>[] = [
  {
    key: "tenant",
    header: "Tenant",
    rowHeader: true,
    cell: (t) => (
      <RowLink href={`/tenants/${t.tenantId}`} dir="auto">
        {t.name}
      </RowLink>
    ),
  },
  { key: "soFar", header: "So far", numeric: true, cell: (t) => formatUsd(t.soFar) },
  { key: "projected", header: "Projected", numeric: true, cell: (t) => formatUsd(t.projected) },
];

/** An instance's month: its estimated total, the capacity nobody consumed, and what each of its tenants costs on it. */
export function InstanceCostPanel({ cost }: { cost: InstanceCost | null }) {
  if (!cost) return null;
  const { instance, tenants } = cost;
  return (
    <Panel
      title="Cost this month (estimate)"
      actions={
        <Link href="/costs" className="text-xs text-accent hover:underline">
          Fleet costs and the method
        </Link>
      }
    >
      <div className="grid lg:grid-cols-2">
        <Facts
          items={[
            { label: "Month so far", value: <span className="num">{formatUsd(instance.soFar)}</span> },
            { label: "Projected month", value: <span className="num">{formatUsd(instance.projected)}</span> },
            {
              label: "Apportioned",
              value:
                instance.capacityMode === "provisioned"
                  ? "capacity by each tenant's share of the units consumed"
                  : "on demand: each tenant pays for its own units",
            },
            {
              label: "Unallocated (nobody consumed)",
              value: <span className="num">{instance.unallocatedProjected ? formatUsd(instance.unallocatedProjected) : "—"}</span>,
            },
          ]}
        />
        <div className="min-w-0 border-border lg:border-l">
          <DataTable
            label="Cost per tenant on this instance"
            columns={columns}
            rows={tenants.slice(0, 10)}
            rowKey={(t) => t.tenantId}
            empty={{ title: "No usage rolled up yet", body: "The worker rolls tenants' usage up within minutes." }}
          />
          {tenants.length > 10 ? (
            <p className="border-t border-border px-4 py-2 text-xs text-muted">
              The 10 most expensive of {tenants.length} tenants with usage here; the Costs page lists them all.
            </p>
          ) : null}
        </div>
      </div>
    </Panel>
  );
}
