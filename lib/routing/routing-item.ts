// A routing record as an item of the routing table (pk = tenant id, sk =
// "routing", the record as JSON in `body`), and the two reads every reader
// makes. Pure (the table is named by the caller): the data-plane library
// (lib/data-plane) reads routing with it; routing-table.ts adds the console's
// configured table and the versioned writes.
import { GetItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { routingRecordSchema, type RoutingRecord } from "./record";

const sortKey = "routing";

/** The key of a tenant's record. */
export function routingKey(tenantId: string): Record<string, AttributeValue> {
  return { pk: { S: tenantId }, sk: { S: sortKey } };
}

export function routingItem(record: RoutingRecord): Record<string, AttributeValue> {
  return {
    ...routingKey(record.tenantId),
    version: { N: String(record.version) },
    body: { S: JSON.stringify(record) },
  };
}

export function routingRecordOf(item: Record<string, AttributeValue>): RoutingRecord {
  return routingRecordSchema.parse(JSON.parse(item.body?.S ?? "null"));
}

/** The tenant's record (a strongly consistent read), or null when it has none. */
export async function readRoutingRecord(client: DynamoDBClient, tenantId: string, tableName: string): Promise<RoutingRecord | null> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: routingKey(tenantId), ConsistentRead: true }));
  return Item ? routingRecordOf(Item) : null;
}

/** Every record in the table (strongly consistent scan pages). */
export async function readRoutingRecords(client: DynamoDBClient, tableName: string): Promise<RoutingRecord[]> {
  const records: RoutingRecord[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) records.push(routingRecordOf(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}
