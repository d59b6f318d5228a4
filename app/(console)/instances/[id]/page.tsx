import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Capacity } from "@/components/instances/capacity";
import { TenantFilters } from "@/components/tenants/tenant-filters";
import { TenantTable } from "@/components/tenants/tenant-table";
import { Badge, InstanceStatusBadge } from "@/components/ui/badges";
import { Suspense } from "react";
import { InstanceMetrics } from "@/components/fleet/instance-metrics";
import { MetricsSkeleton } from "@/components/metrics/metrics-skeleton";
import { rangeHref, TimeRangePicker } from "@/components/metrics/time-range-picker";
import { formatDateTime } from "@/components/ui/format";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { BackUpButton } from "@/components/backups/backup-forms";
import { backupChoices } from "@/lib/backup/queries";
import { backUpNowAction } from "../../backups/actions";
import { getStorageInstance } from "@/lib/catalog/storage-instances";
import { parseTenantListParams, type SearchParams } from "@/lib/catalog/tenant-list-params";
import { listTenants } from "@/lib/catalog/tenants";
import { slugPattern } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { loadInstanceView } from "@/lib/dashboards/instance-view";
import { pageViewContext, type PageViewContext } from "@/lib/dashboards/page-context";
import { settleView } from "@/lib/dashboards/view-result";
import { checkKeyScheme, describeKeyScheme, storedKeyScheme } from "@/lib/storage/key-scheme";
import type { ChartAnnotation } from "@/components/charts/time-series-chart";
import { FindingsPanel } from "@/components/findings/findings-panel";
import { operationAnnotations } from "@/components/findings/operation-annotations";
import { findingsOf, operationsTouching } from "@/lib/fleet-watch/queries";
import { InstanceCostSection } from "./cost-section";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: slugPattern.test(id) ? id : "Unknown storage instance" };
}

async function InstanceMetricsSection({
  id,
  context,
  annotations,
}: {
  id: string;
  context: PageViewContext;
  annotations: ChartAnnotation[];
}) {
  const result = await settleView(loadInstanceView(getDb(), context.reader, context.window, context.thresholds, id).then((view) => view!));
  return <InstanceMetrics initial={result} instanceId={id} rangeQuery={context.rangeQuery} annotations={annotations} />;
}

export default async function InstancePage({ params, searchParams }: Props) {
  const { id } = await params;
  const user = await requirePagePermission("tenants.read");
  if (!slugPattern.test(id)) notFound();
  const db = getDb();
  const instance = await getStorageInstance(db, id);
  if (!instance) notFound();
  const rawParams = await searchParams;
  const context = pageViewContext(rawParams);
  const parsed = parseTenantListParams(rawParams);
  // The instance comes from the path; the URL carries only search, filters, sort and page.
  const viewParams = { ...parsed.params, instance: undefined };
  const listQuery = Object.fromEntries(new URLSearchParams(rawParams as Record<string, string>).entries());
  const { range } = context.window;
  const canBackUp = can(user.role, "backups.manage") && instance.status !== "retired" && instance.status !== "provisioning";
  const [tenants, findings, operations, backupInstanceChoices] = await Promise.all([
    listTenants(db, { ...viewParams, instance: instance.id }),
    findingsOf(db, { storageInstanceId: instance.id }),
    operationsTouching(db, { storageInstanceId: instance.id }, range.startMs, range.endMs + context.window.periodSeconds * 1000),
    canBackUp ? backupChoices(db, [instance.id]) : [],
  ]);
  const keyScheme = storedKeyScheme(instance.keyScheme);
  const keySchemeNotes = checkKeyScheme(keyScheme, instance.mode);
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/instances" className="hover:underline">
            Storage instances
          </Link>
        }
        title={<span className="font-mono">{instance.id}</span>}
        description={
          <span className="flex items-center gap-2">
            <Badge tone={instance.mode === "pool" ? "neutral" : "accent"}>{instance.mode}</Badge>
            <InstanceStatusBadge status={instance.status} />
            <span className="font-mono text-xs">{instance.tableName}</span>
          </span>
        }
        actions={
          <TimeRangePicker
            current={context.rangeKey}
            hrefFor={(key) => rangeHref(`/instances/${instance.id}`, key, { ...listQuery, range: undefined })}
          />
        }
      />
      <ErrorNotice title="The link's time range was ignored" messages={context.rangeError ? [context.rangeError] : []} />
      <div className="mb-4">
        <Panel
          title="Instance"
          actions={
            <span className="flex flex-wrap gap-3 text-xs">
              <Link href={`/backups?instance=${instance.id}`} className="text-accent hover:underline">
                Backups and restores
              </Link>
              {can(user.role, "audit.read") ? (
                <Link href={`/audit?instance=${encodeURIComponent(instance.id)}`} className="text-accent hover:underline">
                  Audit log
                </Link>
              ) : null}
            </span>
          }
        >
          <Facts
            items={[
              { label: "DynamoDB table", value: <span className="font-mono text-xs">{instance.tableName}</span> },
              {
                label: "Capacity",
                value: <Capacity mode={instance.capacityMode} read={instance.readUnitsPerSec} write={instance.writeUnitsPerSec} />,
              },
              { label: "Region", value: instance.region },
              {
                label: "Key scheme",
                value: (
                  <span>
                    <span className="font-mono text-xs">{describeKeyScheme(keyScheme)}</span>
                    {instance.keyScheme === null ? <span className="text-muted"> (the default)</span> : null}
                    {keySchemeNotes.ok ? (
                      keySchemeNotes.notes.length > 0 ? (
                        <span className="block text-xs text-muted">{keySchemeNotes.notes.join("; ")}</span>
                      ) : null
                    ) : (
                      <span className="block text-xs text-danger">Cannot be served safely: {keySchemeNotes.reasons.join("; ")}</span>
                    )}
                  </span>
                ),
              },
              { label: "Created", value: <span className="num">{formatDateTime(instance.createdAt)}</span> },
            ]}
          />
          {canBackUp ? (
            <div className="border-t border-border px-4 py-3">
              <BackUpButton instances={backupInstanceChoices} action={backUpNowAction} />
            </div>
          ) : null}
        </Panel>
      </div>
      <div className="mb-4">
        <FindingsPanel findings={findings} scope="instance" id={instance.id} />
      </div>
      <InstanceCostSection instanceId={instance.id} />
      <Suspense key={context.rangeKey} fallback={<MetricsSkeleton label="instance metrics" />}>
        <InstanceMetricsSection id={instance.id} context={context} annotations={operationAnnotations(operations)} />
      </Suspense>
      <h2 className="mb-2 mt-6 text-[15px] font-semibold">Tenants placed here</h2>
      <TenantFilters params={viewParams} />
      <ErrorNotice title="Some of the link's filters were ignored" messages={parsed.errors} />
      <Panel>
        <TenantTable page={tenants} params={viewParams} basePath={`/instances/${instance.id}`} />
      </Panel>
    </>
  );
}
