import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Noisy neighbours" };

export default async function NoisyNeighboursPage() {
  await requirePagePermission("tenants.read");
  return (
    <>
      <PageHeader
        title="Noisy neighbours"
        description="Tenants taking a share of a shared storage instance far above their fair share while co-tenants are throttled."
      />
      <NotYetAvailable title="Detection needs per-tenant metrics">
        Flagged tenants, their evidence, their victims and the recommended action (raise or lower the plan, or migrate)
        are computed from per-tenant CloudWatch metrics, which are not connected yet. This page lists nothing until the
        detection runs on measured data.
      </NotYetAvailable>
    </>
  );
}
