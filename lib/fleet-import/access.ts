// What an import reaches: the catalog, DescribeTable in each declared region,
// and the routing table. Pages and actions use the console's own
// (consoleAccess); the CLI, tests and the benchmark pass theirs.
import "server-only";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { dynamoDbClient } from "../aws/clients";
import { defaultRegion } from "../config/config";
import { getDb, type Db } from "../db/client";
import { routingTableName } from "../routing/routing-table";

export interface ImportAccess {
  db: Db;
  /** Table administration (DescribeTable) and routing records; never tenant items. */
  dynamoDb(region: string): DynamoDBClient;
  routingTable: string;
  routingRegion: string;
}

export function consoleAccess(db: Db = getDb()): ImportAccess {
  return { db, dynamoDb: dynamoDbClient, routingTable: routingTableName(), routingRegion: defaultRegion() };
}
