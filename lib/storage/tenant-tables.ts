// Creating the DynamoDB tables that hold tenant data (pool tables and silo
// tables share one key schema, see tenant-items.ts).
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { partitionKeyName, sortKeyName } from "./tenant-items";

export interface TableCapacity {
  capacityMode: "provisioned" | "on_demand";
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
}

export async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** Deletes the table (and every item in it); a table already gone is not an error. Safe to repeat. */
export async function dropTable(client: DynamoDBClient, tableName: string): Promise<"dropped" | "absent"> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    return "dropped";
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return "absent";
    throw error;
  }
}

/** Creates the table if it is missing and waits until it is ACTIVE. Safe to repeat. */
export async function ensureTenantTable(
  client: DynamoDBClient,
  tableName: string,
  capacity: TableCapacity,
  timeoutMs = 60_000,
): Promise<"created" | "existed"> {
  let outcome: "created" | "existed" = "created";
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: partitionKeyName, AttributeType: "S" },
          { AttributeName: sortKeyName, AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: partitionKeyName, KeyType: "HASH" },
          { AttributeName: sortKeyName, KeyType: "RANGE" },
        ],
        ...(capacity.capacityMode === "provisioned"
          ? {
              BillingMode: "PROVISIONED",
              ProvisionedThroughput: { ReadCapacityUnits: capacity.readUnitsPerSec, WriteCapacityUnits: capacity.writeUnitsPerSec },
            }
          : {
              BillingMode: "PAY_PER_REQUEST",
              OnDemandThroughput: { MaxReadRequestUnits: capacity.readUnitsPerSec, MaxWriteRequestUnits: capacity.writeUnitsPerSec },
            }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    outcome = "existed";
  }
  await waitForActive(client, tableName, timeoutMs);
  return outcome;
}

async function waitForActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is still ${Table?.TableStatus} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
