// The tenant-scope guard, request by request: the tenant's own keys pass, a
// neighbour's are refused before anything is sent, naming operation and key.
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { instanceReadClient, tenantScopedClient } from "./tenant-access";
import { checkTenantRequest, TenantScopeViolation, type TenantScope } from "./tenant-scope";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const scope: TenantScope = { tenantId: "acme", keyPrefix: "acme#", tables: ["tsc-pool-1"], operation: "restore op1" };
const own = { pk: { S: "acme#orders" }, sk: { S: "00000001" } };
const foreign = { pk: { S: "globex#orders" }, sk: { S: "00000001" } };
const ownItem = { ...own, tenantId: { S: "acme" } };
const TableName = "tsc-pool-1";

const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
  ["GetItem", "GetItemCommand", { TableName, Key: own }, { TableName, Key: foreign }],
  ["DeleteItem", "DeleteItemCommand", { TableName, Key: own }, { TableName, Key: foreign }],
  [
    "UpdateItem",
    "UpdateItemCommand",
    { TableName, Key: own, UpdateExpression: "SET payload = :p" },
    { TableName, Key: foreign, UpdateExpression: "SET payload = :p" },
  ],
  ["PutItem", "PutItemCommand", { TableName, Item: ownItem }, { TableName, Item: { ...foreign, tenantId: { S: "globex" } } }],
  [
    "Query key condition",
    "QueryCommand",
    { TableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: "acme#orders" } } },
    { TableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: "globex#orders" } } },
  ],
  [
    "BatchWriteItem entries",
    "BatchWriteItemCommand",
    { RequestItems: { [TableName]: [{ PutRequest: { Item: ownItem } }, { DeleteRequest: { Key: own } }] } },
    { RequestItems: { [TableName]: [{ PutRequest: { Item: ownItem } }, { DeleteRequest: { Key: foreign } }] } },
  ],
  [
    "BatchGetItem entries",
    "BatchGetItemCommand",
    { RequestItems: { [TableName]: { Keys: [own] } } },
    { RequestItems: { [TableName]: { Keys: [own, foreign] } } },
  ],
];

describe("the tenant-scope guard", () => {
  it.each(cases)("accepts the tenant's own %s and refuses a neighbour's", (_label, command, mine, theirs) => {
    expect(() => checkTenantRequest(scope, command, mine)).not.toThrow();
    expect(() => checkTenantRequest(scope, command, theirs)).toThrow(TenantScopeViolation);
    expect(() => checkTenantRequest(scope, command, theirs)).toThrow(
      /^restore op1 refused a request outside tenant acme's data .*globex#orders/,
    );
  });

  it("refuses another table, a put of an item owned by another tenant id, and a changed owner", () => {
    expect(() => checkTenantRequest(scope, "GetItemCommand", { TableName: "tsc-pool-2", Key: own })).toThrow(
      /not one of its tables\): table tsc-pool-2/,
    );
    expect(() => checkTenantRequest(scope, "PutItemCommand", { TableName, Item: { ...own, tenantId: { S: "globex" } } })).toThrow(
      /item of another tenant/,
    );
    expect(() => checkTenantRequest(scope, "PutItemCommand", { TableName, Item: own })).toThrow(/item of another tenant/);
    expect(() => checkTenantRequest(scope, "UpdateItemCommand", { TableName, Key: own, UpdateExpression: "SET tenantId = :t" })).toThrow(
      /owner cannot change/,
    );
  });

  it("reads key conditions through attribute names and refuses one not on the partition key", () => {
    const values = { ":v": { S: "acme#orders" } };
    expect(() =>
      checkTenantRequest(scope, "QueryCommand", {
        TableName,
        KeyConditionExpression: "#p = :v AND sk > :s",
        ExpressionAttributeNames: { "#p": "pk" },
        ExpressionAttributeValues: { ...values, ":s": { S: "0" } },
      }),
    ).not.toThrow();
    expect(() =>
      checkTenantRequest(scope, "QueryCommand", {
        TableName,
        KeyConditionExpression: "#p = :v",
        ExpressionAttributeNames: { "#p": "sk" },
        ExpressionAttributeValues: values,
      }),
    ).toThrow(/unbound/);
    expect(() =>
      checkTenantRequest(scope, "QueryCommand", {
        TableName,
        KeyConditionExpression: "pk = :v OR pk = :w",
        ExpressionAttributeValues: values,
      }),
    ).toThrow(TenantScopeViolation);
  });

  it("refuses a scan unless it is filtered to the tenant's prefix, and any request kind it does not know", () => {
    expect(() => checkTenantRequest(scope, "ScanCommand", { TableName })).toThrow(/a scan must be filtered/);
    expect(() =>
      checkTenantRequest(scope, "ScanCommand", {
        TableName,
        FilterExpression: "begins_with(pk, :p)",
        ExpressionAttributeValues: { ":p": { S: "acme#" } },
      }),
    ).not.toThrow();
    expect(() =>
      checkTenantRequest(scope, "ScanCommand", {
        TableName,
        FilterExpression: "begins_with(pk, :p)",
        ExpressionAttributeValues: { ":p": { S: "a" } },
      }),
    ).toThrow(TenantScopeViolation);
    expect(() => checkTenantRequest(scope, "TransactWriteItemsCommand", {})).toThrow(/not a request tenant-scoped access makes/);
  });
});

describe("scoped clients", () => {
  const dynamo = mockClient(DynamoDBClient);
  beforeEach(() => {
    dynamo.reset();
    dynamo.onAnyCommand().resolves({});
  });

  it("send the tenant's requests and never send a refused one", async () => {
    const client = tenantScopedClient(new DynamoDBClient({ region: "us-east-1" }), scope);
    await client.send(new GetItemCommand({ TableName, Key: own }));
    await expect(
      client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ DeleteRequest: { Key: foreign } }] } })),
    ).rejects.toThrow(TenantScopeViolation);
    await expect(
      client.send(
        new QueryCommand({ TableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: "globex#orders" } } }),
      ),
    ).rejects.toThrow(TenantScopeViolation);
    expect(dynamo.calls().map((c) => c.args[0].constructor.name)).toEqual(["GetItemCommand"]);
  });

  it("an instance-level client reads its table and refuses every write", async () => {
    const client = instanceReadClient(new DynamoDBClient({ region: "us-east-1" }), TableName, "backup op2");
    await client.send(new ScanCommand({ TableName, Segment: 0, TotalSegments: 4 }));
    await client.send(new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [own, foreign] } } }));
    for (const write of [
      new PutItemCommand({ TableName, Item: ownItem }),
      new DeleteItemCommand({ TableName, Key: own }),
      new UpdateItemCommand({ TableName, Key: own }),
      new BatchWriteItemCommand({ RequestItems: { [TableName]: [] } }),
    ]) {
      await expect(client.send(write as never)).rejects.toThrow(/only reads; writes go through a tenant-scoped client/);
    }
    await expect(client.send(new ScanCommand({ TableName: "tsc-pool-2" }))).rejects.toThrow(/reads tsc-pool-1 only/);
    expect(dynamo.calls()).toHaveLength(2);
  });
});
