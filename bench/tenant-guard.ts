// What the tenant-scope guard costs per request: the check alone (no I/O), for
// a GetItem, a Query and a 25-item BatchWriteItem; and GetItem round trips to
// dynalite (in its own process) through a raw client and through a scoped one,
// interleaved so both see the same conditions.
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { tenantScopedClient } from "../lib/storage/tenant-access";
import { checkTenantRequest, type TenantScope } from "../lib/storage/tenant-scope";
import { defaultKeyScheme } from "../lib/storage/key-scheme";
import { ensureTenantTable } from "../lib/storage/tenant-tables";
import { percentile, report } from "./stats";
import { startDynamoDbProcess } from "./support/dynamodb";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const TableName = "bench-guard";
const scope: TenantScope = { tenantId: "acme", keyScheme: defaultKeyScheme, tables: [TableName], operation: "bench" };
const item = (n: number) => ({
  pk: { S: "acme#orders" },
  sk: { S: String(n).padStart(8, "0") },
  tenantId: { S: "acme" },
  payload: { S: "x".repeat(200) },
});

const requests: [string, string, Record<string, unknown>][] = [
  ["getitem", "GetItemCommand", { TableName, Key: { pk: { S: "acme#orders" }, sk: { S: "00000001" } } }],
  ["query", "QueryCommand", { TableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: "acme#orders" } } }],
  [
    "batchwrite-25",
    "BatchWriteItemCommand",
    { RequestItems: { [TableName]: Array.from({ length: 25 }, (_, n) => ({ PutRequest: { Item: item(n) } })) } },
  ],
];
for (const [name, command, input] of requests) {
  const rounds = 200_000;
  for (let i = 0; i < 10_000; i++) checkTenantRequest(scope, command, input);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) checkTenantRequest(scope, command, input);
  report(`tenant-guard-check-${name}`, ((performance.now() - started) * 1000) / rounds, "µs");
}

const dynamoDb = await startDynamoDbProcess();
try {
  const { dynamo } = dynamoDb;
  await ensureTenantTable(dynamo, TableName, { capacityMode: "on_demand", readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 });
  for (let n = 0; n < 100; n++) await dynamo.send(new PutItemCommand({ TableName, Item: item(n) }));
  const scoped = tenantScopedClient(dynamo, scope);
  const raw: number[] = [];
  const guarded: number[] = [];
  for (let i = 0; i < 4_000; i++) {
    const command = new GetItemCommand({ TableName, Key: { pk: { S: "acme#orders" }, sk: { S: String(i % 100).padStart(8, "0") } } });
    const viaScoped = i % 2 === 1;
    const started = performance.now();
    await (viaScoped ? scoped.send(command) : dynamo.send(command));
    if (i >= 400) (viaScoped ? guarded : raw).push((performance.now() - started) * 1000);
  }
  report("tenant-guard-getitem-raw-p50", percentile(raw, 50), "µs");
  report("tenant-guard-getitem-scoped-p50", percentile(guarded, 50), "µs");
  report("tenant-guard-getitem-overhead-p50", percentile(guarded, 50) - percentile(raw, 50), "µs");
} finally {
  await dynamoDb.stop();
}
