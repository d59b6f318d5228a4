import type { Metadata } from "next";
import Link from "next/link";
import { OnboardingForm } from "@/components/tenants/onboarding-form";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { defaultRegion } from "@/lib/config/config";
import { requirePagePermission } from "@/lib/auth/session";
import { defaultPlanIdsByTier } from "@/lib/catalog/plans";
import { getDb } from "@/lib/db/client";
import { onboardingRegions } from "@/lib/onboarding/requests";
import { onboardTenantAction } from "./actions";

export const metadata: Metadata = { title: "Onboard a tenant" };

export default async function OnboardTenantPage() {
  await requirePagePermission("tenants.onboard");
  const db = getDb();
  const [regions, plansByTier] = await Promise.all([onboardingRegions(db), defaultPlanIdsByTier(db)]);
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/tenants" className="hover:underline">
            Tenants
          </Link>
        }
        title="Onboard a tenant"
        description="Queues an onboarding operation: validate, place, provision, publish the routing record with the plan's limits, seed initial data, activate. You follow it on the operation's page."
      />
      <Panel>
        <OnboardingForm action={onboardTenantAction} regions={regions} defaultRegion={defaultRegion()} plansByTier={plansByTier} />
      </Panel>
    </>
  );
}
