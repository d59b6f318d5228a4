import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PlanForm } from "@/components/plans/plan-form";
import { countOf } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { getPlan } from "@/lib/catalog/plans";
import { getDb } from "@/lib/db/client";
import { updatePlanAction } from "../actions";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Edit throttling plan" };

export default async function EditPlanPage({ params }: Props) {
  await requirePagePermission("plans.manage");
  const { id } = await params;
  const plan = await getPlan(getDb(), { id });
  if (!plan) notFound();
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/plans" className="hover:underline">
            Throttling plans
          </Link>
        }
        title={<span dir="auto">Edit {plan.name}</span>}
        description={`Applies to the ${countOf(plan._count.tenants, "tenant")} on this plan, as an operation: the catalog, enforcement and every one of their routing records are updated.`}
      />
      <Panel>
        <PlanForm mode="edit" action={updatePlanAction} plan={plan} />
      </Panel>
    </>
  );
}
