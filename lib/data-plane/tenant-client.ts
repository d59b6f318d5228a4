// The tenant-scoped, document-style client: plain JavaScript items in and out,
// every call sent to the tenant's current table and region, checked by the
// guard, counted in the metric contract, and (writes) stamped, counted in
// flight for the readers protocol and refused while the tenant is frozen.
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { readerLeaseMs } from "../routing/reader-state";
import { isMoving, isServing, movingRoutingTtlMs, type RoutingRecord } from "../routing/record";
import { entityPartition, keyAttributes, partitionShape, tenantKeyPrefix } from "../storage/key-scheme";
import { itemSizeBytes, readUnits, writeUnits } from "./capacity-units";
import { TenantJournalUnavailableError, TenantThrottledError, TenantUnavailableError, TenantWriteFrozenError } from "./errors";
import type { PlanEnforcer } from "./enforcement";
import { checkTenantRequest, type TenantScope } from "../storage/tenant-scope";
import type { MetricsRecorder } from "./metrics";
import type { HeldRecord, RoutingCache } from "./routing";
import { fromAttributeValues, toAttributeValue, toAttributeValues, type Item, type NativeValue } from "./values";
import type { WritesInFlight } from "./writes-in-flight";

/** Where a call went: the table, its region and storage instance. */
export interface Placement {
  storageInstanceId: string;
  tableName: string;
  region: string;
}

/** What a write returns once DynamoDB acknowledged it. */
export interface WriteReceipt extends Placement {
  /** The routing version the write was issued under. */
  routingVersion: number;
  /** The time (ms) written to the key scheme's change stamp attribute; 0 for a delete-only batch. */
  changeStamp: number;
  consumedWriteUnits: number;
}

/** A condition on a write: a DynamoDB condition expression with its names and plain values. */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, NativeValue>;
}

/** A condition on the sort key of a query (one of). */
export type SortKeyCondition =
  | { equals: string | number }
  | { beginsWith: string }
  | { between: [string | number, string | number] }
  | { lessThan: string | number }
  | { lessOrEqual: string | number }
  | { greaterThan: string | number }
  | { greaterOrEqual: string | number };

export interface QueryOptions {
  sortKey?: SortKeyCondition;
  limit?: number;
  /** The `nextKey` of the previous page. */
  startKey?: Item;
  descending?: boolean;
  consistentRead?: boolean;
}

/** The library's internals a tenant client works with (one set per data plane). */
export interface TenantClientContext {
  routing: RoutingCache;
  clientFor(record: RoutingRecord, placement: Placement): DynamoDBClient;
  metrics: MetricsRecorder;
  enforcer: PlanEnforcer | null;
  freezeWaitMs: number;
  writes: WritesInFlight;
  /** Names the caller in guard refusals, e.g. "data plane orders-7f3c". */
  operation: string;
  /** Journals the keys of a moving tenant's write before it is sent (lib/routing/journal-entry.ts); null: keeps no journal. */
  journal: ((record: RoutingRecord, stamp: number, keys: JournalKeys) => Promise<void>) | null;
}

/** The keys a write touches, as DynamoDB keys. */
export interface JournalKeys {
  written: Record<string, AttributeValue>[];
  deleted: Record<string, AttributeValue>[];
}

const batchWriteSize = 25;
const batchGetSize = 100;
const capacityErrors = new Set(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function unitsOf(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number | undefined {
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  if (list.length === 0 || list.some((c) => c.CapacityUnits === undefined)) return undefined;
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/**
 * One tenant's view of its data. Get it from `dataPlane.forTenant(tenantId)`
 * per request; it is cheap and holds no state of its own. Keys and items are
 * plain values whose key attributes are those of the tenant's key scheme
 * (`partitionKey(...)` renders the partition key).
 */
export class TenantClient {
  constructor(
    readonly tenantId: string,
    private readonly context: TenantClientContext,
  ) {}

  /**
   * The tenant's partition key value under its key scheme: the template with
   * the tenant id, then `suffix` ("{tenantId}#{entity}": the entity, e.g.
   * "orders"; "ORG#{tenantId}#...": the rest; "TENANT#{tenantId}": none).
   */
  async partitionKey(suffix = ""): Promise<string> {
    const { record } = await this.serving();
    const prefix = tenantKeyPrefix(record.keyScheme, this.tenantId);
    if (partitionShape(record.keyScheme) === "exact" && suffix !== "")
      throw new TypeError(`the key scheme ${record.keyScheme.template} has one partition per tenant: no suffix`);
    return `${prefix}${suffix}`;
  }

  /** The tenant's routing record as this process holds it (placement, status, plan, key scheme). */
  async routing(): Promise<RoutingRecord> {
    return (await this.serving()).record;
  }

  /** One item by its key, or undefined. */
  async get(key: Item, options: { consistentRead?: boolean } = {}): Promise<Item | undefined> {
    const { record } = await this.prepare("read");
    const placement = this.placementOf(record, key);
    const input = {
      TableName: placement.tableName,
      Key: this.keyOf(record, key),
      ConsistentRead: options.consistentRead,
      ReturnConsumedCapacity: "TOTAL" as const,
    };
    checkTenantRequest(this.scope(record), "GetItemCommand", input);
    const out = await this.call(
      record,
      placement,
      "read",
      (client) => client.send(new GetItemCommand(input)),
      (o) => unitsOf(o.ConsumedCapacity) ?? readUnits(o.Item ? itemSizeBytes(o.Item) : 1, options.consistentRead === true),
    );
    return out.Item ? fromAttributeValues(out.Item) : undefined;
  }

  /**
   * Writes (replaces) one item. The key scheme's change stamp is set to the
   * time of the write and its tenant attribute (when it has one) to the tenant.
   */
  async put(item: Item, options: { condition?: Condition } = {}): Promise<WriteReceipt> {
    return this.write({ written: [item] }, async (record, stamp) => {
      const scheme = record.keyScheme;
      const full: Item = { ...item, [scheme.changeStamp]: stamp };
      if (scheme.tenantAttribute !== null && full[scheme.tenantAttribute] === undefined) full[scheme.tenantAttribute] = this.tenantId;
      const values = toAttributeValues(full);
      const placement = this.placementOf(record, item);
      const input = {
        TableName: placement.tableName,
        Item: values,
        ReturnConsumedCapacity: "TOTAL" as const,
        ...conditionInput(options.condition),
      };
      checkTenantRequest(this.scope(record), "PutItemCommand", input);
      const out = await this.call(
        record,
        placement,
        "write",
        (client) => client.send(new PutItemCommand(input)),
        (o) => unitsOf(o.ConsumedCapacity) ?? writeUnits(itemSizeBytes(values)),
      );
      return this.receipt(record, placement, stamp, unitsOf(out.ConsumedCapacity) ?? writeUnits(itemSizeBytes(values)));
    });
  }

  /**
   * Changes attributes of one item (creating it if absent): `set` values,
   * `remove` attributes, `add` to numbers. Key attributes, the tenant attribute
   * and the change stamp cannot be changed. Returns the item as it is now.
   */
  async update(
    key: Item,
    changes: { set?: Record<string, NativeValue>; remove?: string[]; add?: Record<string, number> },
    options: { condition?: Condition } = {},
  ): Promise<WriteReceipt & { item: Item }> {
    return this.write({ written: [key] }, async (record, stamp) => {
      const scheme = record.keyScheme;
      const fixed = new Set([...keyAttributes(scheme), scheme.changeStamp, ...(scheme.tenantAttribute ? [scheme.tenantAttribute] : [])]);
      const touched = [...Object.keys(changes.set ?? {}), ...(changes.remove ?? []), ...Object.keys(changes.add ?? {})];
      const refused = touched.filter((name) => fixed.has(name));
      if (refused.length > 0) throw new TypeError(`update cannot change ${refused.join(", ")} (key, tenant or change stamp attributes)`);
      const names: Record<string, string> = { "#stamp": scheme.changeStamp };
      const values: Record<string, AttributeValue> = { ":stamp": { N: String(stamp) } };
      const sets = ["#stamp = :stamp"];
      if (scheme.tenantAttribute !== null) {
        names["#tenant"] = scheme.tenantAttribute;
        values[":tenant"] = { S: this.tenantId };
        sets.push("#tenant = if_not_exists(#tenant, :tenant)");
      }
      Object.entries(changes.set ?? {}).forEach(([name, value], i) => {
        names[`#s${i}`] = name;
        values[`:s${i}`] = toAttributeValue(value, name);
        sets.push(`#s${i} = :s${i}`);
      });
      let expression = `SET ${sets.join(", ")}`;
      if (changes.remove?.length) {
        changes.remove.forEach((name, i) => (names[`#r${i}`] = name));
        expression += ` REMOVE ${changes.remove.map((_, i) => `#r${i}`).join(", ")}`;
      }
      const adds = Object.entries(changes.add ?? {});
      if (adds.length > 0) {
        adds.forEach(([name, by], i) => {
          names[`#a${i}`] = name;
          values[`:a${i}`] = toAttributeValue(by, name);
        });
        expression += ` ADD ${adds.map((_, i) => `#a${i} :a${i}`).join(", ")}`;
      }
      const condition = conditionInput(options.condition);
      const placement = this.placementOf(record, key);
      const input = {
        TableName: placement.tableName,
        Key: this.keyOf(record, key),
        UpdateExpression: expression,
        ConditionExpression: condition.ConditionExpression,
        ExpressionAttributeNames: { ...names, ...condition.ExpressionAttributeNames },
        ExpressionAttributeValues: { ...values, ...condition.ExpressionAttributeValues },
        ReturnValues: "ALL_NEW" as const,
        ReturnConsumedCapacity: "TOTAL" as const,
      };
      checkTenantRequest(this.scope(record), "UpdateItemCommand", input);
      const out = await this.call(
        record,
        placement,
        "write",
        (client) => client.send(new UpdateItemCommand(input)),
        (o) => unitsOf(o.ConsumedCapacity) ?? writeUnits(o.Attributes ? itemSizeBytes(o.Attributes) : 1),
      );
      const units = unitsOf(out.ConsumedCapacity) ?? writeUnits(out.Attributes ? itemSizeBytes(out.Attributes) : 1);
      return { ...this.receipt(record, placement, stamp, units), item: fromAttributeValues(out.Attributes ?? {}) };
    });
  }

  /**
   * Deletes one item. While the tenant is being moved, the move's write journal names the key, so the move carries
   * the delete over; without a journal every reader keeps, a migration's verification fails on it and the move is
   * undone (nothing is lost; it is retried later).
   */
  async delete(key: Item, options: { condition?: Condition } = {}): Promise<WriteReceipt> {
    return this.write({ deleted: [key] }, async (record, stamp) => {
      const placement = this.placementOf(record, key);
      const input = {
        TableName: placement.tableName,
        Key: this.keyOf(record, key),
        ReturnConsumedCapacity: "TOTAL" as const,
        ...conditionInput(options.condition),
      };
      checkTenantRequest(this.scope(record), "DeleteItemCommand", input);
      const out = await this.call(
        record,
        placement,
        "write",
        (client) => client.send(new DeleteItemCommand(input)),
        (o) => unitsOf(o.ConsumedCapacity) ?? 1,
      );
      return this.receipt(record, placement, stamp, unitsOf(out.ConsumedCapacity) ?? 1);
    });
  }

  /** One page of the items in one of the tenant's partitions, optionally narrowed by a sort-key condition. */
  async query(partitionKeyValue: string, options: QueryOptions = {}): Promise<{ items: Item[]; nextKey?: Item }> {
    const { record } = await this.prepare("read");
    const scheme = record.keyScheme;
    const placement = this.placementOf(record, { [scheme.partitionKey]: partitionKeyValue });
    const names: Record<string, string> = { "#pk": scheme.partitionKey };
    const values: Record<string, AttributeValue> = { ":pk": { S: partitionKeyValue } };
    let expression = "#pk = :pk";
    if (options.sortKey) {
      if (scheme.sortKey === null) throw new TypeError("the key scheme has no sort key");
      names["#sk"] = scheme.sortKey;
      expression += ` AND ${sortKeyExpression(options.sortKey, values)}`;
    }
    const input = {
      TableName: placement.tableName,
      KeyConditionExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: options.limit,
      ExclusiveStartKey: options.startKey ? toAttributeValues(options.startKey) : undefined,
      ScanIndexForward: options.descending ? false : undefined,
      ConsistentRead: options.consistentRead,
      ReturnConsumedCapacity: "TOTAL" as const,
    };
    checkTenantRequest(this.scope(record), "QueryCommand", input);
    const out = await this.call(
      record,
      placement,
      "read",
      (client) => client.send(new QueryCommand(input)),
      (o) =>
        unitsOf(o.ConsumedCapacity) ??
        readUnits((o.Items ?? []).reduce((sum, item) => sum + itemSizeBytes(item), 0) || 1, options.consistentRead === true),
    );
    return {
      items: (out.Items ?? []).map(fromAttributeValues),
      ...(out.LastEvaluatedKey ? { nextKey: fromAttributeValues(out.LastEvaluatedKey) } : {}),
    };
  }

  /** Items by key (any number: sent 100 a call, unprocessed keys retried); missing items are left out, order is not kept. */
  async batchGet(keys: Item[], options: { consistentRead?: boolean } = {}): Promise<Item[]> {
    if (keys.length === 0) return [];
    const { record } = await this.prepare("read");
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += batchGetSize) {
      let requestItems: Record<string, KeysAndAttributes> = {};
      const placements = new Map<string, Placement>();
      for (const key of keys.slice(i, i + batchGetSize)) {
        const placement = this.placementOf(record, key);
        placements.set(placement.tableName, placement);
        (requestItems[placement.tableName] ??= { Keys: [], ConsistentRead: options.consistentRead }).Keys!.push(this.keyOf(record, key));
      }
      for (let attempt = 0; Object.keys(requestItems).length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1_000, 25 * 2 ** attempt));
        const input = { RequestItems: requestItems, ReturnConsumedCapacity: "TOTAL" as const };
        checkTenantRequest(this.scope(record), "BatchGetItemCommand", input);
        const placement = placements.values().next().value!;
        const out = await this.call(
          record,
          placement,
          "read",
          (client) => client.send(new BatchGetItemCommand(input)),
          (o) => unitsOf(o.ConsumedCapacity) ?? Object.values(o.Responses ?? {}).flat().length,
        );
        for (const items of Object.values(out.Responses ?? {})) found.push(...items.map(fromAttributeValues));
        requestItems = out.UnprocessedKeys ?? {};
        if (attempt >= 8 && Object.keys(requestItems).length > 0)
          throw new Error(`batchGet: keys still unprocessed after ${attempt + 1} attempts`);
      }
    }
    return found;
  }

  /**
   * Puts and deletes (any number: sent 25 a call, unprocessed requests retried
   * with backoff). Every put carries the same change stamp. Not atomic: a
   * failure part-way leaves the earlier calls written.
   */
  async batchWrite(requests: { put?: Item[]; delete?: Item[] }): Promise<WriteReceipt> {
    return this.write({ written: requests.put ?? [], deleted: requests.delete ?? [] }, async (record, stamp) => {
      const scheme = record.keyScheme;
      const all: { placement: Placement; request: WriteRequest }[] = [];
      for (const item of requests.put ?? []) {
        const full: Item = { ...item, [scheme.changeStamp]: stamp };
        if (scheme.tenantAttribute !== null && full[scheme.tenantAttribute] === undefined) full[scheme.tenantAttribute] = this.tenantId;
        all.push({ placement: this.placementOf(record, item), request: { PutRequest: { Item: toAttributeValues(full) } } });
      }
      for (const key of requests.delete ?? [])
        all.push({ placement: this.placementOf(record, key), request: { DeleteRequest: { Key: this.keyOf(record, key) } } });
      let units = 0;
      let last: Placement = record.placement;
      for (let i = 0; i < all.length; i += batchWriteSize) {
        let requestItems: Record<string, WriteRequest[]> = {};
        for (const { placement, request } of all.slice(i, i + batchWriteSize)) {
          last = placement;
          (requestItems[placement.tableName] ??= []).push(request);
        }
        for (let attempt = 0; Object.keys(requestItems).length > 0; attempt++) {
          if (attempt > 0) await sleep(Math.min(1_000, 25 * 2 ** attempt));
          const input = { RequestItems: requestItems, ReturnConsumedCapacity: "TOTAL" as const };
          checkTenantRequest(this.scope(record), "BatchWriteItemCommand", input);
          const estimate = Object.values(requestItems)
            .flat()
            .reduce((sum, r) => sum + (r.PutRequest?.Item ? writeUnits(itemSizeBytes(r.PutRequest.Item)) : 1), 0);
          const out = await this.call(
            record,
            last,
            "write",
            (client) => client.send(new BatchWriteItemCommand(input)),
            (o) => unitsOf(o.ConsumedCapacity) ?? estimate,
          );
          units += unitsOf(out.ConsumedCapacity) ?? estimate;
          requestItems = out.UnprocessedItems ?? {};
          if (attempt >= 8 && Object.keys(requestItems).length > 0)
            throw new Error(`batchWrite: requests still unprocessed after ${attempt + 1} attempts`);
        }
      }
      return this.receipt(record, last, (requests.put ?? []).length > 0 ? stamp : 0, units);
    });
  }

  /**
   * Counts requests the service refused before they reached storage (its own
   * admission control: `plan` for the tenant's limits, `capacity` for the
   * instance's), so the console sees them as ThrottledRequests.
   */
  async recordRefused(counts: { plan?: number; capacity?: number }): Promise<void> {
    const { record } = await this.serving();
    this.context.metrics.refused(this.tenantId, record.placement.storageInstanceId, counts);
  }

  /** Publishes the tenant's StoredItems and StoredBytes gauges (latest value, with every flush from now on). */
  async reportStoredData(data: { items: number; bytes: number }): Promise<void> {
    const { record } = await this.serving();
    this.context.metrics.storedData(this.tenantId, record.placement.storageInstanceId, data);
  }

  // ---- internals

  private async serving(): Promise<HeldRecord & { record: RoutingRecord }> {
    const held = await this.context.routing.resolve(this.tenantId);
    const record = held.record;
    if (!record) throw new TenantUnavailableError(this.tenantId, "unknown");
    if (!isServing(record))
      throw new TenantUnavailableError(
        this.tenantId,
        record.status as "provisioning" | "suspended" | "offboarded",
        record.status === "suspended" ? record.suspendedReason : null,
      );
    return { ...held, record };
  }

  private async prepare(kind: "read" | "write"): Promise<HeldRecord & { record: RoutingRecord }> {
    let held = await this.serving();
    if (this.context.enforcer) {
      const admission = this.context.enforcer.admit(this.tenantId, held.record, Date.now());
      if (!admission.admitted) {
        this.context.metrics.refused(this.tenantId, held.record.placement.storageInstanceId, { plan: 1 });
        throw new TenantThrottledError(this.tenantId, admission.reason, admission.retryAfterMs);
      }
    }
    if (kind === "read") return held;
    const deadline = Date.now() + this.context.freezeWaitMs;
    for (;;) {
      const refusal = writeRefusal(held);
      if (refusal === null) return held;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.context.metrics.refused(this.tenantId, held.record.placement.storageInstanceId, { plan: 1 });
        throw new TenantWriteFrozenError(this.tenantId, refusal, 1_000);
      }
      await sleep(Math.min(movingRoutingTtlMs, left));
      held = await this.serving();
    }
  }

  /**
   * Runs a write with its stamp, counted in flight under the routing version it was checked against; while the
   * tenant is moved with a journal, the keys it touches are journaled first.
   */
  private async write<T>(
    touches: { written?: Item[]; deleted?: Item[] },
    run: (record: RoutingRecord, stamp: number) => Promise<T>,
  ): Promise<T> {
    const { record } = await this.prepare("write");
    // No await between the freeze check above and this registration: the readers protocol relies on it.
    const stamp = Date.now();
    const done = this.context.writes.begin(this.tenantId, record.version, stamp);
    try {
      if (record.journal !== null && isMoving(record) && this.context.journal) {
        const keys = {
          written: (touches.written ?? []).map((item) => this.keyOf(record, item)),
          deleted: (touches.deleted ?? []).map((key) => this.keyOf(record, key)),
        };
        try {
          await this.context.journal(record, stamp, keys);
        } catch (error) {
          throw new TenantJournalUnavailableError(this.tenantId, error);
        }
      }
      return await run(record, stamp);
    } finally {
      done();
    }
  }

  private async call<T>(
    record: RoutingRecord,
    placement: Placement,
    kind: "read" | "write",
    send: (client: DynamoDBClient) => Promise<T>,
    units: (output: T) => number,
  ): Promise<T> {
    const client = this.context.clientFor(record, placement);
    const began = performance.now();
    let output: T;
    try {
      output = await send(client);
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      // DynamoDB refused for capacity: the noisy-neighbour signal. Other failures are the service's to count.
      if (capacityErrors.has(name)) this.context.metrics.refused(this.tenantId, record.placement.storageInstanceId, { capacity: 1 });
      throw error;
    }
    const consumed = units(output);
    this.context.metrics.served({
      tenantId: this.tenantId,
      primaryInstance: record.placement.storageInstanceId,
      servedInstance: placement.storageInstanceId,
      latencyMs: performance.now() - began,
      readUnits: kind === "read" ? consumed : 0,
      writeUnits: kind === "write" ? consumed : 0,
    });
    return output;
  }

  private scope(record: RoutingRecord): TenantScope {
    const tables = [record.placement.tableName, ...(record.bridge ? [record.bridge.tableName] : [])];
    return { tenantId: this.tenantId, keyScheme: record.keyScheme, tables, operation: this.context.operation };
  }

  /** The key attributes of an item or key, as AttributeValues (missing ones refused). */
  private keyOf(record: RoutingRecord, key: Item): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const name of keyAttributes(record.keyScheme)) {
      const value = key[name];
      if (value === undefined)
        throw new TypeError(`the key lacks ${name} (the key scheme's key attributes: ${keyAttributes(record.keyScheme).join(", ")})`);
      out[name] = toAttributeValue(value, name);
    }
    return out;
  }

  /** The table holding an item: a bridge tenant's siloed entity in the bridge's, the rest in the primary placement. */
  private placementOf(record: RoutingRecord, key: Item): Placement {
    const bridge = record.bridge;
    if (!bridge || partitionShape(record.keyScheme) !== "entity") return record.placement;
    return key[record.keyScheme.partitionKey] === entityPartition(record.keyScheme, this.tenantId, bridge.entity)
      ? bridge
      : record.placement;
  }

  private receipt(record: RoutingRecord, placement: Placement, stamp: number, units: number): WriteReceipt {
    return {
      storageInstanceId: placement.storageInstanceId,
      tableName: placement.tableName,
      region: placement.region,
      routingVersion: record.version,
      changeStamp: stamp,
      consumedWriteUnits: units,
    };
  }
}

/** Why a write may not be sent under this record now, or null. */
function writeRefusal(held: HeldRecord & { record: RoutingRecord }): "frozen" | "fenced" | null {
  if (held.record.writeFrozen) return "frozen";
  // A moving tenant's writes need routing read within the readers' lease: the console ignores a reader whose heartbeat lapsed.
  if (isMoving(held.record) && Date.now() - held.readAt > readerLeaseMs) return "fenced";
  return null;
}

function conditionInput(condition: Condition | undefined): {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  if (!condition) return {};
  return {
    ConditionExpression: condition.expression,
    ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
    ...(condition.values ? { ExpressionAttributeValues: toAttributeValues(condition.values) } : {}),
  };
}

function sortKeyExpression(condition: SortKeyCondition, values: Record<string, AttributeValue>): string {
  const bind = (name: string, value: string | number) => {
    values[name] = toAttributeValue(value);
    return name;
  };
  if ("equals" in condition) return `#sk = ${bind(":sk", condition.equals)}`;
  if ("beginsWith" in condition) return `begins_with(#sk, ${bind(":sk", condition.beginsWith)})`;
  if ("between" in condition) return `#sk BETWEEN ${bind(":sk0", condition.between[0])} AND ${bind(":sk1", condition.between[1])}`;
  if ("lessThan" in condition) return `#sk < ${bind(":sk", condition.lessThan)}`;
  if ("lessOrEqual" in condition) return `#sk <= ${bind(":sk", condition.lessOrEqual)}`;
  if ("greaterThan" in condition) return `#sk > ${bind(":sk", condition.greaterThan)}`;
  return `#sk >= ${bind(":sk", condition.greaterOrEqual)}`;
}
