// Where a staged restore puts the restored items, or why the tenant can only be
// restored in place. A silo tenant gets a new table of its own; a pooled tenant
// another active pool of its region that keys items as its pool does (items
// are written verbatim), has headroom for it (the placement ceiling, with the
// tenant's own 24 h p95 load added, as a migration's form measures it) and
// holds none of its items (e.g. a migration's kept source copy). A bridge
// tenant (two tables) is restored in place.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Db } from "../db/client";
import type { MetricsSource } from "../metrics/reader";
import { defaultPlacementOptions } from "../placement/placement";
import { measureTenantLoads } from "../placement/pool-headroom";
import { siloInstanceFor } from "../placement/silo";
import { describeKeyScheme, sameKeyLayout, storedKeyScheme, type KeyScheme } from "../storage/key-scheme";
import { tenantEntities } from "../storage/tenant-items";
import { countTenantItems } from "../storage/tenant-partitions";
import { tenantData } from "../operations/tenant-data";
import type { Staging, StagingPlacement } from "./restore-plan";

/** Placement never takes a pool above this 24 h p95 utilisation; nor does a staged restore. */
export const stagingCeiling = defaultPlacementOptions.ceiling;

const percent = (value: number) => `${Math.round(value * 100)} %`;

/** A new silo table of the tenant's own for a staged restore: named after the operation, so it never meets the table it replaces. */
export function restoredSiloFor(tenantId: string, region: string, keyScheme: KeyScheme, operationId: string) {
  const silo = siloInstanceFor(tenantId, region, keyScheme);
  const suffix = `-r${operationId.slice(-6)}`;
  return { ...silo, id: `${silo.id.slice(0, 63 - suffix.length)}${suffix}`, tableName: `${silo.tableName}${suffix}` };
}

export interface PoolOption {
  id: string;
  tableName: string;
  region: string;
  keyScheme: KeyScheme;
  /** Its 24 h p95 utilisation with the tenant's own load added. */
  withTenant: number;
}

/**
 * The pools a pooled tenant may be staged into, best first (the least busy with the tenant), and why each other
 * pool may not. Pure.
 */
export function rankPools(tenant: { keyScheme: KeyScheme; storageInstanceId: string }, pools: PoolOption[]) {
  const refused: string[] = [];
  const eligible: PoolOption[] = [];
  for (const pool of pools) {
    if (pool.id === tenant.storageInstanceId) continue;
    if (!sameKeyLayout(tenant.keyScheme, pool.keyScheme)) refused.push(`${pool.id} keys items as ${describeKeyScheme(pool.keyScheme)}`);
    else if (pool.withTenant > stagingCeiling)
      refused.push(`${pool.id} would be ${percent(pool.withTenant)} busy with it (ceiling ${percent(stagingCeiling)})`);
    else eligible.push(pool);
  }
  eligible.sort((a, b) => a.withTenant - b.withTenant || a.id.localeCompare(b.id));
  return { eligible, refused };
}

interface StagingTenant {
  id: string;
  deploymentModel: "pool" | "silo" | "bridge";
  storageInstance: { id: string; tableName: string; region: string; keyScheme: unknown };
}

/** Decides where a staged restore of the tenant goes (measuring pools in CloudWatch, and each candidate for the tenant's items). */
export async function stagingFor(
  deps: { db: Db; metrics: MetricsSource; dynamoDb(region: string): DynamoDBClient },
  tenant: StagingTenant,
  operation: { id: string; label: string },
): Promise<Staging> {
  const current = tenant.storageInstance;
  const keyScheme = storedKeyScheme(current.keyScheme);
  if (tenant.deploymentModel === "bridge")
    return {
      into: null,
      newSilo: false,
      reason: `${tenant.id} is a bridge tenant: its items live in two tables, and a staged restore moves one placement`,
    };
  if (tenant.deploymentModel === "silo") {
    const silo = restoredSiloFor(tenant.id, current.region, keyScheme, operation.id);
    return {
      into: { storageInstanceId: silo.id, tableName: silo.tableName, region: silo.region, mode: "silo" },
      newSilo: true,
      reason: `a silo tenant: staged into a new table of its own (${silo.tableName}); its old table ${current.tableName} is emptied and its instance retired once the tenant is switched`,
    };
  }
  const instances = await deps.db.storageInstance.findMany({
    where: { mode: "pool", status: "active", region: current.region, id: { not: current.id } },
    select: { id: true, tableName: true, region: true, keyScheme: true },
    orderBy: { id: "asc" },
  });
  if (instances.length === 0) return { into: null, newSilo: false, reason: `no other active pool in ${current.region} to stage it into` };
  let loads: Awaited<ReturnType<typeof measureTenantLoads>>;
  try {
    loads = await measureTenantLoads(deps.db, deps.metrics, tenant.id, current);
  } catch (error) {
    return {
      into: null,
      newSilo: false,
      reason: `the other pools' headroom could not be measured (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const options: PoolOption[] = instances.flatMap((instance) => {
    const measured = loads.pools.find((p) => p.storageInstanceId === instance.id);
    if (!measured) return [];
    return [
      { ...instance, keyScheme: storedKeyScheme(instance.keyScheme), withTenant: measured.p95Utilisation + loads.tenantLoadOn(measured) },
    ];
  });
  const { eligible, refused } = rankPools({ keyScheme, storageInstanceId: current.id }, options);
  for (const pool of eligible) {
    const data = tenantData(deps, { tenantId: tenant.id, keyScheme, operation: operation.label, tables: [pool] });
    const held = await countTenantItems(data.table(pool.tableName), { tenantId: tenant.id, keyScheme }, tenantEntities); // a pooled tenant: every entity lives in the pool
    if (held > 0) {
      refused.push(`${pool.id} holds ${held.toLocaleString("en-US")} of its items already (a migration's kept copy?)`);
      continue;
    }
    const into: StagingPlacement = { storageInstanceId: pool.id, tableName: pool.tableName, region: pool.region, mode: "pool" };
    return {
      into,
      newSilo: false,
      reason: `staged into pool ${pool.id} (${percent(pool.withTenant)} busy with it at the 24 h p95${eligible.length > 1 ? `, the least of ${eligible.length} pools with headroom` : ""}), where ${tenant.id} then lives; its items in ${current.id} are deleted once it is switched`,
    };
  }
  return { into: null, newSilo: false, reason: `no other pool in ${current.region} can take it: ${refused.join("; ")}` };
}
