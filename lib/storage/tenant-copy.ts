// Copying a tenant's items from one table to another: every partition of the
// tenant (or every segment of a scan, where its partitions are not known in
// advance) read in parallel, each page written while the next is read. With
// `changedSince` only items written since then are copied (a catch-up pass).
// A pass can record what it read (key → content hash), so that a verification
// made while writes stay frozen need not read the source again.
// Deleting a tenant's items is in lib/storage/tenant-partitions.ts.
import {
  batchWriteTenantItems,
  getTenantItems,
  itemHash,
  itemKey,
  keyFromItemKey,
  readTenantItems,
  type RateLimiter,
  type TenantKeys,
  type TenantTable,
} from "./tenant-partitions";

export interface CopyOptions {
  changedSince?: number;
  limiter?: RateLimiter;
  signal?: AbortSignal;
  /** BatchWriteItem calls in flight per partition. */
  writeConcurrency?: number;
  onProgress?: (copied: number) => void | Promise<void>;
  /**
   * Only items stamped at or after this time (ms) are written; those stamped earlier (and at or after
   * `changedSince`) are read and recorded in `readHashes` only: a pass that records more of the source than it
   * copies (a staged restore's freeze, whose verification needs every change since the restore began).
   */
  writeChangedSince?: number;
  /** Filled with key → content hash of every item the pass read (a frozen pass's record of the source). */
  readHashes?: Map<string, string>;
}

export interface CopyResult {
  /** Items written to the target. */
  copied: number;
  /** Items the source queries looked at. */
  scanned: number;
  ms: number;
}

export async function copyTenantItems(
  source: TenantTable,
  target: TenantTable,
  tenant: TenantKeys,
  entities: readonly string[],
  options: CopyOptions = {},
): Promise<CopyResult> {
  const started = performance.now();
  let copied = 0;
  let scanned = 0;
  await Promise.all(
    readTenantItems(source, tenant, entities, { changedSince: options.changedSince, signal: options.signal }).map(async (pages) => {
      let next = pages.next();
      for (;;) {
        const page = await next;
        if (page.done) break;
        next = pages.next(); // read ahead while this page is written
        scanned += page.value.scanned;
        if (options.readHashes)
          for (const item of page.value.items) options.readHashes.set(itemKey(tenant.keyScheme, item), itemHash(item));
        const since = options.writeChangedSince;
        const items =
          since === undefined
            ? page.value.items
            : page.value.items.filter((item) => Number(item[tenant.keyScheme.changeStamp]?.N ?? 0) >= since);
        if (items.length === 0) continue;
        await batchWriteTenantItems(
          target,
          tenant,
          items.map((put) => ({ put })),
          { signal: options.signal, limiter: options.limiter, concurrency: options.writeConcurrency ?? 2 },
        );
        copied += items.length;
        await options.onProgress?.(copied);
      }
    }),
  );
  return { copied, scanned, ms: performance.now() - started };
}

/**
 * Makes `target` hold, at each of `keys`, what `source` holds there now: the item, or nothing (a journal's keys, under
 * a write freeze). Returns key → content hash of the source's side ("" where it holds nothing).
 */
export async function copyKeys(
  source: TenantTable,
  target: TenantTable,
  tenant: TenantKeys,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<{ written: number; deleted: number; hashes: Map<string, string> }> {
  const present = await getTenantItems(source, tenant, keys, { signal });
  const requests = keys.map((key) => {
    const item = present.get(key);
    return item ? { put: item } : { deleteKey: keyFromItemKey(tenant.keyScheme, key) };
  });
  await batchWriteTenantItems(target, tenant, requests, { signal, concurrency: 4 });
  const hashes = new Map(keys.map((key) => [key, present.has(key) ? itemHash(present.get(key)!) : ""]));
  return { written: present.size, deleted: keys.length - present.size, hashes };
}
