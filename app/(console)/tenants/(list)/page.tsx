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
import { loadFleetHealth, loadPageHealth, matchesHealthFilter } from "@/lib/dashboards/tenant-list-health";
import { DependencyError, metricsReader, viewWindow } from "@/lib/metrics/source";

export const metadata: Metadata = { title: "Tenants" };

const dependencyOnly = (error: unknown) => (error instanceof DependencyError ? error : Promise.reject(error));

export default async function TenantsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePagePermission("tenants.read");
  const { params, errors } = parseTenantListParams(await searchParams);
  const db = getDb();
  const window = viewWindow("6h");
  // The health column is the tenant page's verdict over its default range (lib/dashboards/tenant-list-health.ts): the
  // filter judges the whole fleet before paging; without it, only the page's tenants are read.
  const filter = params.health;
  const fleet = filter ? await loadFleetHealth(db, metricsReader(), window).catch(dependencyOnly) : null;
  const ids =
    fleet && !(fleet instanceof DependencyError)
      ? [...fleet.levels].filter(([, level]) => matchesHealthFilter(level, filter!)).map(([id]) => id)
      : undefined;
  const [page, instanceIds] = await Promise.all([listTenants(db, params, ids), listPoolInstanceIds(db)]);
  const health =
    fleet ??
    (await loadPageHealth(
      db,
      metricsReader(),
      window,
      page.rows.map((row) => ({
        id: row.id,
        status: row.status,
        storageInstanceId: row.storageInstance?.id ?? null,
        bridgeInstanceId: row.bridgeInstance?.id ?? null,
        plan: row.plan,
      })),
    )
      .then((levels) => ({ levels, partial: false }))
      .catch(dependencyOnly));
  const healthError = health instanceof DependencyError ? `Health is not shown: ${health.message}` : null;
  const levels = health instanceof DependencyError ? null : health.levels;
  const incomplete =
    !(health instanceof DependencyError) && health.partial
      ? [
          "CloudWatch answered the fleet-wide health queries in part (one Metrics Insights query reads at most 10,000 metrics and returns at most 500 tenants): tenants it left out are judged on no data. The Findings page lists noisy neighbours and their victims across any fleet.",
        ]
      : [];
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
      <ErrorNotice title="The health filter is incomplete" messages={incomplete} />
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
