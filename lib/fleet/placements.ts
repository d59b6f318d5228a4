// Which tenants share which storage instance, with the plan rate that sets
// each one's fair share: the catalog side of every metrics view.
import type { Db } from "../db/client";
import type { InstanceModeValue, TierValue } from "../catalog/vocabulary";

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

const tenantSelect = { id: true, name: true, tier: true, plan: { select: { ratePerSec: true, quotaPerDay: true } } } as const;
// An offboarded tenant keeps its history but no longer draws on an instance.
const placedWhere = { status: { not: "offboarded" } } as const;

function toPlaced(t: { id: string; name: string; tier: TierValue; plan: { ratePerSec: number; quotaPerDay: number } }): PlacedTenant {
  return { id: t.id, name: t.name, tier: t.tier, planRatePerSec: t.plan.ratePerSec, quotaPerDay: t.plan.quotaPerDay };
}

export async function loadPlacements(db: Db, where: { id?: string } = {}): Promise<InstancePlacement[]> {
  const instances = await db.storageInstance.findMany({
    where: { ...where, status: { not: "retired" } },
    orderBy: [{ mode: "asc" }, { id: "asc" }],
    include: {
      tenants: { where: placedWhere, select: tenantSelect, orderBy: { id: "asc" } },
      bridgedTenants: { where: placedWhere, select: tenantSelect, orderBy: { id: "asc" } },
    },
  });
  return instances.map((instance) => ({
    id: instance.id,
    mode: instance.mode,
    capacityMode: instance.capacityMode,
    readUnitsPerSec: instance.readUnitsPerSec,
    writeUnitsPerSec: instance.writeUnitsPerSec,
    region: instance.region,
    status: instance.status,
    tenants: [...instance.tenants, ...instance.bridgedTenants].map(toPlaced),
  }));
}
