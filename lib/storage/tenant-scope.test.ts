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
import { defaultKeyScheme, keySchemeFor } from "./key-scheme";
import { checkTenantRequest, TenantScopeViolation, type TenantScope } from "./tenant-scope";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const scope: TenantScope = { tenantId: "acme", keyScheme: defaultKeyScheme, tables: ["tsc-pool-1"], operation: "restore op1" };
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

describe("the guard follows the tables' key scheme", () => {
  const exact: TenantScope = {
    ...scope,
    keyScheme: keySchemeFor(
      { partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}", tenantAttribute: null, changeStamp: "modifiedAt" },
      "pool",
    ),
  };
  const org: TenantScope = { ...scope, keyScheme: keySchemeFor({ template: "ORG#{tenantId}#...", tenantAttribute: "orgId" }, "pool") };
  const get = (s: TenantScope, Key: Record<string, unknown>) => () => checkTenantRequest(s, "GetItemCommand", { TableName, Key });

  it("an exact template: only that partition, never one it is a prefix of", () => {
    expect(get(exact, { PK: { S: "TENANT#acme" }, SK: { S: "order#1" } })).not.toThrow();
    expect(get(exact, { PK: { S: "TENANT#acme-corp" }, SK: { S: "order#1" } })).toThrow(/PK TENANT#acme-corp/);
    expect(get(exact, { PK: { S: "TENANT#acme#x" }, SK: { S: "order#1" } })).toThrow(/PK must be TENANT#acme/);
    // The default attribute names mean nothing here.
    expect(get(exact, { pk: { S: "acme#orders" }, sk: { S: "1" } })).toThrow(TenantScopeViolation);
    const query = (value: string) => () =>
      checkTenantRequest(exact, "QueryCommand", {
        TableName,
        KeyConditionExpression: "#pk = :v AND begins_with(#sk, :s)",
        ExpressionAttributeNames: { "#pk": "PK", "#sk": "SK" },
        ExpressionAttributeValues: { ":v": { S: value }, ":s": { S: "order#" } },
      });
    expect(query("TENANT#acme")).not.toThrow();
    expect(query("TENANT#acme-corp")).toThrow(TenantScopeViolation);
  });

  it("no tenant attribute: an item is the tenant's by its key alone", () => {
    const put = (Item: Record<string, unknown>) => () => checkTenantRequest(exact, "PutItemCommand", { TableName, Item });
    expect(put({ PK: { S: "TENANT#acme" }, SK: { S: "order#1" }, modifiedAt: { N: "1" } })).not.toThrow();
    expect(put({ PK: { S: "TENANT#globex" }, SK: { S: "order#1" } })).toThrow(/item PK TENANT#globex/);
    expect(() =>
      checkTenantRequest(exact, "UpdateItemCommand", {
        TableName,
        Key: { PK: { S: "TENANT#acme" }, SK: { S: "order#1" } },
        UpdateExpression: "SET tenantId = :t",
      }),
    ).not.toThrow();
  });

  it("a scan of an exact template must name the partition exactly", () => {
    const scan = (FilterExpression: string, value: string) => () =>
      checkTenantRequest(exact, "ScanCommand", {
        TableName,
        FilterExpression,
        ExpressionAttributeNames: { "#pk": "PK" },
        ExpressionAttributeValues: { ":p": { S: value } },
      });
    expect(scan("#pk = :p", "TENANT#acme")).not.toThrow();
    expect(scan("begins_with(#pk, :p)", "TENANT#acme")).toThrow(/filtered to PK = TENANT#acme/);
    expect(scan("#pk = :p", "TENANT#acme-corp")).toThrow(TenantScopeViolation);
  });

  it("a prefix template: any partition beginning with ORG#acme#, and the tenant attribute it declares", () => {
    expect(get(org, { pk: { S: "ORG#acme#projects#7" }, sk: { S: "1" } })).not.toThrow();
    expect(get(org, { pk: { S: "ORG#acme" }, sk: { S: "1" } })).toThrow(/pk must begin with ORG#acme#/);
    expect(get(org, { pk: { S: "ORG#acme-corp#projects" }, sk: { S: "1" } })).toThrow(TenantScopeViolation);
    const put = (Item: Record<string, unknown>) => () => checkTenantRequest(org, "PutItemCommand", { TableName, Item });
    expect(put({ pk: { S: "ORG#acme#p" }, sk: { S: "1" }, orgId: { S: "acme" } })).not.toThrow();
    expect(put({ pk: { S: "ORG#acme#p" }, sk: { S: "1" }, orgId: { S: "globex" } })).toThrow(/with orgId globex/);
    expect(put({ pk: { S: "ORG#acme#p" }, sk: { S: "1" }, tenantId: { S: "acme" } })).toThrow(/item of another tenant/);
  });

  it("a scan filtered to the prefix may narrow further with AND, never widen with OR", () => {
    const scan = (FilterExpression: string) => () =>
      checkTenantRequest(org, "ScanCommand", {
        TableName,
        FilterExpression,
        ExpressionAttributeNames: { "#pk": "pk", "#c": "updatedAt" },
        ExpressionAttributeValues: { ":p": { S: "ORG#acme#" }, ":since": { N: "5" } },
      });
    expect(scan("begins_with(#pk, :p)")).not.toThrow();
    expect(scan("begins_with(#pk, :p) AND #c >= :since")).not.toThrow();
    expect(scan("begins_with(#pk, :p) AND #c >= :since OR attribute_exists(#pk)")).toThrow(TenantScopeViolation);
    expect(scan("#c >= :since AND begins_with(#pk, :p)")).toThrow(/begins_with\(pk, ORG#acme#…\)/);
  });

  it("refuses an update of the tenant attribute however it is named (issue 18: SET #t = :x)", () => {
    const update = (UpdateExpression: string, names?: Record<string, string>) => () =>
      checkTenantRequest(org, "UpdateItemCommand", {
        TableName,
        Key: { pk: { S: "ORG#acme#p" }, sk: { S: "1" } },
        UpdateExpression,
        ExpressionAttributeNames: names,
      });
    expect(update("SET #t = :x", { "#t": "orgId" })).toThrow(/owner cannot change/);
    expect(update("SET payload = :p, orgId = :x")).toThrow(/owner cannot change/);
    expect(update("REMOVE #a, #t", { "#a": "payload", "#t": "orgId" })).toThrow(/owner cannot change/);
    expect(update("SET #p = :orgId", { "#p": "payload" })).not.toThrow();
    // The default scheme, aliased.
    expect(() =>
      checkTenantRequest(scope, "UpdateItemCommand", {
        TableName,
        Key: own,
        UpdateExpression: "SET #t = :x",
        ExpressionAttributeNames: { "#t": "tenantId" },
      }),
    ).toThrow(/owner cannot change/);
  });

  it("reads an update clause by clause: key and owner attributes under any alias, nested paths, list elements, every clause (issue 18)", () => {
    const update =
      (s: TenantScope, UpdateExpression: string, names: Record<string, string> = {}, more: Record<string, unknown> = {}) =>
      () =>
        checkTenantRequest(s, "UpdateItemCommand", {
          TableName,
          Key: s === exact ? { PK: { S: "TENANT#acme" }, SK: { S: "1" } } : { pk: { S: "ORG#acme#p" }, sk: { S: "1" } },
          UpdateExpression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ":x": { S: "globex" }, ":own": { S: "acme" }, ":n": { N: "1" } },
          ...more,
        });
    const owner = /owner cannot change/;
    const key = /key attributes cannot change/;
    // The owner, spelt every way.
    expect(update(org, "SET #t = :x", { "#t": "orgId" })).toThrow(owner);
    expect(update(org, "set #a = :n, #t = :x", { "#a": "payload", "#t": "orgId" })).toThrow(owner);
    expect(update(org, "SET #a = :n REMOVE #t", { "#a": "payload", "#t": "orgId" })).toThrow(owner);
    expect(update(org, "SET #t.#u = :x", { "#t": "orgId", "#u": "inner" })).toThrow(owner);
    expect(update(org, "SET orgId[0] = :x")).toThrow(owner);
    expect(update(org, "ADD #t :n", { "#t": "orgId" })).toThrow(owner);
    expect(update(org, "DELETE orgId :x")).toThrow(owner);
    expect(update(org, "SET #t = if_not_exists(#t, :x)", { "#t": "orgId" })).toThrow(owner);
    expect(update(org, "SET #t = if_not_exists(#a, :own)", { "#t": "orgId", "#a": "payload" })).toThrow(owner);
    expect(update(org, "SET #t = list_append(#t, :x)", { "#t": "orgId" })).toThrow(owner);
    // Key attributes, under any alias, in any clause.
    expect(update(org, "SET #k = :x", { "#k": "pk" })).toThrow(key);
    expect(update(org, "REMOVE #a, sk", { "#a": "payload" })).toThrow(key);
    expect(update(exact, "SET #p = :own", { "#p": "PK" })).toThrow(key);
    expect(update(exact, "REMOVE SK")).toThrow(key);
    // What the guard cannot read is refused, never waved through.
    expect(update(org, "SET #t = :x", {})).toThrow(/#t is not in ExpressionAttributeNames/);
    expect(update(org, "SET #constructor = :x", {})).toThrow(/not in ExpressionAttributeNames/);
    expect(update(org, "SET payload = (:n")).toThrow(/cannot read/);
    expect(update(org, "payload = :n")).toThrow(/cannot read/);
    expect(update(org, "SET , payload = :n")).toThrow(/cannot read/);
    expect(update(org, "SET payload = :n", {}, { AttributeUpdates: { orgId: { Action: "PUT", Value: { S: "globex" } } } })).toThrow(
      /AttributeUpdates/,
    );
    // What stays allowed: other attributes (nested ones named like the owner included), and stamping the owner's own id.
    expect(
      update(org, "SET #p = :x, info.orgId = :x, #l = list_append(#l, :x) REMOVE old ADD n :n", { "#p": "payload", "#l": "log" }),
    ).not.toThrow();
    expect(update(org, "SET #s = :n, #t = if_not_exists(#t, :own)", { "#s": "updatedAt", "#t": "orgId" })).not.toThrow();
    expect(update(org, "SET orgId = :own")).not.toThrow();
    expect(update(exact, "SET address = :x, #a = :n", { "#a": "addAmount" })).not.toThrow();
  });

  it("queries an index only when it is the tenant index, by the tenant's own id", () => {
    const indexed: TenantScope = { ...scope, keyScheme: { ...defaultKeyScheme, tenantIndex: "byTenant" } };
    const query = (s: TenantScope, IndexName: string, value: string) => () =>
      checkTenantRequest(s, "QueryCommand", {
        TableName,
        IndexName,
        KeyConditionExpression: "#t = :t",
        ExpressionAttributeNames: { "#t": "tenantId" },
        ExpressionAttributeValues: { ":t": { S: value } },
      });
    expect(query(indexed, "byTenant", "acme")).not.toThrow();
    expect(query(indexed, "byTenant", "globex")).toThrow(TenantScopeViolation);
    expect(query(indexed, "byOther", "acme")).toThrow(/only byTenant/);
    expect(query(scope, "byTenant", "acme")).toThrow(/no tenant index/);
  });

  it("a silo table whose keys do not carry the tenant: the table is the scope", () => {
    const silo: TenantScope = { ...scope, keyScheme: keySchemeFor({ template: null, tenantAttribute: null }, "silo") };
    expect(get(silo, { pk: { S: "order-1" }, sk: { S: "1" } })).not.toThrow();
    expect(() => checkTenantRequest(silo, "ScanCommand", { TableName })).not.toThrow();
    expect(() => checkTenantRequest(silo, "ScanCommand", { TableName: "tsc-pool-2" })).toThrow(/not one of its tables/);
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
