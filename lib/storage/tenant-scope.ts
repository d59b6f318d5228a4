// The guard every operation's access to tenant data goes through, the way a
// SaaS data plane's token vending machine scopes credentials: a request is
// checked against one tenant's scope (its partitions under the tables' key
// scheme, its id, the tables that hold it) before it is sent, and refused,
// naming the operation and the offending key, if any key, key condition, scan
// or batch entry falls outside, or an update would change an item's owner.
// Pure: unit-tested in tenant-scope.test.ts.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ownsPartition, partitionShape, tenantKeyPrefix, type KeyScheme } from "./key-scheme";

export interface TenantScope {
  tenantId: string;
  /** How the items of the scope's tables are keyed (lib/storage/key-scheme.ts). */
  keyScheme: KeyScheme;
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
type Names = Record<string, string> | undefined;
type Values = Record<string, AttributeValue> | undefined;

function refuse(scope: TenantScope, offending: string, reason: string): never {
  throw new TenantScopeViolation(scope, offending, reason);
}

/** What the tenant's partition keys are, for refusals: "begin with acme#" or "are TENANT#acme". */
function partitionRule(scope: TenantScope): string {
  const prefix = tenantKeyPrefix(scope.keyScheme, scope.tenantId);
  switch (partitionShape(scope.keyScheme)) {
    case "exact":
      return `${scope.keyScheme.partitionKey} must be ${prefix}`;
    case "table":
      return "any key (the table holds this tenant only)";
    default:
      return `${scope.keyScheme.partitionKey} must begin with ${prefix}`;
  }
}

function checkTable(scope: TenantScope, tableName: unknown): void {
  if (typeof tableName !== "string" || !scope.tables.includes(tableName))
    refuse(scope, `table ${String(tableName)}`, "not one of its tables");
}

function checkKey(scope: TenantScope, key: Item | undefined, what: string): void {
  const name = scope.keyScheme.partitionKey;
  const pk = key?.[name]?.S;
  if (typeof pk !== "string" || !ownsPartition(scope.keyScheme, scope.tenantId, pk))
    refuse(scope, `${what} ${name} ${pk ?? "(none)"}`, `not one of its partitions: ${partitionRule(scope)}`);
}

function checkItem(scope: TenantScope, item: Item | undefined, what: string): void {
  checkKey(scope, item, what);
  const attribute = scope.keyScheme.tenantAttribute;
  if (attribute !== null && item?.[attribute]?.S !== scope.tenantId)
    refuse(
      scope,
      `${what} ${scope.keyScheme.partitionKey} ${item?.[scope.keyScheme.partitionKey]?.S} with ${attribute} ${item?.[attribute]?.S ?? "(none)"}`,
      "item of another tenant",
    );
}

/** The attribute a name in an expression stands for: `#n` through ExpressionAttributeNames, else itself. */
function attributeOf(token: string, names: Names): string | undefined {
  return token.startsWith("#") ? names?.[token] : token;
}

/** The value a condition binds an attribute to: `pk = :v` (or `#n = :v`), optionally `AND …` on the sort key. */
function boundValue(expression: unknown, names: Names, values: Values, attribute: string, pattern: RegExp): string | undefined {
  if (typeof expression !== "string") return undefined;
  const match = pattern.exec(expression);
  if (!match || attributeOf(match[1]!, names) !== attribute) return undefined;
  return values?.[match[2]!]?.S;
}

const keyCondition = /^\s*(#?\w+)\s*=\s*(:\w+)\s*(?:AND\b.*)?$/is;
/** A scan filter the tenant's partitions bound: `begins_with(pk, :p)` or `pk = :v`, optionally AND-ed with more (never OR). */
const prefixFilter = /^\s*begins_with\(\s*(#?\w+)\s*,\s*(:\w+)\s*\)\s*(?:AND\b(.*))?$/is;
const equalityFilter = /^\s*(#?\w+)\s*=\s*(:\w+)\s*(?:AND\b(.*))?$/is;

/** Whether a scan's filter keeps it to the tenant's partitions (an OR after the bound could widen it again). */
function scanBounded(scope: TenantScope, input: Input): boolean {
  const scheme = scope.keyScheme;
  const shape = partitionShape(scheme);
  if (shape === "table") return true;
  const filter = input.FilterExpression;
  if (typeof filter !== "string") return false;
  const names = input.ExpressionAttributeNames as Names;
  const values = input.ExpressionAttributeValues as Values;
  const prefix = tenantKeyPrefix(scheme, scope.tenantId);
  const rest = (pattern: RegExp) => pattern.exec(filter)?.[3];
  const widened = (more: string | undefined) => more !== undefined && /\bOR\b/i.test(more);
  if (shape === "exact") {
    const value = boundValue(filter, names, values, scheme.partitionKey, equalityFilter);
    return value === prefix && !widened(rest(equalityFilter));
  }
  const value = boundValue(filter, names, values, scheme.partitionKey, prefixFilter);
  return value !== undefined && value.startsWith(prefix) && !widened(rest(prefixFilter));
}

/** An update's actions: each clause's (SET, REMOVE, ADD, DELETE) comma-separated actions, or null if it cannot be read. */
function updateActions(expression: string): { clause: string; action: string }[] | null {
  const actions: { clause: string; action: string }[] = [];
  let clause: string | null = null;
  let depth = 0;
  let start = 0;
  const close = (end: number) => {
    if (clause === null) return expression.slice(start, end).trim() === "";
    const action = expression.slice(start, end).trim();
    if (action === "") return false;
    actions.push({ clause, action });
    return true;
  };
  for (let at = 0; at < expression.length; at++) {
    const c = expression[at]!;
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") {
      if (--depth < 0) return null;
    } else if (depth === 0 && c === ",") {
      if (clause === null || !close(at)) return null;
      start = at + 1;
    } else if (depth === 0 && /[A-Za-z]/.test(c) && (at === 0 || !/[\w#:.]/.test(expression[at - 1]!))) {
      // SET, REMOVE, ADD and DELETE are reserved words: an attribute of that name has to be written #alias.
      const word = /^(SET|REMOVE|ADD|DELETE)\b/i.exec(expression.slice(at))?.[1];
      if (word) {
        if (!close(at)) return null;
        clause = word.toUpperCase();
        start = at + word.length;
        at += word.length - 1;
      }
    }
  }
  if (depth !== 0 || clause === null || !close(expression.length)) return null;
  return actions;
}

const pathStart = /^\s*(#?[A-Za-z0-9_]+)/;

/**
 * Refuses an update that changes an item's key or owner, however spelt: aliases are resolved through
 * ExpressionAttributeNames (an alias it does not define is refused), nested paths and list elements of those
 * attributes count as the attribute, and the legacy AttributeUpdates form is refused outright. The one write of the
 * tenant attribute allowed is setting it to the scope's own tenant id (`#t = :own` or `#t = if_not_exists(#t, :own)`),
 * which the data-plane library stamps on every update.
 */
function checkUpdate(scope: TenantScope, input: Input): void {
  const { partitionKey, sortKey, tenantAttribute } = scope.keyScheme;
  const expression = String(input.UpdateExpression ?? "");
  const names = input.ExpressionAttributeNames as Names;
  const values = input.ExpressionAttributeValues as Values;
  const offending = `UpdateExpression ${expression}`;
  if (input.AttributeUpdates !== undefined) refuse(scope, "AttributeUpdates", "the guard reads updates only as an UpdateExpression");
  const actions = updateActions(expression);
  if (!actions) refuse(scope, offending, "an update expression the guard cannot read");
  const resolve = (token: string) => {
    if (!token.startsWith("#")) return token;
    if (!names || !Object.hasOwn(names, token)) refuse(scope, offending, `${token} is not in ExpressionAttributeNames`);
    return names[token]!;
  };
  const ownValue = (token: string | undefined) =>
    token !== undefined && values !== undefined && Object.hasOwn(values, token) && values[token]?.S === scope.tenantId;
  for (const { clause, action } of actions) {
    const path = pathStart.exec(action);
    if (!path) refuse(scope, offending, "an update expression the guard cannot read");
    const attribute = resolve(path[1]!);
    const rest = action.slice(path[0].length);
    if (attribute === partitionKey || attribute === sortKey)
      refuse(scope, `${offending} on ${attribute}`, "an item's key attributes cannot change");
    if (attribute !== tenantAttribute) continue;
    const assigned = clause === "SET" ? /^\s*=\s*(.*)$/s.exec(rest)?.[1]?.trim() : undefined;
    const plain = assigned !== undefined ? /^(:\w+)$/.exec(assigned) : null;
    const ifNotExists = assigned !== undefined ? /^if_not_exists\s*\(\s*(#?\w+)\s*,\s*(:\w+)\s*\)$/i.exec(assigned) : null;
    const keepsOwner = plain
      ? ownValue(plain[1])
      : ifNotExists
        ? resolve(ifNotExists[1]!) === attribute && ownValue(ifNotExists[2])
        : false;
    if (!keepsOwner) refuse(scope, `${offending} on ${attribute}`, "an item's owner cannot change");
  }
}

/** A query on an index: only the scheme's tenant index, and only for the tenant's own id. */
function checkIndexQuery(scope: TenantScope, input: Input): void {
  const { tenantIndex, tenantAttribute } = scope.keyScheme;
  const value =
    tenantIndex !== null && input.IndexName === tenantIndex && tenantAttribute !== null
      ? boundValue(
          input.KeyConditionExpression,
          input.ExpressionAttributeNames as Names,
          input.ExpressionAttributeValues as Values,
          tenantAttribute,
          keyCondition,
        )
      : undefined;
  if (value !== scope.tenantId)
    refuse(
      scope,
      `query of index ${String(input.IndexName)} by ${String(input.KeyConditionExpression)}`,
      tenantIndex === null ? "its tables have no tenant index" : `only ${tenantIndex} by ${tenantAttribute} = ${scope.tenantId}`,
    );
}

/** Refuses the request unless every key it names is the tenant's, in one of its tables. */
export function checkTenantRequest(scope: TenantScope, command: string, input: Input): void {
  switch (command) {
    case "GetItemCommand":
    case "DeleteItemCommand":
    case "UpdateItemCommand":
      checkTable(scope, input.TableName);
      checkKey(scope, input.Key as Item, "key");
      if (command === "UpdateItemCommand") checkUpdate(scope, input);
      return;
    case "PutItemCommand":
      checkTable(scope, input.TableName);
      checkItem(scope, input.Item as Item, "item");
      return;
    case "QueryCommand": {
      checkTable(scope, input.TableName);
      if (input.IndexName !== undefined) return checkIndexQuery(scope, input);
      const pk = boundValue(
        input.KeyConditionExpression,
        input.ExpressionAttributeNames as Names,
        input.ExpressionAttributeValues as Values,
        scope.keyScheme.partitionKey,
        keyCondition,
      );
      if (pk === undefined || !ownsPartition(scope.keyScheme, scope.tenantId, pk))
        refuse(
          scope,
          `key condition ${String(input.KeyConditionExpression)} (${scope.keyScheme.partitionKey} ${pk ?? "unbound"})`,
          `not one of its partitions: ${partitionRule(scope)}`,
        );
      return;
    }
    case "ScanCommand": {
      checkTable(scope, input.TableName);
      if (input.IndexName !== undefined) refuse(scope, `scan of index ${String(input.IndexName)}`, "a scan reads the table itself");
      if (!scanBounded(scope, input)) {
        const prefix = tenantKeyPrefix(scope.keyScheme, scope.tenantId);
        const { partitionKey } = scope.keyScheme;
        refuse(
          scope,
          `scan of ${String(input.TableName)} filtered by ${String(input.FilterExpression ?? "nothing")}`,
          partitionShape(scope.keyScheme) === "exact"
            ? `a scan must be filtered to ${partitionKey} = ${prefix} (AND more, never OR)`
            : `a scan must be filtered to begins_with(${partitionKey}, ${prefix}…) (AND more, never OR)`,
        );
      }
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
