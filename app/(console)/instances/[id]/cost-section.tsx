// The instance page's cost panel: loads the instance's estimate (lib/cost) and renders it.
import { InstanceCostPanel } from "@/components/costs/instance-cost-panel";
import { loadInstanceCost } from "@/lib/cost/queries";
import { costSettings } from "@/lib/cost/settings";
import { getDb } from "@/lib/db/client";

export async function InstanceCostSection({ instanceId }: { instanceId: string }) {
  const cost = await loadInstanceCost(getDb(), instanceId, costSettings());
  return (
    <div className="mb-4">
      <InstanceCostPanel cost={cost} />
    </div>
  );
}
