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

/** Instances in service with their tenants; `withTenants: false` leaves `tenants` empty (capacity views). */
export async function loadPlacements(db: Db, { id, mode, withTenants = true }: { id?: string; mode?: InstanceModeValue; withTenants?: boolean } = {}): Promise<InstancePlacement[]> {
  const where = { id, mode, status: { not: "retired" as const } };
  const orderBy = [{ mode: "asc" as const }, { id: "asc" as const }];
  if (!withTenants) return (await db.storageInstance.findMany({ where, orderBy })).map((instance) => toPlacement(instance, []));
  const placed = { where: placedWhere, select: tenantSelect, orderBy: { id: "asc" as const } };
  const instances = await db.storageInstance.findMany({ where, orderBy, include: { tenants: placed, bridgedTenants: placed } });
  return instances.map((instance) => toPlacement(instance, [...instance.tenants, ...instance.bridgedTenants].map(toPlaced)));
}

function toPlacement(
  instance: Pick<InstancePlacement, "id" | "mode" | "capacityMode" | "readUnitsPerSec" | "writeUnitsPerSec" | "region" | "status">,
  tenants: PlacedTenant[],
): InstancePlacement {
  const { id, mode, capacityMode, readUnitsPerSec, writeUnitsPerSec, region, status } = instance;
  return { id, mode, capacityMode, readUnitsPerSec, writeUnitsPerSec, region, status, tenants };
}
