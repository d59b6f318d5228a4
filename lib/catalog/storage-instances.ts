// Storage-instance reads: each instance with how many tenants it holds.
import type { Db } from "../db/client";

export async function listStorageInstances(db: Db) {
  const [instances, primary, bridged] = await Promise.all([
    db.storageInstance.findMany({ orderBy: [{ mode: "asc" }, { id: "asc" }] }),
    db.tenant.groupBy({ by: ["storageInstanceId"], _count: { _all: true }, where: { storageInstanceId: { not: null } } }),
    db.tenant.groupBy({ by: ["bridgeInstanceId"], _count: { _all: true }, where: { bridgeInstanceId: { not: null } } }),
  ]);
  const counts = new Map<string, number>();
  for (const row of primary) if (row.storageInstanceId) counts.set(row.storageInstanceId, row._count._all);
  for (const row of bridged) {
    if (row.bridgeInstanceId) counts.set(row.bridgeInstanceId, (counts.get(row.bridgeInstanceId) ?? 0) + row._count._all);
  }
  return instances.map((instance) => ({ ...instance, tenantCount: counts.get(instance.id) ?? 0 }));
}

export type StorageInstanceRow = Awaited<ReturnType<typeof listStorageInstances>>[number];

export async function getStorageInstance(db: Db, id: string) {
  return db.storageInstance.findUnique({ where: { id } });
}

/** Pool instances are the useful filter choices; silos hold one tenant each and are reached from it. */
export async function listPoolInstanceIds(db: Db): Promise<string[]> {
  const rows = await db.storageInstance.findMany({ where: { mode: "pool" }, select: { id: true }, orderBy: { id: "asc" } });
  return rows.map((row) => row.id);
}
