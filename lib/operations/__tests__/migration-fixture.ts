// A small fleet for migration tests: two pools, a tenant with thousands of
// items that moves, and neighbours whose items must come out untouched.
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import type { DemoFleet } from "../../../prisma/demo-fleet";
import { demoPlans, demoUsers } from "../../../prisma/demo-fleet";
import { partitionKeyFor, tenantEntities } from "../../storage/tenant-items";
import { tenantScopedClient } from "../../storage/tenant-access";
import { itemHash, itemKey, readPartition, type Item } from "../../storage/tenant-partitions";

const createdAt = new Date(Date.UTC(2026, 0, 1));
/** A pool instance of the test fleets (on demand, us-east-1). */
export const pool = (id: string) => ({
  id,
  tableName: `tsc-${id}`,
  mode: "pool" as const,
  capacityMode: "on_demand" as const,
  readUnitsPerSec: 12_000,
  writeUnitsPerSec: 4_000,
  region: "us-east-1",
  createdAt,
});
/** An active tenant of the test fleets, keyed `<id>#`. */
export const tenant = (id: string, storageInstanceId: string, model: "pool" | "silo" = "pool") => ({
  id,
  name: id,
  tier: model === "silo" ? ("premium" as const) : ("standard" as const),
  deploymentModel: model,
  status: "active" as const,
  planId: model === "silo" ? "premium" : "standard",
  storageInstanceId,
  keyPrefix: `${id}#`,
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

/** Writes `count` items for the tenant straight into `table`, as the application would have over time. */
export async function fillTenant(dynamo: DynamoDBClient, table: string, tenantId: string, count: number, itemBytes = 300): Promise<void> {
  const items: Item[] = [];
  for (let n = 0; n < count; n++) {
    const entity = tenantEntities[n % tenantEntities.length]!;
    items.push({
      pk: { S: partitionKeyFor(`${tenantId}#`, entity) },
      sk: { S: String(Math.floor(n / tenantEntities.length)).padStart(8, "0") },
      tenantId: { S: tenantId },
      entity: { S: entity },
      updatedAt: { N: String(Date.now() - 3_600_000) },
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

/** key → content hash of every item the tenant has in `table`. */
export async function tenantDigest(dynamo: DynamoDBClient, tableName: string, tenantId: string): Promise<Map<string, string>> {
  const digest = new Map<string, string>();
  for (const entity of tenantEntities) {
    const scope = { tenantId, keyPrefix: `${tenantId}#`, tables: [tableName], operation: "test digest" };
    for await (const page of readPartition({ client: tenantScopedClient(dynamo, scope), tableName }, scope, entity)) {
      for (const item of page.items) digest.set(itemKey(item), itemHash(item));
    }
  }
  return digest;
}
