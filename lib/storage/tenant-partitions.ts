// Reading, writing and deleting one tenant's items, bounded by its partitions
// under the table's key scheme (lib/storage/key-scheme.ts): where the scheme
// names them in advance (one per entity, or the tenant's one partition) every
// read is a strongly consistent Query of one of them; where it does not (an
// "ORG#{tenantId}#..." template) the tenant's items are found by a consistent
// parallel Scan filtered to its prefix. Every item read, written or deleted is
// checked to be the tenant's first, and every request passes the
// tenant-scoped client's guard. Used by migrations, restores, clean-ups and
// onboarding's seeding.
import { createHash } from "node:crypto";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  QueryCommand,
  ScanCommand,
  type BatchGetItemCommandOutput,
  type KeysAndAttributes,
  type AttributeValue,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import type { DataClient } from "./tenant-access";
import {
  keyAttributes,
  ownsPartition,
  partitionShape,
  tenantKeyPrefix,
  tenantOfPartition,
  tenantPartitions,
  type KeyScheme,
} from "./key-scheme";

export type Item = Record<string, AttributeValue>;

/** One table holding some of a tenant's entities, reached through a tenant-scoped client (lib/storage/tenant-access.ts). */
export interface TenantTable {
  client: DataClient;
  tableName: string;
}

/** A tenant and how its items are keyed where they are read or written. */
export interface TenantKeys {
  tenantId: string;
  keyScheme: KeyScheme;
}

// Keys as strings (recorded in operation outputs and backup manifests): the
// partition key, then "\u001f" and the sort key when the table has one. A
// string value is itself; a number or binary value is marked, so keys of
// every type round-trip and never collide with a string.
const sortSeparator = "\u001f";
const typeMark = "\u001d";

function keyPart(value: AttributeValue | undefined): string {
  if (value?.S !== undefined) return value.S;
  if (value?.N !== undefined) return `${typeMark}N${value.N}`;
  if (value?.B !== undefined) return `${typeMark}B${Buffer.from(value.B).toString("base64")}`;
  return "";
}

function keyValue(part: string): AttributeValue {
  if (part.startsWith(`${typeMark}N`)) return { N: part.slice(2) };
  if (part.startsWith(`${typeMark}B`)) return { B: Buffer.from(part.slice(2), "base64") };
  return { S: part };
}

/** An item's key as a string (see above). */
export function itemKey(scheme: KeyScheme, item: Item): string {
  const pk = keyPart(item[scheme.partitionKey]);
  return scheme.sortKey === null ? pk : `${pk}${sortSeparator}${keyPart(item[scheme.sortKey])}`;
}

/** The DynamoDB key an itemKey stands for. */
export function keyFromItemKey(scheme: KeyScheme, key: string): Item {
  const at = key.indexOf(sortSeparator);
  const pk = at < 0 ? key : key.slice(0, at);
  const out: Item = { [scheme.partitionKey]: keyValue(pk) };
  if (scheme.sortKey !== null) out[scheme.sortKey] = keyValue(at < 0 ? "" : key.slice(at + 1));
  return out;
}

/** Only the key attributes of an item. */
export function keyOf(scheme: KeyScheme, item: Item): Item {
  const out: Item = {};
  for (const name of keyAttributes(scheme)) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

/** The partition-key value of an item (a string under every template), "" if it has none. */
export function partitionOf(scheme: KeyScheme, item: Item): string {
  return item[scheme.partitionKey]?.S ?? "";
}

/** "pk / sk", for messages. */
export function describeKey(key: string): string {
  return key.replace(sortSeparator, " / ").replaceAll(`${typeMark}N`, "").replaceAll(`${typeMark}B`, "0x");
}

/**
 * The tenant an item belongs to under the scheme, given the tenants that may
 * live in the table (their entities here, for entity templates): its partition
 * key names one of them, an entity of theirs that lives here, and the tenant
 * attribute (when the scheme has one) agrees. Undefined: no such tenant's item.
 */
export function ownerOfItem<T extends { tenantId: string; entities: readonly string[] }>(
  scheme: KeyScheme,
  item: Item,
  tenants: ReadonlyMap<string, T>,
): T | undefined {
  const pk = partitionOf(scheme, item);
  const shape = partitionShape(scheme);
  const tenantId = shape === "table" ? scheme.tenantAttribute && item[scheme.tenantAttribute]?.S : tenantOfPartition(scheme, pk);
  if (shape === "table" && !tenantId) return tenants.size === 1 ? [...tenants.values()][0] : undefined;
  const tenant = tenantId ? tenants.get(tenantId) : undefined;
  if (!tenant) return undefined;
  if (scheme.tenantAttribute !== null && item[scheme.tenantAttribute]?.S !== tenant.tenantId) return undefined;
  if (shape === "entity" && !tenant.entities.includes(pk.slice(tenantKeyPrefix(scheme, tenant.tenantId).length))) return undefined;
  return tenant;
}

/** Throws unless the item (or key) is the tenant's under its scheme: the check every reader and writer here runs. */
export function assertTenantItem(tenant: TenantKeys, item: Item, what: "item" | "key" = "item"): void {
  const scheme = tenant.keyScheme;
  const pk = partitionOf(scheme, item);
  const attribute = scheme.tenantAttribute;
  if (!ownsPartition(scheme, tenant.tenantId, pk) || (what === "item" && attribute !== null && item[attribute]?.S !== tenant.tenantId))
    throw new Error(
      `refusing ${what} ${scheme.partitionKey} ${pk}${what === "item" && attribute ? ` (${attribute} ${item[attribute]?.S ?? "none"})` : ""} for tenant ${tenant.tenantId}: not one of its items under ${scheme.template ?? "its table"}`,
    );
}

/** A content hash of an item, independent of attribute order (like VDiff's row comparison). */
export function itemHash(item: Item): string {
  return createHash("sha256").update(canonical(item)).digest("base64url").slice(0, 22);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString("base64"));
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export interface PartitionPage {
  items: Item[];
  /** Items the query looked at (all of the page's range, before the change filter). */
  scanned: number;
}

export interface ReadOptions {
  /** Only items whose change stamp is at or after this time (ms); the whole range is still read (`scanned` counts it). */
  changedSince?: number;
  /** Only the key attributes (and the tenant attribute). */
  keysOnly?: boolean;
  /** At most this many items per page (a sample). */
  limit?: number;
  signal?: AbortSignal;
}

/** Parallel Scan segments used where a tenant's partitions are not known in advance. */
export const scanSegments = 4;

/** Expression parts every read shares: the change filter and the keys-only projection, attribute names always aliased. */
function readExpressions(scheme: KeyScheme, options: ReadOptions) {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  let projection: string | undefined;
  if (options.keysOnly) {
    const attributes = [...keyAttributes(scheme), ...(scheme.tenantAttribute === null ? [] : [scheme.tenantAttribute])];
    projection = attributes.map((name, i) => ((names[`#k${i}`] = name), `#k${i}`)).join(", ");
  }
  let changed: string | undefined;
  if (options.changedSince !== undefined) {
    names["#stamp"] = scheme.changeStamp;
    values[":since"] = { N: String(options.changedSince) };
    changed = "#stamp >= :since";
  }
  return { names, values, projection, changed };
}

const orUndefined = <T extends object>(value: T): T | undefined => (Object.keys(value).length > 0 ? value : undefined);

/**
 * Pages of one of the tenant's partitions, in sort-key order, strongly
 * consistent. With `changedSince` only items stamped at or after it are
 * returned (the whole partition is still read; `scanned` counts it).
 */
export async function* readPartition(
  table: TenantTable,
  tenant: TenantKeys,
  partition: string,
  options: ReadOptions = {},
): AsyncGenerator<PartitionPage> {
  const scheme = tenant.keyScheme;
  const { names, values, projection, changed } = readExpressions(scheme, options);
  names["#pk"] = scheme.partitionKey;
  values[":pk"] = { S: partition };
  let startKey: Item | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        KeyConditionExpression: "#pk = :pk",
        FilterExpression: changed,
        ProjectionExpression: projection,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: options.limit,
        ExclusiveStartKey: startKey,
      }),
      { abortSignal: options.signal },
    );
    const items = page.Items ?? [];
    for (const item of items) assertTenantItem(tenant, item, options.keysOnly && scheme.tenantAttribute === null ? "key" : "item");
    yield { items, scanned: page.ScannedCount ?? items.length };
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** The filter that keeps a scan to the tenant's partitions ("" where the table is the tenant's whole). */
function scanBound(tenant: TenantKeys, names: Record<string, string>, values: Record<string, AttributeValue>): string | undefined {
  const scheme = tenant.keyScheme;
  const shape = partitionShape(scheme);
  if (shape === "table") return undefined;
  names["#pk"] = scheme.partitionKey;
  values[":prefix"] = { S: tenantKeyPrefix(scheme, tenant.tenantId) };
  return shape === "exact" ? "#pk = :prefix" : "begins_with(#pk, :prefix)";
}

/**
 * One segment of a consistent Scan of the table filtered to the tenant's
 * partitions. The change filter is applied here, not by DynamoDB, so that
 * `scanned` counts the tenant's items (a Scan's own ScannedCount counts the
 * whole table's).
 */
export async function* scanTenantSegment(
  table: TenantTable,
  tenant: TenantKeys,
  segment: number,
  segments: number,
  options: ReadOptions & { count?: boolean } = {},
): AsyncGenerator<PartitionPage> {
  const scheme = tenant.keyScheme;
  const { names, values, projection } = readExpressions(scheme, { keysOnly: options.keysOnly });
  const since = options.changedSince;
  let projected = projection;
  if (projected !== undefined && since !== undefined) {
    names["#stamp"] = scheme.changeStamp;
    projected += ", #stamp";
  }
  const bound = scanBound(tenant, names, values);
  const counting = options.count === true && since === undefined;
  let startKey: Item | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        Segment: segment,
        TotalSegments: segments,
        FilterExpression: bound,
        Select: counting ? "COUNT" : undefined,
        ProjectionExpression: counting ? undefined : projected,
        ExpressionAttributeNames: orUndefined(names),
        ExpressionAttributeValues: orUndefined(values),
        Limit: options.limit,
        ExclusiveStartKey: startKey,
      }),
      { abortSignal: options.signal },
    );
    const read = page.Items ?? [];
    for (const item of read) assertTenantItem(tenant, item, options.keysOnly && scheme.tenantAttribute === null ? "key" : "item");
    const items = since === undefined ? read : read.filter((item) => Number(item[scheme.changeStamp]?.N ?? 0) >= since);
    yield { items, scanned: page.Count ?? read.length };
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** The tenant's partitions in the table when the scheme names them in advance; null when its items must be found by a scan. */
export function knownPartitions(tenant: TenantKeys, entities: readonly string[]): string[] | null {
  return tenantPartitions(tenant.keyScheme, tenant.tenantId, entities);
}

/**
 * Page streams that together read every item of the tenant's `entities` in
 * the table: one Query per known partition, or the segments of a Scan.
 * Streams may be read in parallel; items come in no overall order.
 */
export function readTenantItems(
  table: TenantTable,
  tenant: TenantKeys,
  entities: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<PartitionPage>[] {
  const partitions = knownPartitions(tenant, entities);
  if (partitions) return partitions.map((partition) => readPartition(table, tenant, partition, options));
  return Array.from({ length: scanSegments }, (_, segment) => scanTenantSegment(table, tenant, segment, scanSegments, options));
}

/** How many items the tenant has in these partitions of `table` (a COUNT query per partition, or a counting scan). */
export async function countTenantItems(table: TenantTable, tenant: TenantKeys, entities: readonly string[]): Promise<number> {
  const partitions = knownPartitions(tenant, entities);
  const count = async (pages: AsyncGenerator<PartitionPage>) => {
    let n = 0;
    for await (const page of pages) n += page.scanned;
    return n;
  };
  if (!partitions) {
    const counts = await Promise.all(
      Array.from({ length: scanSegments }, (_, segment) => count(scanTenantSegment(table, tenant, segment, scanSegments, { count: true }))),
    );
    return counts.reduce((a, b) => a + b, 0);
  }
  const counts = await Promise.all(
    partitions.map(async (partition) => {
      let n = 0;
      let startKey: Item | undefined;
      do {
        const page = await table.client.send(
          new QueryCommand({
            TableName: table.tableName,
            Select: "COUNT",
            KeyConditionExpression: "#pk = :pk",
            ExpressionAttributeNames: { "#pk": tenant.keyScheme.partitionKey },
            ExpressionAttributeValues: { ":pk": { S: partition } },
            ExclusiveStartKey: startKey,
          }),
        );
        n += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** The items at `keys` (each checked to be the tenant's), read with consistent BatchGetItem; absent keys are absent from the map. */
export async function getTenantItems(
  table: TenantTable,
  tenant: TenantKeys,
  keys: readonly string[],
  options: { keysOnly?: boolean; signal?: AbortSignal } = {},
): Promise<Map<string, Item>> {
  const scheme = tenant.keyScheme;
  const out = new Map<string, Item>();
  const { names, projection } = readExpressions(scheme, { keysOnly: options.keysOnly });
  for (let i = 0; i < keys.length; i += 100) {
    const batch = keys.slice(i, i + 100).map((key) => keyFromItemKey(scheme, key));
    for (const key of batch) assertTenantItem(tenant, key, "key");
    let request: Record<string, KeysAndAttributes> | undefined = {
      [table.tableName]: {
        Keys: batch,
        ConsistentRead: true,
        ProjectionExpression: projection,
        ExpressionAttributeNames: orUndefined(names),
      },
    };
    while (request && Object.keys(request).length > 0) {
      const page: BatchGetItemCommandOutput = await table.client.send(new BatchGetItemCommand({ RequestItems: request }), {
        abortSignal: options.signal,
      });
      for (const item of page.Responses?.[table.tableName] ?? []) out.set(itemKey(scheme, item), item);
      request = page.UnprocessedKeys;
    }
  }
  return out;
}

/** Caps the rate of item writes (a token bucket over items per second); no cap when `itemsPerSec` is 0. */
export class RateLimiter {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly itemsPerSec: number) {
    this.tokens = itemsPerSec;
  }

  async take(items: number, signal?: AbortSignal): Promise<void> {
    if (this.itemsPerSec <= 0) return;
    for (;;) {
      const now = performance.now();
      // The bucket holds at least one request's worth: a batch larger than a second's rate (25 deletes at 10 items/s)
      // waits for its tokens instead of waiting forever.
      const capacity = Math.max(this.itemsPerSec, items);
      this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * this.itemsPerSec);
      this.last = now;
      if (this.tokens >= items) {
        this.tokens -= items;
        return;
      }
      signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, ((items - this.tokens) / this.itemsPerSec) * 1000)));
    }
  }
}

const batchSize = 25;
const maxBackoffMs = 2_000;

/**
 * Writes (or deletes) items with BatchWriteItem, 25 at a time, retrying
 * UnprocessedItems with exponential backoff. Every key is checked to be the
 * tenant's before anything is sent.
 */
export async function batchWriteTenantItems(
  table: TenantTable,
  tenant: TenantKeys,
  requests: { put?: Item; deleteKey?: Item }[],
  options: { signal?: AbortSignal; limiter?: RateLimiter; concurrency?: number } = {},
): Promise<number> {
  const scheme = tenant.keyScheme;
  for (const request of requests) assertTenantItem(tenant, request.put ?? request.deleteKey!, request.put ? "item" : "key");
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += batchSize) {
    chunks.push(
      requests
        .slice(i, i + batchSize)
        .map((r) => (r.put ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: keyOf(scheme, r.deleteKey!) } })),
    );
  }
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      await options.limiter?.take(chunk.length, options.signal);
      let pending: WriteRequest[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        options.signal?.throwIfAborted();
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(maxBackoffMs, 25 * 2 ** attempt * (0.5 + Math.random()))));
        const result = await table.client.send(new BatchWriteItemCommand({ RequestItems: { [table.tableName]: pending } }), {
          abortSignal: options.signal,
        });
        pending = result.UnprocessedItems?.[table.tableName] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, chunks.length) }, worker));
  return requests.length;
}

/**
 * Deletes every item of the tenant's `entities` in `table` (its partitions
 * bound every read and delete), page by page; safe to repeat.
 */
export async function deleteTenantItems(
  table: TenantTable,
  tenant: TenantKeys,
  entities: readonly string[],
  options: { signal?: AbortSignal; limiter?: RateLimiter; onProgress?: (deleted: number) => void | Promise<void> } = {},
): Promise<number> {
  let deleted = 0;
  // Deleting while paging is safe: each page starts after the last key of the previous one (a Query's or a Scan segment's).
  for (const pages of readTenantItems(table, tenant, entities, { keysOnly: true, signal: options.signal })) {
    for await (const page of pages) {
      if (page.items.length === 0) continue;
      await batchWriteTenantItems(
        table,
        tenant,
        page.items.map((deleteKey) => ({ deleteKey })),
        { signal: options.signal, limiter: options.limiter },
      );
      deleted += page.items.length;
      await options.onProgress?.(deleted);
    }
  }
  return deleted;
}
