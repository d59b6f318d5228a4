// What an import reads of the catalog: the plans and storage instances (to
// validate the file), and the tenants the file's rows could collide with (its
// tenant ids, the key prefixes its new tenants would take, the silos they would
// enter), read in chunks so a file of 10,000 tenants stays a few queries.
import "server-only";
import type { Db } from "../db/client";
import { nameKey } from "../validation/names";
import { storedKeyScheme, tenantKeyPrefix } from "../storage/key-scheme";
import type { CatalogInstance, CatalogState, CatalogTenant } from "./plan";
import type { CatalogFacts, DeclaredFleet } from "./validate";

const chunkSize = 2_000;

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < values.length; start += chunkSize) out.push(values.slice(start, start + chunkSize));
  return out;
}

export async function catalogInstances(db: Db): Promise<CatalogInstance[]> {
  return db.storageInstance.findMany({
    select: { id: true, tableName: true, region: true, mode: true, status: true, keyScheme: true },
    orderBy: { id: "asc" },
  });
}

export async function catalogFacts(db: Db, instances: readonly CatalogInstance[]): Promise<CatalogFacts> {
  const plans = await db.throttlingPlan.findMany({ select: { id: true } });
  return {
    planIds: new Set(plans.map((p) => p.id)),
    instances: new Map(instances.map((i) => [i.id, { mode: i.mode, keyScheme: i.keyScheme }])),
  };
}

const tenantSelect = {
  id: true,
  name: true,
  tier: true,
  deploymentModel: true,
  status: true,
  planId: true,
  storageInstanceId: true,
  bridgeEntity: true,
  bridgeInstanceId: true,
  contactEmail: true,
  keyPrefix: true,
  nameKey: true,
} as const;

/** The catalog as the plan needs it for this file. */
export async function catalogState(db: Db, fleet: DeclaredFleet, instances: readonly CatalogInstance[]): Promise<CatalogState> {
  const schemes = new Map<string, unknown>(instances.map((i) => [i.id, i.keyScheme]));
  for (const declared of fleet.instances) schemes.set(declared.id, declared.keyScheme);
  const prefixes: string[] = [];
  for (const tenant of fleet.tenants) {
    try {
      prefixes.push(tenantKeyPrefix(storedKeyScheme(schemes.get(tenant.storageInstanceId) ?? null), tenant.id));
    } catch {
      // An unreadable stored scheme: the plan says so on the tenant's row.
    }
  }
  const silos = [
    ...new Set(
      fleet.tenants
        .flatMap((t) => [t.deploymentModel === "silo" ? t.storageInstanceId : null, t.bridgeInstanceId])
        .filter((id) => id !== null),
    ),
  ];
  const found = new Map<string, CatalogTenant>();
  const add = (rows: CatalogTenant[]) => rows.forEach((row) => found.set(row.id, row));
  for (const ids of chunks(fleet.tenants.map((t) => t.id)))
    add(await db.tenant.findMany({ where: { id: { in: ids } }, select: tenantSelect }));
  for (const keys of chunks([...new Set(fleet.tenants.map((t) => nameKey(t.name)))]))
    add(await db.tenant.findMany({ where: { nameKey: { in: keys } }, select: tenantSelect }));
  for (const keys of chunks(prefixes.filter((p) => p.length > 0)))
    add(await db.tenant.findMany({ where: { keyPrefix: { in: keys } }, select: tenantSelect }));
  for (const ids of chunks(silos))
    add(
      await db.tenant.findMany({
        where: { OR: [{ storageInstanceId: { in: ids } }, { bridgeInstanceId: { in: ids } }], status: { not: "offboarded" } },
        select: tenantSelect,
      }),
    );
  return { instances, tenants: [...found.values()] };
}
