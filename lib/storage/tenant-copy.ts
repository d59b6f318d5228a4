// Copying a tenant's items from one table to another: every partition of the
// tenant (or every segment of a scan, where its partitions are not known in
// advance) read in parallel, each page written while the next is read. With
// `changedSince` only items written since then are copied (a catch-up pass).
// Deleting a tenant's items is in lib/storage/tenant-partitions.ts.
import {
  batchWriteTenantItems,
  itemHash,
  itemKey,
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
  /** Filled with key → content hash of every item copied (a frozen pass's record of the source). */
  copiedHashes?: Map<string, string>;
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
        if (page.value.items.length === 0) continue;
        await batchWriteTenantItems(
          target,
          tenant,
          page.value.items.map((put) => ({ put })),
          { signal: options.signal, limiter: options.limiter, concurrency: options.writeConcurrency ?? 2 },
        );
        copied += page.value.items.length;
        if (options.copiedHashes)
          for (const item of page.value.items) options.copiedHashes.set(itemKey(tenant.keyScheme, item), itemHash(item));
        await options.onProgress?.(copied);
      }
    }),
  );
  return { copied, scanned, ms: performance.now() - started };
}
