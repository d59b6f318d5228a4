// A new tenant's initial data: a few items in each entity, in the same shape
// the application writes. Each put is conditional on the item not existing, so
// seeding again (a resumed onboarding) never overwrites what the tenant has
// written since.
import { ConditionalCheckFailedException, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { RoutingContent } from "../routing/record";
import type { TenantData } from "./tenant-access";
import { assertTenantOwnsKey, itemIdFor, partitionKeyFor, tenantEntities, type TenantEntity } from "./tenant-items";

export const seedItemsPerEntity = 5;

function seedItem(tenantId: string, keyPrefix: string, entity: TenantEntity, n: number, nowMs: number): Record<string, AttributeValue> {
  const payload = JSON.stringify({ seeded: true, entity, n });
  return {
    pk: { S: partitionKeyFor(keyPrefix, entity) },
    sk: { S: itemIdFor(n) },
    tenantId: { S: tenantId },
    entity: { S: entity },
    updatedAt: { N: String(nowMs) },
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
  routing: Pick<RoutingContent, "tenantId" | "keyPrefix" | "placement" | "bridge">,
  onProgress: (written: number, total: number) => Promise<void> = async () => undefined,
  nowMs = Date.now(),
): Promise<{ written: number; existed: number }> {
  const total = tenantEntities.length * seedItemsPerEntity;
  let written = 0;
  let existed = 0;
  for (const entity of tenantEntities) {
    const { tableName } = tableForEntity(routing, entity);
    for (let n = 0; n < seedItemsPerEntity; n++) {
      const item = seedItem(routing.tenantId, routing.keyPrefix, entity, n, nowMs);
      assertTenantOwnsKey(routing.keyPrefix, routing.tenantId, { pk: item.pk!.S!, tenantId: routing.tenantId });
      try {
        await data
          .table(tableName)
          .client.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }));
        written++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        existed++;
      }
      await onProgress(written + existed, total);
    }
  }
  return { written, existed };
}
