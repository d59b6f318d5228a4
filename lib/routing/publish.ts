// Publishes the catalog's view of tenants to the routing table, touching only
// records whose content changed (each change is a new version).
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import { routingContentFor, sameRouting, type RoutingRecord } from "./record";
import {
  getRoutingRecord,
  getRoutingRecords,
  putRoutingRecord,
  routingTableName,
  scanRoutingRecords,
  StaleRoutingVersionError,
} from "./routing-table";

const placementSelect = { select: { id: true, tableName: true, region: true } } as const;

const routingTenantSelect = {
  id: true,
  status: true,
  deploymentModel: true,
  keyPrefix: true,
  suspendedReason: true,
  bridgeEntity: true,
  plan: { select: { ratePerSec: true, burst: true, quotaPerDay: true } },
  storageInstance: { select: { id: true, tableName: true, region: true, keyScheme: true } },
  bridgeInstance: placementSelect,
} satisfies Prisma.TenantSelect;

/** Publishes the tenants `where` selects (all by default). */
export async function publishCatalogRouting(
  db: Db,
  client: DynamoDBClient,
  tableName = routingTableName(),
  where: Prisma.TenantWhereInput = {},
): Promise<{ published: number; unchanged: number }> {
  const [tenants, existing] = await Promise.all([
    db.tenant.findMany({ where, select: routingTenantSelect, orderBy: { id: "asc" } }),
    scanRoutingRecords(client, tableName),
  ]);
  const byTenant = new Map(existing.map((record) => [record.tenantId, record]));
  let published = 0;
  let unchanged = 0;
  for (const tenant of tenants) {
    const current = byTenant.get(tenant.id);
    const content = routingContentFor(tenant, current ?? null);
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

/**
 * Makes one tenant's routing record say what the catalog says (keeping what
 * an operation owns, see routingContentFor). Safe to repeat: an unchanged
 * record is not rewritten.
 */
export async function publishTenantRouting(
  db: Db,
  client: DynamoDBClient,
  tenantId: string,
  tableName = routingTableName(),
): Promise<RoutingRecord | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: routingTenantSelect });
    if (!tenant) throw new Error(`tenant ${tenantId} is not in the catalog`);
    const current = await getRoutingRecord(client, tenantId, tableName);
    const content = routingContentFor(tenant, current);
    if (!content) return null;
    if (current && sameRouting(current, content)) return current;
    try {
      return await putRoutingRecord(client, content, current?.version ?? 0, tableName);
    } catch (error) {
      if (!(error instanceof StaleRoutingVersionError)) throw error;
    }
  }
  throw new Error(`routing for ${tenantId} kept changing; gave up after 5 attempts`);
}

/**
 * Publishes many tenants at once (an import): their catalog rows read in
 * chunks, their current records in batches, and the changed ones written
 * `concurrency` at a time, each conditional on the version read (a record
 * that moved meanwhile is published again one by one). Safe to repeat.
 */
export async function publishTenantsRouting(
  db: Db,
  client: DynamoDBClient,
  tenantIds: readonly string[],
  { tableName = routingTableName(), concurrency = 32 }: { tableName?: string; concurrency?: number } = {},
): Promise<{ published: number; unchanged: number }> {
  let published = 0;
  let unchanged = 0;
  const chunk = 1_000;
  for (let start = 0; start < tenantIds.length; start += chunk) {
    const ids = tenantIds.slice(start, start + chunk);
    const [tenants, current] = await Promise.all([
      db.tenant.findMany({ where: { id: { in: [...ids] } }, select: routingTenantSelect }),
      getRoutingRecords(client, ids, tableName),
    ]);
    const writes = tenants.flatMap((tenant) => {
      const record = current.get(tenant.id) ?? null;
      const content = routingContentFor(tenant, record);
      if (!content) return [];
      if (record && sameRouting(record, content)) {
        unchanged++;
        return [];
      }
      return [{ tenantId: tenant.id, content, version: record?.version ?? 0 }];
    });
    let next = 0;
    const writer = async () => {
      while (next < writes.length) {
        const write = writes[next++]!;
        try {
          await putRoutingRecord(client, write.content, write.version, tableName);
        } catch (error) {
          if (!(error instanceof StaleRoutingVersionError)) throw error;
          await publishTenantRouting(db, client, write.tenantId, tableName);
        }
        published++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, writes.length) }, writer));
  }
  return { published, unchanged };
}
