// A small fleet for migration tests: two pools, a tenant with thousands of
// items that moves, and neighbours whose items must come out untouched.
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import type { DemoFleet } from "../../../prisma/demo-fleet";
import { demoPlans, demoUsers } from "../../../prisma/demo-fleet";
import { tenantEntities } from "../../storage/tenant-items";
import { tenantScopedClient } from "../../storage/tenant-access";
import { defaultKeyScheme, isDefaultKeyScheme, tenantKeyPrefix, type KeyScheme } from "../../storage/key-scheme";
import { seedKey } from "../../storage/seed-tenant";
import { itemHash, itemKey, readTenantItems, type Item } from "../../storage/tenant-partitions";

const createdAt = new Date(Date.UTC(2026, 0, 1));
/** A pool instance of the test fleets (on demand, us-east-1), keyed by `keyScheme` (the catalog stores the default as null). */
export const pool = (id: string, keyScheme: KeyScheme = defaultKeyScheme) => ({
  id,
  tableName: `tsc-${id}`,
  mode: "pool" as const,
  capacityMode: "on_demand" as const,
  readUnitsPerSec: 12_000,
  writeUnitsPerSec: 4_000,
  region: "us-east-1",
  keyScheme: isDefaultKeyScheme(keyScheme) ? undefined : { ...keyScheme },
  createdAt,
});
/** An active tenant of the test fleets, keyed `<id>#` (or as `keyScheme` says). */
export const tenant = (
  id: string,
  storageInstanceId: string,
  model: "pool" | "silo" = "pool",
  keyScheme: KeyScheme = defaultKeyScheme,
) => ({
  id,
  name: id,
  tier: model === "silo" ? ("premium" as const) : ("standard" as const),
  deploymentModel: model,
  status: "active" as const,
  planId: model === "silo" ? "premium" : "standard",
  storageInstanceId,
  keyPrefix: tenantKeyPrefix(keyScheme, id),
  bridgeEntity: null,
  bridgeInstanceId: null,
  contactEmail: `ops@${id}.example`,
  createdAt,
});

/** A pooled tenant of the fleet, active on the standard plan, in `storageInstanceId`. */
export const pooledTenant = (id: string, storageInstanceId: string) => tenant(id, storageInstanceId);

export const migrationFleet: DemoFleet = {
  plans: demoPlans,
  instances: [pool("pool-a"), pool("pool-b")],
  tenants: [tenant("mover", "pool-a"), tenant("mover-two", "pool-a"), tenant("neighbour-a", "pool-a"), tenant("neighbour-b", "pool-b")],
  users: demoUsers,
};

/** Writes `count` items for the tenant straight into `table`, as the application would have over time, keyed by `keyScheme`. */
export async function fillTenant(
  dynamo: DynamoDBClient,
  table: string,
  tenantId: string,
  count: number,
  itemBytes = 300,
  keyScheme: KeyScheme = defaultKeyScheme,
): Promise<void> {
  const items: Item[] = [];
  for (let n = 0; n < count; n++) {
    const entity = tenantEntities[n % tenantEntities.length]!;
    items.push({
      ...seedKey(keyScheme, tenantId, entity, Math.floor(n / tenantEntities.length)),
      ...(keyScheme.tenantAttribute === null ? {} : { [keyScheme.tenantAttribute]: { S: tenantId } }),
      entity: { S: entity },
      [keyScheme.changeStamp]: { N: String(Date.now() - 3_600_000) },
      payload: { S: `${tenantId}:${n}:`.padEnd(itemBytes, "x") },
    });
  }
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, WriteRequest[]> = { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    while (request[table]?.length) {
      const result = await dynamo.send(new BatchWriteItemCommand({ RequestItems: request }));
      request = { [table]: result.UnprocessedItems?.[table] ?? [] };
    }
  }
}

/** key → content hash of every item the tenant has in `table` (keyed by `keyScheme`). */
export async function tenantDigest(
  dynamo: DynamoDBClient,
  tableName: string,
  tenantId: string,
  keyScheme: KeyScheme = defaultKeyScheme,
): Promise<Map<string, string>> {
  const digest = new Map<string, string>();
  const scope = { tenantId, keyScheme, tables: [tableName], operation: "test digest" };
  for (const pages of readTenantItems({ client: tenantScopedClient(dynamo, scope), tableName }, scope, tenantEntities)) {
    for await (const page of pages) for (const item of page.items) digest.set(itemKey(keyScheme, item), itemHash(item));
  }
  return digest;
}
