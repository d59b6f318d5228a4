// Comparing a tenant's items in two tables, item by item (count and a content
// hash per item, as Vitess's VDiff compares rows). The full comparison walks
// both copies of each partition in sort-key order side by side (a merge join,
// so memory stays one page per side). The changed-items comparison re-checks
// only what was written since a moment, plus given keys, and compares every
// partition's item count: it is what runs while the tenant's writes are frozen.
import {
  getTenantItems,
  itemHash,
  itemKey,
  readPartition,
  type Item,
  type TenantKeys,
  type TenantTable,
} from "../storage/tenant-partitions";
import type { TenantEntity } from "../storage/tenant-items";

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

/** What a pass over one side found: key → content hash of the items written since a moment, and the side's item count. */
export interface ChangedSide {
  hashes: Map<string, string>;
  count: number;
}

/**
 * Compares the items written since `since` on either side, and the items at
 * `keys`, by content hash; and the item counts. While writes are frozen this
 * finds any difference the full comparison could not settle. `knownSource` is
 * the source as a pass made while frozen already read it (then it is not read again).
 */
export async function compareChanged(
  source: TenantTable,
  target: TenantTable,
  tenant: TenantKeys,
  entities: readonly TenantEntity[],
  since: number,
  keys: readonly string[],
  options: { signal?: AbortSignal; knownSource?: ChangedSide } = {},
): Promise<Comparison> {
  const started = performance.now();
  const [fromSource, fromTarget] = await Promise.all([
    options.knownSource ?? readChanged(source, tenant, entities, since, options.signal),
    readChanged(target, tenant, entities, since, options.signal),
  ]);
  const wanted = [...new Set([...fromSource!.hashes.keys(), ...fromTarget!.hashes.keys(), ...keys])];
  const [sourceHashes, targetHashes] = await Promise.all([
    withMissing(source, tenant, fromSource!.hashes, wanted, options.signal),
    withMissing(target, tenant, fromTarget!.hashes, wanted, options.signal),
  ]);
  const result: Comparison = { sourceCount: fromSource!.count, targetCount: fromTarget!.count, compared: 0, differences: [], ms: 0 };
  for (const key of wanted) {
    const a = sourceHashes.get(key);
    const b = targetHashes.get(key);
    if (a && b) result.compared++;
    if (a && !b) result.differences.push({ key, kind: "missing in target" });
    else if (!a && b) result.differences.push({ key, kind: "only in target" });
    else if (a && b && a !== b) result.differences.push({ key, kind: "content differs" });
  }
  if (result.sourceCount !== result.targetCount && result.differences.length === 0) {
    result.differences.push({ key: "", kind: result.sourceCount > result.targetCount ? "missing in target" : "only in target" });
  }
  result.ms = performance.now() - started;
  return result;
}

async function readChanged(
  table: TenantTable,
  tenant: TenantKeys,
  entities: readonly TenantEntity[],
  since: number,
  signal?: AbortSignal,
): Promise<ChangedSide> {
  const side: ChangedSide = { hashes: new Map(), count: 0 };
  await Promise.all(
    entities.map(async (entity) => {
      for await (const page of readPartition(table, tenant, entity, { changedSince: since, signal })) {
        side.count += page.scanned;
        for (const item of page.items) side.hashes.set(itemKey(item), itemHash(item));
      }
    }),
  );
  return side;
}

/** `known` plus the hashes of the items at the `wanted` keys it lacks. */
async function withMissing(
  table: TenantTable,
  tenant: TenantKeys,
  known: Map<string, string>,
  wanted: string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const fetched = await getTenantItems(
    table,
    tenant,
    wanted.filter((key) => !known.has(key)),
    { signal },
  );
  const out = new Map(known);
  for (const [key, item] of fetched) out.set(key, itemHash(item));
  return out;
}
