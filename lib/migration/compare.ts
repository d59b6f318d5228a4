// Comparing a tenant's items in two tables, item by item (count and a content
// hash per item, as Vitess's VDiff compares rows). The full comparison walks
// both copies of each partition in sort-key order side by side (a merge join,
// so memory stays one page per side). The changed-items comparison re-checks
// only what was written since a moment, plus given keys, and compares every
// partition's item count: it is what runs while the tenant's writes are frozen.
import { getTenantItems, itemHash, itemKey, readPartition, type Item, type TenantKeys, type TenantTable } from "../storage/tenant-partitions";
import { partitionKeyFor, type TenantEntity } from "../storage/tenant-items";

export interface Difference {
  key: string;
  kind: "missing in target" | "only in target" | "content differs";
}

export interface Comparison {
  sourceCount: number;
  targetCount: number;
  /** Items compared by content hash. */
  compared: number;
  differences: Difference[];
  ms: number;
}

const defaultMaxDifferences = 10_000;

function compareKeys(a: Item, b: Item): number {
  return Buffer.compare(Buffer.from(a.sk?.S ?? "", "utf8"), Buffer.from(b.sk?.S ?? "", "utf8"));
}

/** A partition's items one at a time, in sort-key order. */
async function* itemsOf(table: TenantTable, tenant: TenantKeys, entity: TenantEntity, signal?: AbortSignal): AsyncGenerator<Item> {
  for await (const page of readPartition(table, tenant, entity, { signal })) yield* page.items;
}

export async function compareAll(
  source: TenantTable,
  target: TenantTable,
  tenant: TenantKeys,
  entities: readonly TenantEntity[],
  options: { signal?: AbortSignal; maxDifferences?: number; onProgress?: (compared: number) => void | Promise<void> } = {},
): Promise<Comparison> {
  const started = performance.now();
  const result: Comparison = { sourceCount: 0, targetCount: 0, compared: 0, differences: [], ms: 0 };
  const max = options.maxDifferences ?? defaultMaxDifferences;
  const note = (item: Item, kind: Difference["kind"]) => {
    if (result.differences.length < max) result.differences.push({ key: itemKey(item), kind });
  };
  await Promise.all(
    entities.map(async (entity) => {
      const left = itemsOf(source, tenant, entity, options.signal);
      const right = itemsOf(target, tenant, entity, options.signal);
      let a = await left.next();
      let b = await right.next();
      while (!a.done || !b.done) {
        const order = a.done ? 1 : b.done ? -1 : compareKeys(a.value, b.value);
        if (order < 0) {
          result.sourceCount++;
          note(a.value!, "missing in target");
          a = await left.next();
        } else if (order > 0) {
          result.targetCount++;
          note(b.value!, "only in target");
          b = await right.next();
        } else {
          result.sourceCount++;
          result.targetCount++;
          result.compared++;
          if (itemHash(a.value!) !== itemHash(b.value!)) note(a.value!, "content differs");
          if (result.compared % 2_000 === 0) await options.onProgress?.(result.compared);
          [a, b] = await Promise.all([left.next(), right.next()]);
        }
      }
    }),
  );
  result.ms = performance.now() - started;
  return result;
}

/**
 * Compares the items written since `since` on either side, and the items at
 * `keys`, by content hash; and each partition's item count. While writes are
 * frozen this finds any difference the full comparison could not settle.
 */
export async function compareChanged(
  source: TenantTable,
  target: TenantTable,
  tenant: TenantKeys,
  entities: readonly TenantEntity[],
  since: number,
  keys: readonly string[],
  options: { signal?: AbortSignal } = {},
): Promise<Comparison> {
  const started = performance.now();
  const result: Comparison = { sourceCount: 0, targetCount: 0, compared: 0, differences: [], ms: 0 };
  await Promise.all(
    entities.map(async (entity) => {
      const pk = partitionKeyFor(tenant.keyPrefix, entity);
      const [fromSource, fromTarget] = await Promise.all(
        [source, target].map(async (table) => {
          const items = new Map<string, Item>();
          let count = 0;
          for await (const page of readPartition(table, tenant, entity, { changedSince: since, signal: options.signal })) {
            count += page.scanned;
            for (const item of page.items) items.set(itemKey(item), item);
          }
          return { items, count };
        }),
      );
      result.sourceCount += fromSource!.count;
      result.targetCount += fromTarget!.count;
      const wanted = new Set([...fromSource!.items.keys(), ...fromTarget!.items.keys(), ...keys.filter((k) => k.startsWith(`${pk}\u001f`))]);
      const [sourceItems, targetItems] = await Promise.all([
        withMissing(source, tenant, fromSource!.items, wanted, options.signal),
        withMissing(target, tenant, fromTarget!.items, wanted, options.signal),
      ]);
      for (const key of wanted) {
        const a = sourceItems.get(key);
        const b = targetItems.get(key);
        if (a && b) result.compared++;
        if (a && !b) result.differences.push({ key, kind: "missing in target" });
        else if (!a && b) result.differences.push({ key, kind: "only in target" });
        else if (a && b && itemHash(a) !== itemHash(b)) result.differences.push({ key, kind: "content differs" });
      }
    }),
  );
  if (result.sourceCount !== result.targetCount && result.differences.length === 0) {
    result.differences.push({ key: "", kind: result.sourceCount > result.targetCount ? "missing in target" : "only in target" });
  }
  result.ms = performance.now() - started;
  return result;
}

/** `known` plus the items at the `wanted` keys it lacks. */
async function withMissing(table: TenantTable, tenant: TenantKeys, known: Map<string, Item>, wanted: Set<string>, signal?: AbortSignal): Promise<Map<string, Item>> {
  const fetched = await getTenantItems(table, tenant, [...wanted].filter((key) => !known.has(key)), { signal });
  return new Map([...known, ...fetched]);
}
