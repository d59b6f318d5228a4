// The tenant page's cost panel: loads the tenant's estimate (lib/cost) and renders it.
import { TenantCostPanel } from "@/components/costs/tenant-cost-panel";
import { loadTenantCost } from "@/lib/cost/queries";
import { costSettings } from "@/lib/cost/settings";
import { getDb } from "@/lib/db/client";

export async function TenantCostSection({ tenantId }: { tenantId: string }) {
  const cost = await loadTenantCost(getDb(), tenantId, costSettings());
  return (
    <div className="mt-4">
      <TenantCostPanel cost={cost} />
    </div>
  );
}
