import type { Metadata } from "next";
import Link from "next/link";
import { PlanForm } from "@/components/plans/plan-form";
import { Badge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatInteger, formatUsd, withUnit } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { listPlans, type PlanRow } from "@/lib/catalog/plans";
import { tierLabels } from "@/lib/catalog/vocabulary";
import { getDb } from "@/lib/db/client";
import { createPlanAction } from "./actions";

export const metadata: Metadata = { title: "Throttling plans" };

const columns: Column<PlanRow>[] = [
  {
    key: "plan",
    header: "Plan",
    cell: (plan) => (
      <>
        <span className="font-medium" dir="auto">
          {plan.name}
        </span>{" "}
        <span className="font-mono text-xs text-muted">{plan.id}</span>
      </>
    ),
  },
  {
    key: "defaultFor",
    header: "Default for",
    cell: (plan) => (plan.defaultFor ? <Badge>{tierLabels[plan.defaultFor]}</Badge> : <span className="text-muted">—</span>),
  },
  { key: "rate", header: "Rate", numeric: true, cell: (plan) => withUnit(plan.ratePerSec, "req/s") },
  { key: "burst", header: "Burst", numeric: true, cell: (plan) => withUnit(plan.burst, "req") },
  { key: "quota", header: "Daily quota", numeric: true, cell: (plan) => withUnit(plan.quotaPerDay, "req") },
  {
    key: "price",
    header: "Price a month",
    numeric: true,
    cell: (plan) =>
      plan.priceCentsPerMonth === null ? <span className="text-muted">not priced</span> : formatUsd(plan.priceCentsPerMonth / 100),
  },
  { key: "tenants", header: "Tenants", numeric: true, cell: (plan) => formatInteger(plan._count.tenants) },
  {
    key: "usagePlan",
    header: "API Gateway usage plan",
    className: "font-mono text-xs",
    cell: (plan) => plan.apiGatewayUsagePlanId ?? <span className="text-muted">—</span>,
  },
];

const editColumn: Column<PlanRow> = {
  key: "edit",
  header: "Actions",
  headerHidden: true,
  align: "right",
  cell: (plan) => (
    <Link href={`/plans/${plan.id}`} className="text-accent hover:underline" aria-label={`Edit plan ${plan.name}`}>
      Edit
    </Link>
  ),
};

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
        <DataTable
          label="Throttling plans"
          columns={admin ? [...columns, editColumn] : columns}
          rows={plans}
          rowKey={(plan) => plan.id}
          empty={{
            title: "No throttling plans yet",
            body: admin ? "Create the first plan below; every tenant needs one." : "An admin creates plans; every tenant needs one.",
          }}
        />
      </Panel>
      {admin ? (
        <Panel title="New plan" className="mt-4">
          <PlanForm mode="create" action={createPlanAction} />
        </Panel>
      ) : null}
    </>
  );
}
