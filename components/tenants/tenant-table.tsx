import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { ModelBadge, TenantStatusBadge, TierBadge } from "@/components/ui/badges";
import { Pagination } from "@/components/ui/pagination";
import { tenantListQuery, type TenantListParams, type TenantSortKey } from "@/lib/catalog/tenant-list-params";
import type { TenantPage } from "@/lib/catalog/tenants";

const columns: { key: TenantSortKey; label: string }[] = [
  { key: "name", label: "Tenant" },
  { key: "tier", label: "Tier" },
  { key: "model", label: "Model" },
  { key: "status", label: "Status" },
  { key: "instance", label: "Storage instance" },
];

function SortHeader({ column, params, basePath }: { column: (typeof columns)[number]; params: TenantListParams; basePath: string }) {
  const active = params.sort === column.key;
  const nextDir = active && params.dir === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      aria-sort={active ? (params.dir === "asc" ? "ascending" : "descending") : "none"}
      className="px-3 py-2 text-left font-medium"
    >
      <Link
        href={`${basePath}${tenantListQuery(params, { sort: column.key, dir: nextDir, page: 1 })}`}
        className="inline-flex items-center gap-1 hover:text-fg"
      >
        {column.label}
        <span aria-hidden className={active ? "text-fg" : "text-transparent"}>
          {active && params.dir === "desc" ? "▼" : "▲"}
        </span>
        <span className="sr-only">{active ? `, sorted ${params.dir === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
      </Link>
    </th>
  );
}

export function TenantTable({ page, params, basePath }: { page: TenantPage; params: TenantListParams; basePath: string }) {
  if (page.total === 0) {
    const filtered = Boolean(params.q || params.tier || params.model || params.status || params.instance);
    return (
      <EmptyState title={filtered ? "No tenants match" : "No tenants yet"}>
        {filtered ? "Try a shorter search or clear a filter." : "Tenants appear here once they are onboarded."}
      </EmptyState>
    );
  }
  return (
    <>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-[13px]" aria-label="Tenants" aria-rowcount={page.total}>
          <thead className="border-b border-border bg-surface-2 text-muted">
            <tr>
              {columns.map((column) => (
                <SortHeader key={column.key} column={column} params={params} basePath={basePath} />
              ))}
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Throttling plan
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Key prefix
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {page.rows.map((tenant) => (
              <tr key={tenant.id} className="hover:bg-surface-2">
                <td className="max-w-[320px] px-3 py-1.5">
                  <Link href={`/tenants/${tenant.id}`} className="block truncate font-medium text-accent hover:underline" dir="auto">
                    {tenant.name}
                  </Link>
                  <span className="block truncate font-mono text-xs text-muted">{tenant.id}</span>
                </td>
                <td className="px-3 py-1.5">
                  <TierBadge tier={tenant.tier} />
                </td>
                <td className="px-3 py-1.5">
                  <ModelBadge model={tenant.deploymentModel} />
                </td>
                <td className="px-3 py-1.5">
                  <TenantStatusBadge status={tenant.status} />
                </td>
                <td className="px-3 py-1.5">
                  {tenant.storageInstance ? (
                    <Link href={`/instances/${tenant.storageInstance.id}`} className="font-mono text-xs hover:underline">
                      {tenant.storageInstance.id}
                    </Link>
                  ) : (
                    <span className="text-muted">not placed</span>
                  )}
                  {tenant.bridgeInstance ? <span className="block font-mono text-xs text-muted">+ {tenant.bridgeInstance.id}</span> : null}
                </td>
                <td className="px-3 py-1.5">{tenant.plan.name}</td>
                <td className="px-3 py-1.5 font-mono text-xs text-muted">{tenant.keyPrefix ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination
        page={page.page}
        pageCount={page.pageCount}
        total={page.total}
        size={page.size}
        noun="tenants"
        hrefFor={(target) => `${basePath}${tenantListQuery(params, { page: target })}`}
      />
    </>
  );
}
