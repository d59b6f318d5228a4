import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OperationTable } from "@/components/operations/operation-table";
import { InstanceStatusBadge, ModelBadge, TenantStatusBadge, TierBadge } from "@/components/ui/badges";
import { Suspense } from "react";
import { TenantHealthPanel } from "@/components/fleet/tenant-health-panel";
import { MetricsSkeleton } from "@/components/metrics/metrics-skeleton";
import { rangeHref, TimeRangePicker } from "@/components/metrics/time-range-picker";
import { ErrorNotice } from "@/components/ui/notice";
import { formatDateTime, withUnit } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getTenant, type TenantDetail } from "@/lib/catalog/tenants";
import { slugPattern } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { pageViewContext, type PageViewContext } from "@/lib/dashboards/page-context";
import { loadTenantHealth } from "@/lib/dashboards/tenant-health";
import { settleView } from "@/lib/dashboards/view-result";
import { TenantStateNotice } from "@/components/fleet-checks/tenant-state";
import { consoleAccess } from "@/lib/fleet-checks/access";
import { tenantStateProblem } from "@/lib/fleet-checks/reconcile";
import { repairTenantStateAction } from "../../fleet-checks/actions";
import { IntegrationChecklistView } from "@/components/tenants/integration-checklist";
import { latestIntegrationCheck } from "@/lib/integration-check/queries";
import { integrationCheckAction } from "./actions";
import { TenantCostSection } from "./cost-section";
import { BackUpButton } from "@/components/backups/backup-forms";
import { backupChoices } from "@/lib/backup/queries";
import { backUpNowAction } from "../../backups/actions";
import type { ChartAnnotation } from "@/components/charts/time-series-chart";
import { FindingsPanel } from "@/components/findings/findings-panel";
import { operationAnnotations } from "@/components/findings/operation-annotations";
import { findingsOf, operationsTouching } from "@/lib/fleet-watch/queries";
import { LifecycleSection } from "./lifecycle-section";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

async function loadTenant(id: string) {
  return slugPattern.test(id) ? getTenant(getDb(), id) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: slugPattern.test(id) ? id : "Unknown tenant" };
}

async function HealthSection({
  tenant,
  context,
  annotations,
}: {
  tenant: TenantDetail;
  context: PageViewContext;
  annotations: ChartAnnotation[];
}) {
  const result = await settleView(loadTenantHealth(getDb(), context.reader, context.window, context.thresholds, tenant));
  return <TenantHealthPanel initial={result} tenantId={tenant.id} rangeQuery={context.rangeQuery} annotations={annotations} />;
}

export default async function TenantPage({ params, searchParams }: Props) {
  const { id } = await params;
  const user = await requirePagePermission("tenants.read");
  const tenant = await loadTenant(id);
  if (!tenant) notFound();
  const context = pageViewContext(await searchParams);
  const instance = tenant.storageInstance;
  // Routing unreachable: no notice (the header's health indicator says so).
  const { range } = context.window;
  const backupInstances = [instance?.id, tenant.bridgeInstance?.id].filter((i): i is string => !!i);
  const canBackUp = can(user.role, "backups.manage") && backupInstances.length > 0;
  const [stateProblem, checklist, findings, operations, backupInstanceChoices] = await Promise.all([
    tenantStateProblem(consoleAccess(), tenant.id).catch(() => null),
    latestIntegrationCheck(getDb(), tenant.id),
    findingsOf(getDb(), { tenantId: tenant.id }),
    operationsTouching(getDb(), { tenantId: tenant.id }, range.startMs, range.endMs + context.window.periodSeconds * 1000),
    canBackUp ? backupChoices(getDb(), backupInstances) : [],
  ]);
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/tenants" className="hover:underline">
            Tenants
          </Link>
        }
        title={<span dir="auto">{tenant.name}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{tenant.id}</span>
            <TenantStatusBadge status={tenant.status} />
            <TierBadge tier={tenant.tier} />
            <ModelBadge model={tenant.deploymentModel} />
          </span>
        }
        actions={<TimeRangePicker current={context.rangeKey} hrefFor={(key) => rangeHref(`/tenants/${tenant.id}`, key)} />}
      />
      <ErrorNotice title="The link's time range was ignored" messages={context.rangeError ? [context.rangeError] : []} />
      {stateProblem ? (
        <TenantStateNotice problem={stateProblem} canRepair={can(user.role, "operations.manage")} action={repairTenantStateAction} />
      ) : null}
      <div className="mb-4">
        <FindingsPanel findings={findings} scope="tenant" id={tenant.id} />
      </div>
      <div className="mb-4">
        <Suspense key={context.rangeKey} fallback={<MetricsSkeleton label="tenant health" panels={1} />}>
          <HealthSection tenant={tenant} context={context} annotations={operationAnnotations(operations)} />
        </Suspense>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Panel
          title="Placement"
          actions={
            tenant.status === "active" && (can(user.role, "tenants.migrate") || can(user.role, "tenants.restore")) ? (
              <span className="flex gap-2">
                {can(user.role, "tenants.restore") ? (
                  <Link
                    href={`/tenants/${tenant.id}/restore`}
                    className="rounded-md border border-border px-2 py-0.5 text-xs text-accent hover:bg-surface-2"
                  >
                    Restore
                  </Link>
                ) : null}
                {can(user.role, "tenants.migrate") ? (
                  <Link
                    href={`/tenants/${tenant.id}/migrate`}
                    className="rounded-md border border-border px-2 py-0.5 text-xs text-accent hover:bg-surface-2"
                  >
                    Migrate
                  </Link>
                ) : null}
              </span>
            ) : null
          }
        >
          <Facts
            items={[
              { label: "Deployment model", value: <ModelBadge model={tenant.deploymentModel} /> },
              {
                label: "Storage instance",
                value: instance ? (
                  <Link href={`/instances/${instance.id}`} className="font-mono text-xs text-accent hover:underline">
                    {instance.id}
                  </Link>
                ) : (
                  <span className="text-muted">not placed</span>
                ),
              },
              { label: "DynamoDB table", value: <span className="font-mono text-xs">{instance?.tableName ?? "—"}</span> },
              { label: "Instance mode", value: instance?.mode ?? "—" },
              { label: "Instance status", value: instance ? <InstanceStatusBadge status={instance.status} /> : "—" },
              { label: "Key prefix", value: <span className="font-mono text-xs">{tenant.keyPrefix ?? "—"}</span> },
              ...(tenant.bridgeInstance
                ? [
                    {
                      label: `Siloed entity “${tenant.bridgeEntity ?? "?"}”`,
                      value: (
                        <Link href={`/instances/${tenant.bridgeInstance.id}`} className="font-mono text-xs text-accent hover:underline">
                          {tenant.bridgeInstance.tableName}
                        </Link>
                      ),
                    },
                  ]
                : []),
              { label: "Region", value: instance?.region ?? "—" },
              ...(backupInstances.length
                ? [
                    {
                      label: "Backups",
                      value: (
                        <span className="flex flex-wrap gap-x-3">
                          {backupInstances.map((id) => (
                            <Link key={id} href={`/backups?instance=${id}`} className="text-accent hover:underline">
                              {backupInstances.length > 1 ? `of ${id}` : "Backups of its instance"}
                            </Link>
                          ))}
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {canBackUp ? (
            <div className="border-t border-border px-4 py-3">
              <BackUpButton instances={backupInstanceChoices} action={backUpNowAction} />
            </div>
          ) : null}
        </Panel>
        <Panel
          title="Throttling plan"
          actions={
            can(user.role, "tenants.changePlan") && (tenant.status === "active" || tenant.status === "suspended") ? (
              <Link
                href={`/tenants/${tenant.id}/plan`}
                className="rounded-md border border-border px-2 py-0.5 text-xs text-accent hover:bg-surface-2"
              >
                Change plan
              </Link>
            ) : null
          }
        >
          <Facts
            items={[
              { label: "Plan", value: tenant.plan.name },
              { label: "Rate", value: <span className="num">{withUnit(tenant.plan.ratePerSec, "req/s")}</span> },
              { label: "Burst", value: <span className="num">{withUnit(tenant.plan.burst, "req")}</span> },
              { label: "Quota", value: <span className="num">{withUnit(tenant.plan.quotaPerDay, "req/day")}</span> },
            ]}
          />
        </Panel>
        <Panel title="Tenant">
          <Facts
            items={[
              { label: "Contact", value: tenant.contactEmail ?? "—" },
              { label: "Created", value: <span className="num">{formatDateTime(tenant.createdAt)}</span> },
              { label: "Last changed", value: <span className="num">{formatDateTime(tenant.updatedAt)}</span> },
            ]}
          />
        </Panel>
      </div>
      <TenantCostSection tenantId={tenant.id} />
      <LifecycleSection tenant={tenant} user={user} />
      <Panel title="Integration check" className="mt-4">
        <IntegrationChecklistView
          tenantId={tenant.id}
          checklist={checklist}
          canRun={tenant.status === "active" && can(user.role, "tenants.checkIntegration")}
          action={integrationCheckAction}
        />
      </Panel>
      <Panel
        title="Recent operations"
        className="mt-4"
        actions={
          can(user.role, "audit.read") ? (
            <Link href={`/audit?tenant=${encodeURIComponent(tenant.id)}`} className="text-xs text-accent hover:underline">
              Audit log of this tenant
            </Link>
          ) : null
        }
      >
        <OperationTable
          operations={tenant.operations}
          showTenant={false}
          emptyText="Onboarding, plan changes, migrations and restores of this tenant will be listed here."
        />
      </Panel>
    </>
  );
}
