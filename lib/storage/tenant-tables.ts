// Creating the DynamoDB tables that hold tenant data, keyed by their storage
// instance's key scheme (lib/storage/key-scheme.ts: the default's pk and sk
// unless the instance declares otherwise).
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { defaultKeyScheme, type KeyScheme } from "./key-scheme";

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
  options: { keyScheme?: KeyScheme; timeoutMs?: number } = {},
): Promise<"created" | "existed"> {
  const { partitionKey, sortKey } = options.keyScheme ?? defaultKeyScheme;
  const keys = sortKey === null ? [partitionKey] : [partitionKey, sortKey];
  let outcome: "created" | "existed" = "created";
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: "S" as const })),
        KeySchema: keys.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? ("HASH" as const) : ("RANGE" as const) })),
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
  await waitForActive(client, tableName, options.timeoutMs ?? 60_000);
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
