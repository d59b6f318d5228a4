// Makes sure every storage instance in the catalog has its DynamoDB table.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Db } from "../db/client";
import { storedKeyScheme } from "./key-scheme";
import { ensureTenantTable } from "./tenant-tables";

export async function provisionCatalogTables(
  db: Db,
  clientFor: (region: string) => DynamoDBClient,
): Promise<{ created: string[]; existed: number }> {
  const instances = await db.storageInstance.findMany({
    where: { status: { in: ["provisioning", "active", "draining"] } },
    select: { tableName: true, region: true, capacityMode: true, readUnitsPerSec: true, writeUnitsPerSec: true, keyScheme: true },
    orderBy: { id: "asc" },
  });
  const created: string[] = [];
  let existed = 0;
  for (const instance of instances) {
    const outcome = await ensureTenantTable(clientFor(instance.region), instance.tableName, instance, {
      keyScheme: storedKeyScheme(instance.keyScheme),
    });
    if (outcome === "created") created.push(instance.tableName);
    else existed++;
  }
  return { created, existed };
}
