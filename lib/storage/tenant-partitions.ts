// Reading, writing and deleting one tenant's items, bounded by its key prefix:
// every read is a Query on one of the tenant's partitions (pk = prefix +
// entity), and every item written or deleted is checked to carry the tenant's
// prefix and id first, and every request passes the tenant-scoped client's
// guard. Used by migrations, restores, clean-ups and onboarding's seeding.
import { createHash } from "node:crypto";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  QueryCommand,
  type BatchGetItemCommandOutput,
  type KeysAndAttributes,
  type AttributeValue,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import type { DataClient } from "./tenant-access";
import { assertTenantOwnsKey, partitionKeyFor, type TenantEntity } from "./tenant-items";

export type Item = Record<string, AttributeValue>;

/** One table holding some of a tenant's entities, reached through a tenant-scoped client (lib/storage/tenant-access.ts). */
export interface TenantTable {
  client: DataClient;
  tableName: string;
}

export interface TenantKeys {
  tenantId: string;
  keyPrefix: string;
}

/** Items carry the time of their last write (ms), set by every writer; changes are found by it. */
export const updatedAtAttribute = "updatedAt";

export function itemKey(item: Item): string {
  return `${item.pk?.S ?? ""}\u001f${item.sk?.S ?? ""}`;
}

/** The DynamoDB key an itemKey stands for. */
export function keyFromItemKey(key: string): Item {
  const [pk, sk] = key.split("\u001f");
  return { pk: { S: pk ?? "" }, sk: { S: sk ?? "" } };
}

/** "pk / sk", for messages. */
export function describeKey(key: string): string {
  return key.replace("\u001f", " / ");
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

/**
 * Pages of one of the tenant's partitions, in sort-key order, strongly
 * consistent. With `changedSince` only items written at or after it are
 * returned (the whole partition is still read; `scanned` counts it).
 */
export async function* readPartition(
  table: TenantTable,
  tenant: TenantKeys,
  entity: TenantEntity,
  options: { changedSince?: number; keysOnly?: boolean; signal?: AbortSignal } = {},
): AsyncGenerator<PartitionPage> {
  let startKey: Item | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        KeyConditionExpression: "pk = :pk",
        FilterExpression: options.changedSince === undefined ? undefined : "#updatedAt >= :since",
        ProjectionExpression: options.keysOnly ? "pk, sk, tenantId" : undefined,
        ExpressionAttributeNames: options.changedSince === undefined ? undefined : { "#updatedAt": updatedAtAttribute },
        ExpressionAttributeValues: {
          ":pk": { S: partitionKeyFor(tenant.keyPrefix, entity) },
          ...(options.changedSince === undefined ? {} : { ":since": { N: String(options.changedSince) } }),
        },
        ExclusiveStartKey: startKey,
      }),
      { abortSignal: options.signal },
    );
    const items = page.Items ?? [];
    for (const item of items) guard(tenant, item);
    yield { items, scanned: page.ScannedCount ?? items.length };
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** How many items the tenant has in these partitions of `table` (a COUNT query per partition). */
export async function countTenantItems(table: TenantTable, tenant: TenantKeys, entities: readonly TenantEntity[]): Promise<number> {
  const counts = await Promise.all(
    entities.map(async (entity) => {
      let count = 0;
      let startKey: Item | undefined;
      do {
        const page = await table.client.send(
          new QueryCommand({
            TableName: table.tableName,
            Select: "COUNT",
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": { S: partitionKeyFor(tenant.keyPrefix, entity) } },
            ExclusiveStartKey: startKey,
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return count;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

function guard(tenant: TenantKeys, item: Item): void {
  assertTenantOwnsKey(tenant.keyPrefix, tenant.tenantId, { pk: item.pk?.S ?? "", tenantId: item.tenantId?.S ?? "" });
}

/** The items at `keys` (each checked to be the tenant's), read with consistent BatchGetItem; absent keys are absent from the map. */
export async function getTenantItems(
  table: TenantTable,
  tenant: TenantKeys,
  keys: readonly string[],
  options: { keysOnly?: boolean; signal?: AbortSignal } = {},
): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  for (let i = 0; i < keys.length; i += 100) {
    const batch = keys.slice(i, i + 100).map(keyFromItemKey);
    for (const key of batch) guard(tenant, { ...key, tenantId: { S: tenant.tenantId } });
    let request: Record<string, KeysAndAttributes> | undefined = {
      [table.tableName]: { Keys: batch, ConsistentRead: true, ProjectionExpression: options.keysOnly ? "pk, sk" : undefined },
    };
    while (request && Object.keys(request).length > 0) {
      const page: BatchGetItemCommandOutput = await table.client.send(new BatchGetItemCommand({ RequestItems: request }), {
        abortSignal: options.signal,
      });
      for (const item of page.Responses?.[table.tableName] ?? []) out.set(itemKey(item), item);
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
      this.tokens = Math.min(this.itemsPerSec, this.tokens + ((now - this.last) / 1000) * this.itemsPerSec);
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
  for (const request of requests) {
    const item = request.put ?? request.deleteKey!;
    guard(tenant, request.put ? item : { ...item, tenantId: { S: tenant.tenantId } });
  }
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += batchSize) {
    chunks.push(
      requests
        .slice(i, i + batchSize)
        .map((r) => (r.put ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: { pk: r.deleteKey!.pk!, sk: r.deleteKey!.sk! } } })),
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
 * Deletes every item of the tenant's partitions of `entities` in `table` (its
 * key prefix bounds every read and delete), page by page; safe to repeat.
 */
export async function deleteTenantItems(
  table: TenantTable,
  tenant: TenantKeys,
  entities: readonly TenantEntity[],
  options: { signal?: AbortSignal; limiter?: RateLimiter; onProgress?: (deleted: number) => void | Promise<void> } = {},
): Promise<number> {
  let deleted = 0;
  for (const entity of entities) {
    // Deleting while paging is safe: each page starts after the last key of the previous one.
    for await (const page of readPartition(table, tenant, entity, { keysOnly: true, signal: options.signal })) {
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
