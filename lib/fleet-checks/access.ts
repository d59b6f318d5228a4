// What the fleet checks reach: the catalog, the routing table, and tenant
// items through tenant-scoped clients. The worker passes its operation
// dependencies; pages and actions use the console's own (consoleAccess).
import "server-only";
import { dynamoDbClient } from "../aws/clients";
import { defaultRegion } from "../config/config";
import type { Db } from "../db/client";
import { getDb } from "../db/client";
import type { OperationDeps } from "../operations/deps";
import { routingTableName } from "../routing/routing-table";

export type FleetAccess = Pick<OperationDeps, "db" | "dynamoDb" | "tenantDynamoDb" | "routingTable" | "routingRegion">;

/** The console's access (pages and actions): its database and its AWS clients, as the environment configures them. */
export function consoleAccess(db: Db = getDb()): FleetAccess {
  return { db, dynamoDb: dynamoDbClient, routingTable: routingTableName(), routingRegion: defaultRegion() };
}
