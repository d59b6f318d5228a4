// The routing table in DynamoDB: one item per tenant, versioned. Writes are
// conditional on the version, so two publishers never overwrite each other
// with stale content.
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  PutItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { ensureTenantTable } from "../storage/tenant-tables";
import { routingRecordSchema, type RoutingContent, type RoutingRecord } from "./record";
import { readRoutingRecord, readRoutingRecords, routingItem, routingKey, routingRecordOf } from "./routing-item";
import { config } from "../config/config";

export function routingTableName(): string {
  return config().TENANT_ROUTING_TABLE;
}

export async function ensureRoutingTable(client: DynamoDBClient, tableName = routingTableName()): Promise<void> {
  // Same key schema as tenant tables: pk = tenant id, sk = "routing".
  await ensureTenantTable(client, tableName, { capacityMode: "on_demand", readUnitsPerSec: 1_000, writeUnitsPerSec: 100 });
}

export function getRoutingRecord(client: DynamoDBClient, tenantId: string, tableName = routingTableName()): Promise<RoutingRecord | null> {
  return readRoutingRecord(client, tenantId, tableName);
}

/** Many tenants' records (BatchGetItem, 100 keys a call, strongly consistent), by tenant id; a tenant without one is absent. */
export async function getRoutingRecords(
  client: DynamoDBClient,
  tenantIds: readonly string[],
  tableName = routingTableName(),
): Promise<Map<string, RoutingRecord>> {
  const records = new Map<string, RoutingRecord>();
  for (let start = 0; start < tenantIds.length; start += 100) {
    let keys: Record<string, AttributeValue>[] | undefined = [...new Set(tenantIds.slice(start, start + 100))].map(routingKey);
    for (let round = 0; keys?.length; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** round)));
      if (round > 10) throw new Error(`routing records of ${keys.length} tenants stayed unprocessed after ${round} attempts`);
      const answer: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of answer.Responses?.[tableName] ?? []) {
        const record = routingRecordOf(item);
        records.set(record.tenantId, record);
      }
      keys = answer.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return records;
}

export function scanRoutingRecords(client: DynamoDBClient, tableName = routingTableName()): Promise<RoutingRecord[]> {
  return readRoutingRecords(client, tableName);
}

export class StaleRoutingVersionError extends Error {}

/**
 * Writes `content` as version `expectedVersion + 1` (or version 1 when
 * `expectedVersion` is 0, i.e. the tenant has no record yet). Fails with
 * StaleRoutingVersionError when someone else published in between.
 */
export async function putRoutingRecord(
  client: DynamoDBClient,
  content: RoutingContent,
  expectedVersion: number,
  tableName = routingTableName(),
  now = new Date(),
): Promise<RoutingRecord> {
  const record = routingRecordSchema.parse({ ...content, version: expectedVersion + 1, updatedAt: now.toISOString() });
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: routingItem(record),
        ConditionExpression: expectedVersion === 0 ? "attribute_not_exists(pk)" : "version = :expected",
        ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ":expected": { N: String(expectedVersion) } },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new StaleRoutingVersionError(`routing for ${content.tenantId} changed since version ${expectedVersion}`);
    }
    throw error;
  }
  return record;
}

/** Reads, changes and writes one tenant's record, retrying when another writer got there first. */
export async function updateRoutingRecord(
  client: DynamoDBClient,
  tenantId: string,
  change: (current: RoutingRecord) => RoutingContent,
  tableName = routingTableName(),
): Promise<RoutingRecord> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getRoutingRecord(client, tenantId, tableName);
    if (!current) throw new Error(`tenant ${tenantId} has no routing record`);
    try {
      return await putRoutingRecord(client, change(current), current.version, tableName);
    } catch (error) {
      if (!(error instanceof StaleRoutingVersionError)) throw error;
    }
  }
  throw new Error(`routing for ${tenantId} kept changing; gave up after 5 attempts`);
}

/** Sets or lifts the tenant's write freeze; freezing an already frozen tenant keeps when its freeze began. */
export function setWriteFrozen(
  client: DynamoDBClient,
  tenantId: string,
  writeFrozen: boolean,
  tableName = routingTableName(),
  now = new Date(),
): Promise<RoutingRecord> {
  return updateRoutingRecord(
    client,
    tenantId,
    ({ version: _v, updatedAt: _u, ...content }) => ({
      ...content,
      writeFrozen,
      frozenSince: writeFrozen ? (content.frozenSince ?? now.toISOString()) : null,
    }),
    tableName,
  );
}
