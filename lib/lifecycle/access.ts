// What lifecycle requests reach: the catalog and the routing table, as the
// environment configures them (the console's own clients).
import "server-only";
import { dynamoDbClient } from "../aws/clients";
import { defaultRegion } from "../config/config";
import { getDb, type Db } from "../db/client";
import { routingTableName } from "../routing/routing-table";
import type { SuspensionAccess } from "./suspension";

export function consoleLifecycleAccess(db: Db = getDb()): SuspensionAccess {
  return { db, dynamoDb: dynamoDbClient, routingTable: routingTableName(), routingRegion: defaultRegion() };
}
