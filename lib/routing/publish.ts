// Publishes the catalog's view of every tenant to the routing table, touching
// only records whose content changed (each change is a new version).
import type { Db } from "../db/client";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { routingContentFor, sameRouting } from "./record";
import { putRoutingRecord, routingTableName, scanRoutingRecords } from "./routing-table";

const placementSelect = { select: { id: true, tableName: true, region: true } } as const;

export async function publishCatalogRouting(db: Db, client: DynamoDBClient, tableName = routingTableName()): Promise<{ published: number; unchanged: number }> {
  const [tenants, existing] = await Promise.all([
    db.tenant.findMany({
      select: {
        id: true,
        status: true,
        deploymentModel: true,
        keyPrefix: true,
        bridgeEntity: true,
        plan: { select: { ratePerSec: true, burst: true, quotaPerDay: true } },
        storageInstance: placementSelect,
        bridgeInstance: placementSelect,
      },
      orderBy: { id: "asc" },
    }),
    scanRoutingRecords(client, tableName),
  ]);
  const byTenant = new Map(existing.map((record) => [record.tenantId, record]));
  let published = 0;
  let unchanged = 0;
  for (const tenant of tenants) {
    const current = byTenant.get(tenant.id);
    // The write freeze belongs to the operation that set it, not to the catalog.
    const content = routingContentFor(tenant, current?.writeFrozen ?? false);
    if (!content) continue;
    if (current && sameRouting(current, content)) {
      unchanged++;
      continue;
    }
    await putRoutingRecord(client, content, current?.version ?? 0, tableName);
    published++;
  }
  return { published, unchanged };
}
