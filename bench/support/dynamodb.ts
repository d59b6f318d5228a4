// What the DynamoDB benchmarks share: dynalite in a process of its own (so the
// console's work and the emulator's do not share a core's event loop), and the
// raw BatchWriteItem ceiling the operations are measured against.
import path from "node:path";
import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { ensureTenantTable } from "../../lib/storage/tenant-tables";
import { spawnStackChild, stopProcessGroup, waitForLine } from "../../local/child-process";

export async function startDynamoDbProcess(): Promise<{ dynamo: DynamoDBClient; url: string; stop(): Promise<void> }> {
  const endpoints = spawnStackChild(["--conditions=react-server", "--import", "tsx", path.resolve("local/aws-endpoints.ts")], {
    ...process.env,
    DYNAMODB_PORT: "0",
    CLOUDWATCH_PORT: "0",
    LOCAL_AWS_DATA_DIR: "",
  });
  const ports = await waitForLine(
    endpoints,
    (line) => (line.startsWith("{") ? (JSON.parse(line) as { ready: { dynamoDbPort: number } }).ready : undefined),
    30_000,
    "the local AWS endpoints",
  );
  const url = `http://127.0.0.1:${ports.dynamoDbPort}`;
  const dynamo = new DynamoDBClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 10,
  });
  return { dynamo, url, stop: () => stopProcessGroup(endpoints, 10_000) };
}

/** Items/s of BatchWriteItem writing `items` pre-built items (4 partitions) into a table of their own, `concurrency` calls in flight. */
export async function batchWriteCeiling(dynamo: DynamoDBClient, items: number, itemBytes: number, concurrency: number): Promise<number> {
  const table = "bench-ceiling";
  await ensureTenantTable(dynamo, table, { capacityMode: "on_demand", readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 });
  const batches: WriteRequest[][] = [];
  for (let n = 0; n < items; n += 25) {
    batches.push(
      Array.from({ length: Math.min(25, items - n) }, (_, i) => ({
        PutRequest: {
          Item: {
            pk: { S: `ceiling#${(n + i) % 4}` },
            sk: { S: String(n + i).padStart(8, "0") },
            tenantId: { S: "ceiling" },
            updatedAt: { N: String(Date.now()) },
            payload: { S: "x".repeat(itemBytes) },
          },
        },
      })),
    );
  }
  return items / ((await sendBatches(dynamo, table, batches, concurrency)) / 1000);
}

/** Sends the BatchWriteItem requests, `concurrency` in flight, each until nothing is left unprocessed; returns the ms it took. */
export async function sendBatches(dynamo: DynamoDBClient, table: string, batches: WriteRequest[][], concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        let pending = batches[next++]!;
        while (pending.length)
          pending = (await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }))).UnprocessedItems?.[table] ?? [];
      }
    }),
  );
  return performance.now() - started;
}
