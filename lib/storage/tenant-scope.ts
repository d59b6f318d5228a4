// The guard every operation's access to tenant data goes through, the way a
// SaaS data plane's token vending machine scopes credentials: a request is
// checked against one tenant's scope (its key prefix, its id, the tables that
// hold it) before it is sent, and refused, naming the operation and the
// offending key, if any key, key condition, scan or batch entry falls outside.
// Pure: unit-tested in tenant-scope.test.ts.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export interface TenantScope {
  tenantId: string;
  keyPrefix: string;
  /** Tables that hold (some of) the tenant's items, or may receive them (a side table). */
  tables: readonly string[];
  /** Who asks, for refusals and logs: e.g. "restore cmwv…". */
  operation: string;
}

export class TenantScopeViolation extends Error {
  override name = "TenantScopeViolation";
  constructor(
    readonly scope: TenantScope,
    readonly offending: string,
    reason: string,
  ) {
    super(`${scope.operation} refused a request outside tenant ${scope.tenantId}'s data (${reason}): ${offending}`);
  }
}

type Input = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

function refuse(scope: TenantScope, offending: string, reason: string): never {
  throw new TenantScopeViolation(scope, offending, reason);
}

function checkTable(scope: TenantScope, tableName: unknown): void {
  if (typeof tableName !== "string" || !scope.tables.includes(tableName))
    refuse(scope, `table ${String(tableName)}`, "not one of its tables");
}

function checkKey(scope: TenantScope, key: Item | undefined, what: string): void {
  const pk = key?.pk?.S;
  if (typeof pk !== "string" || !pk.startsWith(scope.keyPrefix))
    refuse(scope, `${what} pk ${pk ?? "(none)"}`, `partition key not beginning with ${scope.keyPrefix}`);
}

function checkItem(scope: TenantScope, item: Item | undefined, what: string): void {
  checkKey(scope, item, what);
  if (item?.tenantId?.S !== scope.tenantId)
    refuse(scope, `${what} pk ${item?.pk?.S} with tenantId ${item?.tenantId?.S ?? "(none)"}`, "item of another tenant");
}

/** The value a condition binds an attribute to: `pk = :v` (or `#n = :v`), optionally `AND …` on the sort key. */
function boundValue(expression: unknown, names: unknown, values: unknown, pattern: RegExp): string | undefined {
  if (typeof expression !== "string") return undefined;
  const match = pattern.exec(expression);
  if (!match) return undefined;
  const attribute = match[1]!.startsWith("#") ? (names as Record<string, string> | undefined)?.[match[1]!] : match[1];
  if (attribute !== "pk") return undefined;
  return (values as Record<string, AttributeValue> | undefined)?.[match[2]!]?.S;
}

/** Refuses the request unless every key it names is the tenant's, in one of its tables. */
export function checkTenantRequest(scope: TenantScope, command: string, input: Input): void {
  switch (command) {
    case "GetItemCommand":
    case "DeleteItemCommand":
    case "UpdateItemCommand":
      checkTable(scope, input.TableName);
      checkKey(scope, input.Key as Item, "key");
      if (command === "UpdateItemCommand" && /\btenantId\b/.test(String(input.UpdateExpression ?? "")))
        refuse(scope, "UpdateExpression on tenantId", "an item's owner cannot change");
      return;
    case "PutItemCommand":
      checkTable(scope, input.TableName);
      checkItem(scope, input.Item as Item, "item");
      return;
    case "QueryCommand": {
      checkTable(scope, input.TableName);
      const pk = boundValue(
        input.KeyConditionExpression,
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
        /^\s*(#?\w+)\s*=\s*(:\w+)\s*(?:AND\b.*)?$/is,
      );
      if (pk === undefined || !pk.startsWith(scope.keyPrefix))
        refuse(
          scope,
          `key condition ${String(input.KeyConditionExpression)} (pk ${pk ?? "unbound"})`,
          `not a partition beginning with ${scope.keyPrefix}`,
        );
      return;
    }
    case "ScanCommand": {
      checkTable(scope, input.TableName);
      const prefix = boundValue(
        input.FilterExpression,
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
        /^\s*begins_with\(\s*(#?\w+)\s*,\s*(:\w+)\s*\)\s*$/i,
      );
      if (prefix === undefined || !prefix.startsWith(scope.keyPrefix))
        refuse(
          scope,
          `scan of ${String(input.TableName)} filtered by ${String(input.FilterExpression ?? "nothing")}`,
          `a scan must be filtered to begins_with(pk, ${scope.keyPrefix}…)`,
        );
      return;
    }
    case "BatchWriteItemCommand":
      for (const [table, requests] of Object.entries(
        (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }[]>,
      )) {
        checkTable(scope, table);
        for (const request of requests) {
          if (request.PutRequest) checkItem(scope, request.PutRequest.Item, "batch put");
          else checkKey(scope, request.DeleteRequest?.Key, "batch delete");
        }
      }
      return;
    case "BatchGetItemCommand":
      for (const [table, keys] of Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>)) {
        checkTable(scope, table);
        for (const key of keys.Keys ?? []) checkKey(scope, key, "batch get");
      }
      return;
    case "DescribeTableCommand":
      checkTable(scope, input.TableName);
      return;
    default:
      refuse(scope, command, "not a request tenant-scoped access makes");
  }
}

/** An instance-level client reads a whole table (a backup's Scan, per-instance totals) and never writes. */
export function checkInstanceRead(tableName: string, operation: string, command: string, input: Input): void {
  const reads = ["ScanCommand", "QueryCommand", "GetItemCommand", "BatchGetItemCommand", "DescribeTableCommand"];
  if (!reads.includes(command))
    throw new Error(
      `${operation} refused ${command} on ${tableName}: the instance-level client only reads; writes go through a tenant-scoped client`,
    );
  const tables = command === "BatchGetItemCommand" ? Object.keys((input.RequestItems ?? {}) as object) : [String(input.TableName)];
  for (const table of tables)
    if (table !== tableName)
      throw new Error(`${operation} refused ${command} on ${table}: this instance-level client reads ${tableName} only`);
}
