// The tenant page's lifecycle panel with what it needs: the tenant's latest
// offboarding, the operation holding it, and the viewer's permissions.
import { LifecyclePanel } from "@/components/tenants/lifecycle-panel";
import type { SignedInUser } from "@/lib/auth/action-context";
import { can } from "@/lib/auth/permissions";
import type { TenantDetail } from "@/lib/catalog/tenants";
import { getDb } from "@/lib/db/client";
import { consoleLifecycleAccess } from "@/lib/lifecycle/access";
import { latestOffboarding } from "@/lib/lifecycle/lifecycle-view";
import { probeDataPlane } from "@/lib/lifecycle/probe";
import { config } from "@/lib/config/config";
import {
  approveOffboardingAction,
  cancelOffboardingAction,
  rejectOffboardingAction,
  requestOffboardingAction,
  resumeTenantAction,
  suspendTenantAction,
} from "./lifecycle-actions";

export async function LifecycleSection({ tenant, user }: { tenant: TenantDetail; user: SignedInUser }) {
  const db = getDb();
  const [offboarding, holder, dataPlane] = await Promise.all([
    latestOffboarding(db, tenant.id),
    db.operation.findUnique({ where: { activeTenantId: tenant.id }, select: { id: true, kind: true } }),
    tenant.status === "provisioning" ? null : probeDataPlane(consoleLifecycleAccess(db), tenant.id),
  ]);
  return (
    <LifecyclePanel
      tenant={tenant}
      offboarding={offboarding}
      dataPlane={dataPlane}
      viewerId={user.id}
      may={{
        suspend: can(user.role, "tenants.suspend"),
        offboard: can(user.role, "tenants.offboard"),
        approve: can(user.role, "tenants.approveOffboarding"),
      }}
      heldBy={holder}
      offboardingDefaults={{ graceDays: config().OFFBOARDING_GRACE_DAYS, maxGraceDays: 90 }}
      actions={{
        suspend: suspendTenantAction,
        resume: resumeTenantAction,
        requestOffboarding: requestOffboardingAction,
        approveOffboarding: approveOffboardingAction,
        rejectOffboarding: rejectOffboardingAction,
        cancelOffboarding: cancelOffboardingAction,
      }}
    />
  );
}
