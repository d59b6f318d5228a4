// An offboarding's purge and what proves it: in a pool, the tenant's keys
// (read page by page from its own partitions through its tenant-scoped client)
// deleted with BatchWriteItem, 25 a request, a few requests in flight, under a
// rate cap (a share of the instance's write capacity), retrying what DynamoDB
// leaves unprocessed or throttles, with backoff; every key checked to be the
// tenant's before it is sent. Co-tenants are proved untouched by a snapshot of
// their items (key → content hash) taken before the first delete and compared
// after the purge (see compareCoTenants for the rule while they keep writing).
import { gunzipSync, gzipSync } from "node:zlib";
import { BatchWriteItemCommand, ScanCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import type { DataClient } from "../storage/tenant-access";
import type { BackupStore } from "../storage/backup-store";
import { BackupObjectMissing } from "../storage/backup-store";
import { ownsPartition, type KeyScheme } from "../storage/key-scheme";
import {
  assertTenantItem,
  itemHash,
  itemKey,
  keyOf,
  partitionOf,
  readTenantItems,
  type Item,
  type RateLimiter,
  type TenantKeys,
  type TenantTable,
} from "../storage/tenant-partitions";

const batchSize = 25;
const maxBackoffMs = 2_000;
/** Throttled or unprocessed this many times in a row, one request gives up (the step fails; a retry resumes the purge). */
const maxTries = 30;
const throttled = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "LimitExceededException",
]);

export interface PurgeOptions {
  limiter?: RateLimiter;
  signal?: AbortSignal;
  /** BatchWriteItem requests in flight at once (over all of the tenant's partitions). */
  concurrency?: number;
  onDeleted?: (deleted: number) => Promise<void> | void;
  /** Backoff before try `n` (≥ 1) of a request; tests pass one that does not sleep. */
  backoff?: (n: number) => Promise<void>;
}

const defaultBackoff = (n: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(maxBackoffMs, 25 * 2 ** n * (0.5 + Math.random()))));

/** Runs at most `slots` of the tasks given to it at once. */
function slots(count: number) {
  let free = Math.max(1, count);
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * Deletes these keys of the tenant: BatchWriteItem requests of 25, each retried (with backoff) until DynamoDB has
 * processed all of it: its UnprocessedItems sent again, a throttling error sent again whole (a delete is safe to repeat).
 */
export async function deleteTenantKeys(
  table: TenantTable,
  tenant: TenantKeys,
  keys: readonly Item[],
  options: PurgeOptions & { run?: <T>(task: () => Promise<T>) => Promise<T> } = {},
): Promise<number> {
  for (const key of keys) assertTenantItem(tenant, key, "key");
  const backoff = options.backoff ?? defaultBackoff;
  const run = options.run ?? slots(options.concurrency ?? 8);
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < keys.length; i += batchSize)
    chunks.push(keys.slice(i, i + batchSize).map((key) => ({ DeleteRequest: { Key: keyOf(tenant.keyScheme, key) } })));
  await Promise.all(
    chunks.map((chunk) =>
      run(async () => {
        await options.limiter?.take(chunk.length, options.signal);
        let pending = chunk;
        for (let tries = 0; pending.length > 0; tries++) {
          options.signal?.throwIfAborted();
          if (tries >= maxTries)
            throw new Error(`${pending.length} delete(s) in ${table.tableName} still unprocessed or throttled after ${maxTries} tries`);
          if (tries > 0) await backoff(tries);
          try {
            const result = await table.client.send(new BatchWriteItemCommand({ RequestItems: { [table.tableName]: pending } }), {
              abortSignal: options.signal,
            });
            pending = result.UnprocessedItems?.[table.tableName] ?? [];
          } catch (error) {
            if (!throttled.has((error as { name?: string }).name ?? "")) throw error;
          }
        }
      }),
    ),
  );
  return keys.length;
}

/**
 * Deletes every item of the tenant's `entities` in the table: its partitions read keys-only, page by page, all of them
 * at once, each page's keys deleted (deleting while paging is safe: each page starts after the last key of the one
 * before). Safe to repeat: a second run finds what the first left.
 */
export async function purgeTenantItems(table: TenantTable, tenant: TenantKeys, entities: readonly string[], options: PurgeOptions = {}) {
  const run = slots(options.concurrency ?? 8);
  let deleted = 0;
  await Promise.all(
    readTenantItems(table, tenant, entities, { keysOnly: true, signal: options.signal }).map(async (pages) => {
      for await (const page of pages) {
        if (page.items.length === 0) continue;
        await deleteTenantKeys(table, tenant, page.items, { ...options, run });
        deleted += page.items.length;
        await options.onDeleted?.(deleted);
      }
    }),
  );
  return deleted;
}

/** Co-tenants' items in a pool as they were before the purge: key → content hash, of items stamped before `takenAt`. */
export interface CoTenantSnapshot {
  tableName: string;
  /** Epoch ms: items stamped at or after it are left out (written as the scan ran, or just before it); the scan began later. */
  takenAt: number;
  items: Map<string, string>;
}

export interface PoolScan {
  /** Items of anyone but the tenant, key → { hash, stamp }. */
  others: Map<string, { hash: string; stamp: number }>;
  /** Items of the tenant found (its partitions under the scheme). */
  tenantItems: number;
}

/** A consistent parallel Scan of the whole pool through its read-only instance client, split into the tenant's items and everyone else's. */
export async function scanPool(
  client: DataClient,
  tableName: string,
  scheme: KeyScheme,
  tenantId: string,
  options: { segments?: number; signal?: AbortSignal } = {},
): Promise<PoolScan> {
  const segments = options.segments ?? 4;
  const others = new Map<string, { hash: string; stamp: number }>();
  let tenantItems = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Item | undefined;
      do {
        options.signal?.throwIfAborted();
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            ConsistentRead: true,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: startKey,
          }),
          { abortSignal: options.signal },
        );
        for (const item of page.Items ?? []) {
          if (ownsPartition(scheme, tenantId, partitionOf(scheme, item))) tenantItems++;
          else others.set(itemKey(scheme, item), { hash: itemHash(item), stamp: Number(item[scheme.changeStamp]?.N ?? 0) });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  return { others, tenantItems };
}

/** The snapshot a scan gives: co-tenant items stamped before it began. */
export function snapshotOf(tableName: string, takenAt: number, scan: PoolScan): CoTenantSnapshot {
  const items = new Map<string, string>();
  for (const [key, { hash, stamp }] of scan.others) if (stamp < takenAt) items.set(key, hash);
  return { tableName, takenAt, items };
}

export interface CoTenantComparison {
  tableName: string;
  /** Co-tenant items in the snapshot. */
  compared: number;
  /** The same content after the purge. */
  unchanged: number;
  /** Written again by their tenant since the snapshot (stamped at or after it): their own writes, not compared. */
  rewritten: number;
  /** Different content with no newer stamp, or gone: what a purge must never cause (up to 20 keys each). */
  changed: string[];
  gone: string[];
  changedCount: number;
  goneCount: number;
}

/**
 * The rule for co-tenants who keep writing during the purge: every co-tenant item stamped before the snapshot must,
 * after the purge, have the same content, or carry a newer stamp (its tenant wrote it since: the data plane stamps
 * every write). An item that changed without a newer stamp, or is gone, fails verification. (An item its own tenant
 * deleted during the purge is gone too: deletes leave no stamp, so the offboarding cannot tell it from damage and
 * stops for an operator, who confirms it in the tenant's own logs; see docs/offboarding.md.)
 */
export function compareCoTenants(before: CoTenantSnapshot, after: PoolScan): CoTenantComparison {
  const result: CoTenantComparison = {
    tableName: before.tableName,
    compared: before.items.size,
    unchanged: 0,
    rewritten: 0,
    changed: [],
    gone: [],
    changedCount: 0,
    goneCount: 0,
  };
  for (const [key, hash] of before.items) {
    const now = after.others.get(key);
    if (!now) {
      if (result.gone.length < 20) result.gone.push(key);
      result.goneCount++;
    } else if (now.hash === hash) result.unchanged++;
    else if (now.stamp >= before.takenAt) result.rewritten++;
    else {
      if (result.changed.length < 20) result.changed.push(key);
      result.changedCount++;
    }
  }
  return result;
}

const snapshotName = (location: string, storageInstanceId: string) => `${location}co-tenants-before/${storageInstanceId}.json.gz`;

/** Stores the snapshot (before the first delete, so a worker that dies mid-purge leaves the one taken before any). */
export async function saveSnapshot(store: BackupStore, location: string, storageInstanceId: string, snapshot: CoTenantSnapshot) {
  const body = JSON.stringify({ tableName: snapshot.tableName, takenAt: snapshot.takenAt, items: [...snapshot.items] });
  await store.put(snapshotName(location, storageInstanceId), gzipSync(body));
}

/** The stored snapshot, or null when none was taken yet. */
export async function loadSnapshot(store: BackupStore, location: string, storageInstanceId: string): Promise<CoTenantSnapshot | null> {
  let body: Uint8Array;
  try {
    body = await store.get(snapshotName(location, storageInstanceId));
  } catch (error) {
    if (error instanceof BackupObjectMissing) return null;
    throw error;
  }
  const parsed = JSON.parse(gunzipSync(body).toString("utf8")) as { tableName: string; takenAt: number; items: [string, string][] };
  return { tableName: parsed.tableName, takenAt: parsed.takenAt, items: new Map(parsed.items) };
}
