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
import { loadListHealth, matchesHealthFilter } from "@/lib/dashboards/tenant-list-health";
import { DependencyError, metricsReader, viewWindow } from "@/lib/metrics/source";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePagePermission("tenants.read");
  const { params, errors } = parseTenantListParams(await searchParams);
  const db = getDb();
  // The health column: the tenant page's verdict over its default range, from fleet-wide reads (lib/dashboards/tenant-list-health.ts).
  const health = await loadListHealth(db, metricsReader(), viewWindow("6h")).catch((error: unknown) =>
    error instanceof DependencyError ? error : Promise.reject(error),
  );
  const healthError = health instanceof DependencyError ? `Health is not shown: ${health.message}` : null;
  const levels = health instanceof DependencyError ? null : health;
  const filter = params.health;
  const ids = filter && levels ? [...levels].filter(([, level]) => matchesHealthFilter(level, filter)).map(([id]) => id) : undefined;
  const [page, instanceIds] = await Promise.all([listTenants(db, params, ids), listPoolInstanceIds(db)]);
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
      <TenantFilters params={params} instanceIds={instanceIds} withHealth />
      <ErrorNotice title="Some of the link's filters were ignored" messages={errors} />
      <ErrorNotice
        title={filter ? "The health filter was ignored" : "Health could not be read"}
        messages={healthError ? [healthError] : []}
      />
      <Panel>
        <TenantTable page={page} params={params} basePath="/tenants" health={levels} />
      </Panel>
    </>
  );
}
