import type { Metadata } from "next";
import Link from "next/link";
import { PlanForm } from "@/components/plans/plan-form";
import { Badge } from "@/components/ui/badges";
import { formatInteger, withUnit } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { listPlans } from "@/lib/catalog/plans";
import { tierLabels } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { createPlanAction } from "./actions";

export const metadata: Metadata = { title: "Throttling plans" };

export default async function PlansPage() {
  const user = await requirePagePermission("tenants.read");
  const admin = can(user.role, "plans.manage");
  const plans = await listPlans(getDb());
  return (
    <>
      <PageHeader
        title="Throttling plans"
        description="Each tenant is on one plan: a token bucket (rate and burst) and a daily quota, enforced by the data plane from the tenant's routing record. Operators move tenants between plans from the tenant's page; admins create and edit plans."
      />
      <Panel>
        <div className="overflow-x-auto">
          <table className="w-full text-[13px]" aria-label="Throttling plans">
            <thead className="border-b border-border bg-surface-2 text-muted">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Plan
                </th>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Default for
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Rate
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Burst
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Daily quota
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Tenants
                </th>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  API Gateway usage plan
                </th>
                {admin ? (
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {plans.map((plan) => (
                <tr key={plan.id}>
                  <td className="px-3 py-1.5">
                    <span className="font-medium" dir="auto">
                      {plan.name}
                    </span>{" "}
                    <span className="font-mono text-xs text-muted">{plan.id}</span>
                  </td>
                  <td className="px-3 py-1.5">
                    {plan.defaultFor ? <Badge>{tierLabels[plan.defaultFor]}</Badge> : <span className="text-muted">—</span>}
                  </td>
                  <td className="num px-3 py-1.5 text-right">{withUnit(plan.ratePerSec, "req/s")}</td>
                  <td className="num px-3 py-1.5 text-right">{withUnit(plan.burst, "req")}</td>
                  <td className="num px-3 py-1.5 text-right">{withUnit(plan.quotaPerDay, "req")}</td>
                  <td className="num px-3 py-1.5 text-right">{formatInteger(plan._count.tenants)}</td>
                  <td className="px-3 py-1.5 font-mono text-xs">{plan.apiGatewayUsagePlanId ?? <span className="text-muted">—</span>}</td>
                  {admin ? (
                    <td className="px-3 py-1.5 text-right">
                      <Link href={`/plans/${plan.id}`} className="text-accent hover:underline" aria-label={`Edit plan ${plan.name}`}>
                        Edit
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      {admin ? (
        <Panel title="New plan" className="mt-4">
          <PlanForm mode="create" action={createPlanAction} />
        </Panel>
      ) : null}
    </>
  );
}
