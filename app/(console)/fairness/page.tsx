import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Fairness" };

export default async function FairnessPage() {
  await requirePagePermission("tenants.read");
  return (
    <>
      <PageHeader
        title="Fairness"
        description="Jain's index per pool over consumption ÷ entitlement: 1 when perfectly fair, 1/n when one tenant takes everything."
      />
      <NotYetAvailable title="Fairness needs per-tenant metrics">
        Jain&apos;s index per pool over time, the throttle ratio by tier and the distribution of consumption against
        entitlement are computed from per-tenant CloudWatch metrics, which are not connected yet.
      </NotYetAvailable>
    </>
  );
}
