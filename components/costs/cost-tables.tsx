import Link from "next/link";
import { Badge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatPercent, formatUsd } from "@/components/ui/format";
import { Pagination } from "@/components/ui/pagination";
import type { InstanceEstimate, TenantEstimate } from "@/lib/cost/estimate";
import { costListQuery, type CostListParams, type CostSortKey } from "@/lib/cost/list-params";

/** Projection ÷ plan price, with "under-priced" when the tenant costs more than its plan brings in. */
export function AgainstPlan({ ratio }: { ratio: number | null }) {
  if (ratio === null) return <span className="text-muted">no price</span>;
  return (
    <span className="inline-flex items-center gap-1.5">
      {ratio > 1 ? <Badge tone="danger">under-priced</Badge> : null}
      <span>{formatPercent(ratio)}</span>
    </span>
  );
}

const tenantColumns: Column<TenantEstimate>[] = [
  {
    key: "name",
    header: "Tenant",
    sortable: true,
    rowHeader: true,
    className: "max-w-[260px]",
    cell: (t) => (
      <>
        <RowLink href={`/tenants/${t.id}`} className="block truncate font-medium" dir="auto">
          {t.name}
        </RowLink>
        <span className="block truncate font-mono text-xs text-muted">{t.id}</span>
      </>
    ),
  },
  {
    key: "againstPlan",
    header: "Cost against plan",
    description:
      "The projected month ÷ what the tenant's plan charges a month: above 100 %, the tenant costs more than it pays (under-priced).",
    numeric: true,
    sortable: { first: "desc" },
    cell: (t) => <AgainstPlan ratio={t.againstPlan} />,
  },
  { key: "soFar", header: "Month so far", numeric: true, sortable: { first: "desc" }, cell: (t) => formatUsd(t.soFar) },
  { key: "projected", header: "Projected month", numeric: true, sortable: { first: "desc" }, cell: (t) => formatUsd(t.projected) },
  {
    key: "plan",
    header: "Plan",
    sortable: true,
    cell: (t) => (
      <>
        <span className="block" dir="auto">
          {t.planName}
        </span>
        <span className="num block text-xs text-muted">
          {t.planPriceCents === null ? "not priced" : `${formatUsd(t.planPriceCents / 100)} / month`}
        </span>
      </>
    ),
  },
  {
    key: "instances",
    header: "Storage instances",
    cell: (t) =>
      t.instanceIds.length ? (
        <span className="flex flex-col">
          {t.instanceIds.map((id) => (
            <Link key={id} href={`/instances/${id}`} className="font-mono text-xs hover:underline">
              {id}
            </Link>
          ))}
        </span>
      ) : (
        <span className="text-muted">no usage yet</span>
      ),
  },
];

export function TenantCostTable({
  page,
  params,
}: {
  page: { rows: TenantEstimate[]; page: number; pageCount: number; total: number; size: number };
  params: CostListParams;
}) {
  return (
    <>
      <DataTable
        label="Tenant costs"
        columns={tenantColumns}
        rows={page.rows}
        rowKey={(t) => t.id}
        paging={{ total: page.total, offset: (page.page - 1) * page.size }}
        sort={{
          key: params.sort,
          dir: params.dir,
          hrefFor: (key, dir) => `/costs${costListQuery(params, { sort: key as CostSortKey, dir, page: 1 })}`,
        }}
        empty={
          page.total > 0
            ? { title: "Past the last page", body: "Go back with the links below." }
            : { title: "No tenants yet", body: "Each tenant's estimate appears here once it is onboarded." }
        }
      />
      {page.total > 0 ? (
        <Pagination
          page={page.page}
          pageCount={page.pageCount}
          total={page.total}
          size={page.size}
          noun="tenants"
          hrefFor={(target) => `/costs${costListQuery(params, { page: target })}`}
        />
      ) : null}
    </>
  );
}

const instanceColumns: Column<InstanceEstimate>[] = [
  {
    key: "id",
    header: "Storage instance",
    rowHeader: true,
    cell: (i) => (
      <RowLink href={`/instances/${i.id}`} className="font-mono text-xs">
        {i.id}
      </RowLink>
    ),
  },
  { key: "mode", header: "Mode", cell: (i) => `${i.mode}, ${i.capacityMode === "on_demand" ? "on demand" : "provisioned"}` },
  { key: "region", header: "Region", cell: (i) => i.region },
  { key: "tenants", header: "Tenants with usage", numeric: true, cell: (i) => i.tenants },
  { key: "soFar", header: "Month so far", numeric: true, cell: (i) => formatUsd(i.soFar) },
  { key: "projected", header: "Projected month", numeric: true, cell: (i) => formatUsd(i.projected) },
  {
    key: "unallocated",
    header: "Unallocated",
    description: "Provisioned capacity no tenant consumed this month: the instance's own cost, in the totals but in no tenant's estimate.",
    numeric: true,
    cell: (i) => (i.unallocatedProjected ? formatUsd(i.unallocatedProjected) : <span className="text-muted">—</span>),
  },
];

export function InstanceCostTable({ instances }: { instances: InstanceEstimate[] }) {
  return (
    <DataTable
      label="Cost per storage instance"
      columns={instanceColumns}
      rows={[...instances].sort((a, b) => b.projected - a.projected || a.id.localeCompare(b.id))}
      rowKey={(i) => i.id}
      empty={{ title: "No storage instances" }}
    />
  );
}
