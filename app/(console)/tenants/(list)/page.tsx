import type { Metadata } from "next";
import { TenantFilters } from "@/components/tenants/tenant-filters";
import { TenantTable } from "@/components/tenants/tenant-table";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { listPoolInstanceIds } from "@/lib/catalog/storage-instances";
import { parseTenantListParams, type SearchParams } from "@/lib/catalog/tenant-list-params";
import { listTenants } from "@/lib/catalog/tenants";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePagePermission("tenants.read");
  const { params, errors } = parseTenantListParams(await searchParams);
  const db = getDb();
  const [page, instanceIds] = await Promise.all([listTenants(db, params), listPoolInstanceIds(db)]);
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Every tenant, where its data lives and the plan that limits it."
        actions={
          can(user.role, "tenants.onboard") ? (
            <Link href="/tenants/new" className="rounded-md bg-accent px-3 py-1.5 text-[13px] font-medium text-accent-fg">
              Onboard tenant
            </Link>
          ) : null
        }
      />
      <TenantFilters params={params} instanceIds={instanceIds} />
      <ErrorNotice title="Some of the link's filters were ignored" messages={errors} />
      <Panel>
        <TenantTable page={page} params={params} basePath="/tenants" />
      </Panel>
    </>
  );
}
