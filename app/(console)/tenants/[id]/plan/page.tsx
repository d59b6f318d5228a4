import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { DependencyUnavailable } from "@/components/metrics/view-states";
import { MetricsSkeleton } from "@/components/metrics/metrics-skeleton";
import { PlanChangeForm } from "@/components/plans/plan-change-form";
import { countOf, formatRate, withUnit } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { listPlans } from "@/lib/catalog/plans";
import { getTenantSummary, type TenantSummary } from "@/lib/catalog/tenants";
import { getDb } from "@/lib/db/client";
import { DependencyError, metricsReader } from "@/lib/metrics/source";
import { loadPlanEffects } from "@/lib/throttling/plan-effects-view";
import { firstValues } from "@/lib/validation/search-params";
import { changePlanAction } from "./actions";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Change throttling plan" };

async function PlanChoices({ tenant, initialPlan }: { tenant: TenantSummary; initialPlan: string | null }) {
  const db = getDb();
  const plans = await listPlans(db);
  let failure: string | null = null;
  let view: Awaited<ReturnType<typeof loadPlanEffects>> | null = null;
  if (tenant.storageInstanceId) {
    try {
      view = await loadPlanEffects(db, metricsReader(), {
        id: tenant.id,
        planId: tenant.planId,
        storageInstanceId: tenant.storageInstanceId,
      });
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      failure = error.message;
    }
  }
  const effects = new Map(view?.plans.map((p) => [p.id, p.effect]));
  const current = view?.plans.find((p) => p.current);
  return (
    <>
      {failure ? (
        <div className="mb-4">
          <DependencyUnavailable dependency="CloudWatch" message={failure} what="the measured effect of each plan" />
        </div>
      ) : null}
      <Panel
        title="Plans, with what each would have refused of this tenant's last 24 hours"
        actions={
          view ? (
            <span className="text-xs text-muted">
              {countOf(view.measured.requests, "request")}, peak {formatRate(view.measured.peakPerSec, "req/s")} (1-minute average); the
              current plan measurably refused {withUnit(view.measured.planThrottled, "req")}
              {current ? `, the model says ${withUnit(current.effect.throttled, "req")}` : ""}
            </span>
          ) : null
        }
      >
        <PlanChangeForm
          tenantId={tenant.id}
          action={changePlanAction}
          initialPlan={initialPlan}
          plans={plans.map((plan) => ({
            id: plan.id,
            name: plan.name,
            ratePerSec: plan.ratePerSec,
            burst: plan.burst,
            quotaPerDay: plan.quotaPerDay,
            current: plan.id === tenant.planId,
            effect: effects.get(plan.id) ?? null,
          }))}
        />
      </Panel>
      <p className="mt-2 max-w-3xl text-xs text-muted">
        Each plan is run as a token bucket and a daily quota over the tenant&apos;s requests per minute. Demand inside a minute is taken as
        even, so bursts shorter than a minute are under-counted: compare the model&apos;s figure for the current plan with what it
        measurably refused.
      </p>
    </>
  );
}

export default async function ChangePlanPage({ params, searchParams }: Props) {
  await requirePagePermission("tenants.changePlan");
  const { id } = await params;
  const { planId } = firstValues(await searchParams, ["planId"]);
  const tenant = await getTenantSummary(getDb(), { id });
  if (!tenant) notFound();
  const changeable = tenant.status === "active" || tenant.status === "suspended";
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
        title="Change throttling plan"
        description="The change runs as an operation: the catalog and the tenant's routing record get the new limits, and the data plane enforces them within its routing cache time (5 s)."
      />
      {changeable ? (
        <Suspense fallback={<MetricsSkeleton label="plan effects" panels={1} />}>
          <PlanChoices tenant={tenant} initialPlan={planId ?? null} />
        </Suspense>
      ) : (
        <p role="alert" className="rounded-lg border border-border bg-warning-soft px-4 py-3 text-warning">
          {tenant.id} is {tenant.status}; only active or suspended tenants change plans.
        </p>
      )}
    </>
  );
}
