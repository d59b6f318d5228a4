import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OperationTable } from "@/components/operations/operation-table";
import { InstanceStatusBadge, ModelBadge, TenantStatusBadge, TierBadge } from "@/components/ui/badges";
import { NotYetAvailable } from "@/components/ui/empty-state";
import { formatDateTime, withUnit } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { getTenant } from "@/lib/catalog/tenants";
import { slugPattern } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";

type Props = { params: Promise<{ id: string }> };

async function loadTenant(id: string) {
  return slugPattern.test(id) ? getTenant(getDb(), id) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: slugPattern.test(id) ? id : "Unknown tenant" };
}

export default async function TenantPage({ params }: Props) {
  const { id } = await params;
  await requirePagePermission("tenants.read");
  const tenant = await loadTenant(id);
  if (!tenant) notFound();
  const instance = tenant.storageInstance;
  return (
    <>
      <PageHeader
        eyebrow={<Link href="/tenants" className="hover:underline">Tenants</Link>}
        title={<span dir="auto">{tenant.name}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{tenant.id}</span>
            <TenantStatusBadge status={tenant.status} />
            <TierBadge tier={tenant.tier} />
            <ModelBadge model={tenant.deploymentModel} />
          </span>
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Placement">
          <Facts
            items={[
              { label: "Deployment model", value: <ModelBadge model={tenant.deploymentModel} /> },
              {
                label: "Storage instance",
                value: instance ? (
                  <Link href={`/instances/${instance.id}`} className="font-mono text-xs text-accent hover:underline">{instance.id}</Link>
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
            ]}
          />
        </Panel>
        <Panel title="Throttling plan">
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
      <div className="mt-4">
        <NotYetAvailable title="Health: usage against quota, throttling, latency">
          Per-tenant metrics from CloudWatch are not connected yet; this panel fills in when the metrics reader lands. No
          numbers are shown until they are measured.
        </NotYetAvailable>
      </div>
      <Panel title="Recent operations" className="mt-4">
        <OperationTable
          operations={tenant.operations}
          showTenant={false}
          emptyText="Onboarding, plan changes, migrations and restores of this tenant will be listed here."
        />
      </Panel>
    </>
  );
}
