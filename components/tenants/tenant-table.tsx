import Link from "next/link";
import { ModelBadge, TenantStatusBadge, TierBadge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { countOf } from "@/components/ui/format";
import { Pagination } from "@/components/ui/pagination";
import { tenantListQuery, type TenantListParams, type TenantSortKey } from "@/lib/catalog/tenant-list-params";
import type { TenantPage, TenantRow } from "@/lib/catalog/tenants";
import type { HealthLevel } from "@/lib/dashboards/health-verdict";
import { HealthBadge } from "@/components/fleet/severity";

const healthColumn = (health: ReadonlyMap<string, HealthLevel> | null): Column<TenantRow> => ({
  key: "health",
  header: "Health",
  description:
    "The tenant page's verdict over the last 6 hours: refusals by capacity or plan, today's quota, noisy neighbours (open findings). Latency is judged on the tenant's page only.",
  cell: (tenant) => {
    const level = health?.get(tenant.id);
    return level ? <HealthBadge level={level} /> : <span className="text-muted">—</span>;
  },
});

const columns: Column<TenantRow>[] = [
  {
    key: "name",
    header: "Tenant",
    sortable: true,
    className: "max-w-[320px]",
    cell: (tenant) => (
      <>
        <RowLink href={`/tenants/${tenant.id}`} className="block truncate font-medium" dir="auto">
          {tenant.name}
        </RowLink>
        <span className="block truncate font-mono text-xs text-muted">{tenant.id}</span>
      </>
    ),
  },
  { key: "tier", header: "Tier", sortable: true, cell: (tenant) => <TierBadge tier={tenant.tier} /> },
  { key: "model", header: "Model", sortable: true, cell: (tenant) => <ModelBadge model={tenant.deploymentModel} /> },
  { key: "status", header: "Status", sortable: true, cell: (tenant) => <TenantStatusBadge status={tenant.status} /> },
  {
    key: "instance",
    header: "Storage instance",
    sortable: true,
    cell: (tenant) => (
      <>
        {tenant.storageInstance ? (
          <Link href={`/instances/${tenant.storageInstance.id}`} className="font-mono text-xs hover:underline">
            {tenant.storageInstance.id}
          </Link>
        ) : (
          <span className="text-muted">not placed</span>
        )}
        {tenant.bridgeInstance ? <span className="block font-mono text-xs text-muted">+ {tenant.bridgeInstance.id}</span> : null}
      </>
    ),
  },
  { key: "plan", header: "Throttling plan", cell: (tenant) => tenant.plan.name },
  { key: "keyPrefix", header: "Key prefix", className: "font-mono text-xs text-muted", cell: (tenant) => tenant.keyPrefix ?? "—" },
];

export function TenantTable({
  page,
  params,
  basePath,
  health,
}: {
  page: TenantPage;
  params: TenantListParams;
  basePath: string;
  /** Each tenant's verdict, for a health column after the name (null: not available, the column shows dashes). */
  health?: ReadonlyMap<string, HealthLevel> | null;
}) {
  const filtered = Boolean(params.q || params.tier || params.model || params.status || params.instance || params.health);
  return (
    <>
      <DataTable
        label="Tenants"
        columns={health === undefined ? columns : [columns[0]!, healthColumn(health), ...columns.slice(1)]}
        rows={page.rows}
        rowKey={(tenant) => tenant.id}
        paging={{ total: page.total, offset: (page.page - 1) * page.size }}
        sort={{
          key: params.sort,
          dir: params.dir,
          hrefFor: (key, dir) => `${basePath}${tenantListQuery(params, { sort: key as TenantSortKey, dir, page: 1 })}`,
        }}
        empty={
          page.total > 0
            ? { title: "Past the last page", body: `This list has ${countOf(page.pageCount, "page")}; go back with the links below.` }
            : filtered
              ? { title: "No tenants match", body: "Try a shorter search or clear a filter." }
              : { title: "No tenants yet", body: "Tenants appear here once they are onboarded." }
        }
      />
      {page.total > 0 ? (
        <Pagination
          page={page.page}
          pageCount={page.pageCount}
          total={page.total}
          size={page.size}
          noun="tenants"
          hrefFor={(target) => `${basePath}${tenantListQuery(params, { page: target })}`}
        />
      ) : null}
    </>
  );
}
