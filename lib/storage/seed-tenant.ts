// A new tenant's initial data: a few items in each entity, keyed by the key
// scheme of the instance it is placed in (the routing record carries it), in
// the shape the application writes. Each put is conditional on the item not
// existing, so seeding again (a resumed onboarding) never overwrites what the
// tenant has written since.
import { ConditionalCheckFailedException, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { RoutingContent } from "../routing/record";
import { entityPartition, partitionShape, tenantKeyPrefix, type KeyScheme } from "./key-scheme";
import type { TenantData } from "./tenant-access";
import { itemIdFor, tenantEntities, type TenantEntity } from "./tenant-items";
import { assertTenantItem, itemKey } from "./tenant-partitions";

export const seedItemsPerEntity = 5;

/**
 * The key of seed item `n` of an entity under the scheme: an entity template
 * gives each entity its partition; otherwise the entity leads the sort key
 * ("orders#00000001"), or, in a table without a sort key, the partition key.
 */
export function seedKey(scheme: KeyScheme, tenantId: string, entity: TenantEntity, n: number): Record<string, AttributeValue> {
  const shape = partitionShape(scheme);
  const id = itemIdFor(n);
  const prefix = tenantKeyPrefix(scheme, tenantId);
  let pk: string;
  let sk: string = shape === "entity" ? id : `${entity}#${id}`;
  if (shape === "entity") pk = entityPartition(scheme, tenantId, entity);
  else if (shape === "exact") pk = prefix;
  else pk = scheme.sortKey === null ? `${prefix}${entity}#${id}` : `${prefix}${entity}`;
  if (scheme.sortKey === null) sk = "";
  return scheme.sortKey === null ? { [scheme.partitionKey]: { S: pk } } : { [scheme.partitionKey]: { S: pk }, [scheme.sortKey]: { S: sk } };
}

function seedItem(scheme: KeyScheme, tenantId: string, entity: TenantEntity, n: number, nowMs: number): Record<string, AttributeValue> {
  const payload = JSON.stringify({ seeded: true, entity, n });
  return {
    ...seedKey(scheme, tenantId, entity, n),
    ...(scheme.tenantAttribute === null ? {} : { [scheme.tenantAttribute]: { S: tenantId } }),
    entity: { S: entity },
    [scheme.changeStamp]: { N: String(nowMs) },
    payload: { S: payload },
    bytes: { N: String(payload.length + 64) },
  };
}

/** The table each entity of the tenant lives in (a bridge tenant's siloed entity in its own). */
function tableForEntity(
  routing: Pick<RoutingContent, "placement" | "bridge">,
  entity: TenantEntity,
): { tableName: string; region: string } {
  return routing.bridge && routing.bridge.entity === entity ? routing.bridge : routing.placement;
}

export async function seedTenantItems(
  data: TenantData,
  routing: Pick<RoutingContent, "tenantId" | "keyScheme" | "placement" | "bridge">,
  onProgress: (written: number, total: number) => Promise<void> = async () => undefined,
  nowMs = Date.now(),
): Promise<{ written: number; existed: number }> {
  const scheme = routing.keyScheme;
  const tenant = { tenantId: routing.tenantId, keyScheme: scheme };
  // A partition key alone holds one item per partition: keys that coincide are seeded once.
  const seeds: { entity: TenantEntity; item: Record<string, AttributeValue> }[] = [];
  const seen = new Set<string>();
  for (const entity of tenantEntities)
    for (let n = 0; n < seedItemsPerEntity; n++) {
      const item = seedItem(scheme, routing.tenantId, entity, n, nowMs);
      const key = `${tableForEntity(routing, entity).tableName}\u001e${itemKey(scheme, item)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      seeds.push({ entity, item });
    }
  let written = 0;
  let existed = 0;
  for (const { entity, item } of seeds) {
    const { tableName } = tableForEntity(routing, entity);
    assertTenantItem(tenant, item);
    try {
      await data.table(tableName).client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": scheme.partitionKey },
        }),
      );
      written++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      existed++;
    }
    await onProgress(written + existed, seeds.length);
  }
  return { written, existed };
}
