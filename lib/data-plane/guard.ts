// Every request the tenant client builds is checked by the guard
// (lib/storage/tenant-scope.ts) before it is sent: no key, key condition or
// batch entry outside the tenant's partitions and tables, no item naming
// another tenant. The guard reads keys through the tenant's key scheme.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { isDefaultKeyScheme, ownsPartition, tenantKeyPrefix, type KeyScheme } from "../storage/key-scheme";
import { checkTenantRequest, TenantScopeViolation, type TenantScope } from "../storage/tenant-scope";

export type DataPlaneScope = TenantScope & { keyScheme: KeyScheme };

export function dataPlaneScope(tenantId: string, keyScheme: KeyScheme, tables: readonly string[], operation: string): DataPlaneScope {
  return { tenantId, keyPrefix: tenantKeyPrefix(keyScheme, tenantId), tables, operation, keyScheme };
}

type Item = Record<string, AttributeValue>;

/** Refuses (TenantScopeViolation) a request outside the tenant's data. */
export function checkRequest(scope: DataPlaneScope, command: string, input: Record<string, unknown>): void {
  if (isDefaultKeyScheme(scope.keyScheme)) {
    checkTenantRequest(scope, command, input);
    return;
  }
  checkSchemeRequest(scope, command, input);
}

// The same checks for a non-default key scheme, until the guard itself follows
// `keyScheme` (then checkRequest calls checkTenantRequest for every scheme).
function checkSchemeRequest(scope: DataPlaneScope, command: string, input: Record<string, unknown>): void {
  const refuse = (offending: string, reason: string): never => {
    throw new TenantScopeViolation(scope, offending, reason);
  };
  const { partitionKey, tenantAttribute } = scope.keyScheme;
  const table = (name: unknown) => {
    if (typeof name !== "string" || !scope.tables.includes(name)) refuse(`table ${String(name)}`, "not one of its tables");
  };
  const key = (k: Item | undefined, what: string) => {
    const value = k?.[partitionKey]?.S;
    if (typeof value !== "string" || !ownsPartition(scope.keyScheme, scope.tenantId, value))
      refuse(`${what} ${partitionKey} ${value ?? "(none)"}`, `not a partition of tenant ${scope.tenantId} (${scope.keyScheme.template})`);
  };
  const item = (i: Item | undefined, what: string) => {
    key(i, what);
    if (tenantAttribute !== null && i?.[tenantAttribute]?.S !== scope.tenantId)
      refuse(`${what} with ${tenantAttribute} ${i?.[tenantAttribute]?.S ?? "(none)"}`, "item of another tenant");
  };
  switch (command) {
    case "GetItemCommand":
    case "DeleteItemCommand":
    case "UpdateItemCommand": {
      table(input.TableName);
      key(input.Key as Item, "key");
      const names = Object.values((input.ExpressionAttributeNames ?? {}) as Record<string, string>);
      if (command === "UpdateItemCommand" && tenantAttribute !== null && names.includes(tenantAttribute))
        refuse(`UpdateExpression on ${tenantAttribute}`, "an item's owner cannot change");
      return;
    }
    case "PutItemCommand":
      table(input.TableName);
      item(input.Item as Item, "item");
      return;
    case "QueryCommand": {
      table(input.TableName);
      const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const values = (input.ExpressionAttributeValues ?? {}) as Item;
      const match = /^\s*(#\w+)\s*=\s*(:\w+)/.exec(String(input.KeyConditionExpression ?? ""));
      const bound = match && names[match[1]!] === partitionKey ? values[match[2]!]?.S : undefined;
      if (bound === undefined || !ownsPartition(scope.keyScheme, scope.tenantId, bound))
        refuse(
          `key condition ${String(input.KeyConditionExpression)} (${partitionKey} ${bound ?? "unbound"})`,
          "not a partition of the tenant",
        );
      return;
    }
    case "BatchWriteItemCommand":
      for (const [name, requests] of Object.entries(
        (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }[]>,
      )) {
        table(name);
        for (const request of requests) {
          if (request.PutRequest) item(request.PutRequest.Item, "batch put");
          else key(request.DeleteRequest?.Key, "batch delete");
        }
      }
      return;
    case "BatchGetItemCommand":
      for (const [name, keys] of Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>)) {
        table(name);
        for (const k of keys.Keys ?? []) key(k, "batch get");
      }
      return;
    default:
      refuse(command, "not a request tenant-scoped access makes");
  }
}
