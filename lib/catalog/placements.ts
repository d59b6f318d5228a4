// Which tenants share which storage instance, with the plan rate that sets
// each one's fair share: the catalog side of every metrics view.
import type { Db } from "../db/client";
import type { InstanceModeValue, TierValue } from "./vocabulary";

export interface PlacedTenant {
  id: string;
  name: string;
  tier: TierValue;
  planRatePerSec: number;
  quotaPerDay: number;
}

export interface InstancePlacement {
  id: string;
  mode: InstanceModeValue;
  capacityMode: "provisioned" | "on_demand";
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
  region: string;
  status: string;
  /** Tenants with items here: placed here, or bridge tenants whose siloed entity lives here. */
  tenants: PlacedTenant[];
}

// An offboarded tenant keeps its history but no longer draws on an instance.
const placedWhere = { status: { not: "offboarded" } } as const;

/**
 * Instances in service with their tenants; `withTenants: false` leaves
 * `tenants` empty (capacity views). Three flat queries joined here: at
 * 10,000 tenants this is several times faster than nested relation loads.
 */
export async function loadPlacements(
  db: Db,
  { id, mode, withTenants = true }: { id?: string; mode?: InstanceModeValue; withTenants?: boolean } = {},
): Promise<InstancePlacement[]> {
  const where = { id, mode, status: { not: "retired" as const } };
  const instances = await db.storageInstance.findMany({ where, orderBy: [{ mode: "asc" }, { id: "asc" }] });
  const placements = instances.map((instance) => toPlacement(instance, []));
  if (!withTenants || placements.length === 0) return placements;
  const byId = new Map(placements.map((p) => [p.id, p]));
  const ids = id ? [id] : undefined;
  const [plans, tenants] = await Promise.all([
    db.throttlingPlan.findMany({ select: { id: true, ratePerSec: true, quotaPerDay: true } }),
    db.tenant.findMany({
      where: { ...placedWhere, ...(ids ? { OR: [{ storageInstanceId: { in: ids } }, { bridgeInstanceId: { in: ids } }] } : {}) },
      select: { id: true, name: true, tier: true, planId: true, storageInstanceId: true, bridgeInstanceId: true },
      orderBy: { id: "asc" },
    }),
  ]);
  const planById = new Map(plans.map((plan) => [plan.id, plan]));
  for (const tenant of tenants) {
    const plan = planById.get(tenant.planId)!;
    const placed: PlacedTenant = {
      id: tenant.id,
      name: tenant.name,
      tier: tenant.tier,
      planRatePerSec: plan.ratePerSec,
      quotaPerDay: plan.quotaPerDay,
    };
    for (const instanceId of [tenant.storageInstanceId, tenant.bridgeInstanceId])
      if (instanceId) byId.get(instanceId)?.tenants.push(placed);
  }
  return placements;
}

function toPlacement(
  instance: Pick<InstancePlacement, "id" | "mode" | "capacityMode" | "readUnitsPerSec" | "writeUnitsPerSec" | "region" | "status">,
  tenants: PlacedTenant[],
): InstancePlacement {
  const { id, mode, capacityMode, readUnitsPerSec, writeUnitsPerSec, region, status } = instance;
  return { id, mode, capacityMode, readUnitsPerSec, writeUnitsPerSec, region, status, tenants };
}
