import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { MetricsSkeleton } from "@/components/metrics/metrics-skeleton";
import { MigrationForm } from "@/components/tenants/migration-form";
import { countOf, formatBytes } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { dynamoDbClient } from "@/lib/aws/clients";
import { requirePagePermission } from "@/lib/auth/session";
import { getTenantSummary } from "@/lib/catalog/tenants";
import { getDb } from "@/lib/db/client";
import { DependencyError, metricsReader } from "@/lib/metrics/source";
import { loadMigrationPlan } from "@/lib/migration/plan";
import { firstValues } from "@/lib/validation/search-params";
import { migrateTenantAction } from "./actions";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Migrate tenant" };

async function Plan({ tenantId, target }: { tenantId: string; target: string | null }) {
  let plan;
  try {
    plan = await loadMigrationPlan(getDb(), metricsReader(), dynamoDbClient, tenantId);
  } catch (error) {
    if (!(error instanceof DependencyError)) throw error;
    return <DependencyUnavailable dependency="CloudWatch" message={error.message} what="each target's measured headroom" />;
  }
  if (!plan)
    return (
      <p role="alert" className="rounded-lg border border-border bg-warning-soft px-4 py-3 text-warning">
        {tenantId} has no placement to move from.
      </p>
    );
  if (plan.targets.length === 0)
    return <p className="text-muted">No other active pool in the tenant&apos;s region, and the tenant cannot move to a silo of its own.</p>;
  return (
    <>
      <Panel
        title={`Move from ${plan.sourceId}`}
        actions={
          <span className="num text-xs text-muted">
            {countOf(plan.items, "item")}, about {formatBytes(plan.bytes)}; estimates from{" "}
            {plan.pastMigrations ? countOf(plan.pastMigrations, "measured migration") : "defaults (no migration measured yet)"}
          </span>
        }
      >
        <MigrationForm tenantId={tenantId} targets={plan.targets} initialTarget={target} action={migrateTenantAction} />
      </Panel>
      <p className="mt-2 max-w-3xl text-xs text-muted">
        The tenant keeps working while its items are copied and every item is compared. Its writes are frozen only at the end, while the
        last changes are copied and verified; any difference cancels the switch and removes the copy. The source copy is kept for the
        rollback window, then deleted.
      </p>
    </>
  );
}

export default async function MigrateTenantPage({ params, searchParams }: Props) {
  await requirePagePermission("tenants.migrate");
  const { id } = await params;
  const tenant = await getTenantSummary(getDb(), { id });
  if (!tenant) notFound();
  const { target } = firstValues(await searchParams, ["target"]);
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link href="/tenants" className="hover:underline">
              Tenants
            </Link>{" "}
            /{" "}
            <Link href={`/tenants/${tenant.id}`} className="hover:underline">
              <span dir="auto">{tenant.name}</span>
            </Link>
          </>
        }
        title="Migrate tenant"
        description="Moves the tenant to another pool or to a silo of its own as an operation: copy, catch up, verify, freeze, verify, cut over."
      />
      {tenant.status === "active" ? (
        <Suspense fallback={<MetricsSkeleton label="migration plan" panels={1} />}>
          <Plan tenantId={tenant.id} target={target ?? null} />
        </Suspense>
      ) : (
        <p role="alert" className="rounded-lg border border-border bg-warning-soft px-4 py-3 text-warning">
          {tenant.id} is {tenant.status}; only an active tenant can be migrated.
        </p>
      )}
    </>
  );
}
