// Comparing a tenant's items in two tables, item by item (count and a content
// hash per item, as Vitess's VDiff compares rows). The full comparison walks
// both copies of each partition in sort-key order side by side (a merge join,
// so memory stays one page per side); where the key scheme does not name the
// tenant's partitions in advance, it scans the source into a key → hash map
// and checks the target's scan against it. The changed-items comparison re-checks
// only what was written since a moment, plus given keys, and compares every
// partition's item count: it is what runs while the tenant's writes are frozen.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { KeyScheme } from "./key-scheme";
import {
  getTenantItems,
  itemHash,
  itemKey,
  knownPartitions,
  readPartition,
  readTenantItems,
  type Item,
  type TenantKeys,
  type TenantTable,
} from "./tenant-partitions";

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

/** DynamoDB's sort-key order: strings and binaries by their bytes, numbers by value. */
function compareValues(a: AttributeValue | undefined, b: AttributeValue | undefined): number {
  if (a?.N !== undefined && b?.N !== undefined) {
    const [x, y] = [Number(a.N), Number(b.N)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const bytes = (v: AttributeValue | undefined) => (v?.B !== undefined ? Buffer.from(v.B) : Buffer.from(v?.S ?? v?.N ?? "", "utf8"));
  return Buffer.compare(bytes(a), bytes(b));
}

function compareKeys(scheme: KeyScheme, a: Item, b: Item): number {
  return scheme.sortKey === null ? 0 : compareValues(a[scheme.sortKey], b[scheme.sortKey]);
}

/** A partition's items one at a time, in sort-key order. */
async function* itemsOf(table: TenantTable, tenant: TenantKeys, partition: string, signal?: AbortSignal): AsyncGenerator<Item> {
  for await (const page of readPartition(table, tenant, partition, { signal })) yield* page.items;
}

/** Every item of the tenant's `entities` in `table`, as key → content hash. */
export async function readAllHashes(
  table: TenantTable,
  tenant: TenantKeys,
  entities: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    readTenantItems(table, tenant, entities, { signal }).map(async (pages) => {
      for await (const page of pages) for (const item of page.items) out.set(itemKey(tenant.keyScheme, item), itemHash(item));
    }),
  );
  return out;
}

export async function compareAll(
  source: TenantTable,
  target: TenantTable,
  tenant: TenantKeys,
  entities: readonly string[],
  options: { signal?: AbortSignal; maxDifferences?: number; onProgress?: (compared: number) => void | Promise<void> } = {},
): Promise<Comparison> {
  const started = performance.now();
  const result: Comparison = { sourceCount: 0, targetCount: 0, compared: 0, differences: [], ms: 0 };
  const max = options.maxDifferences ?? defaultMaxDifferences;
  const scheme = tenant.keyScheme;
  const note = (item: Item, kind: Difference["kind"]) => {
    if (result.differences.length < max) result.differences.push({ key: itemKey(scheme, item), kind });
  };
  const partitions = knownPartitions(tenant, entities);
  if (!partitions) {
    const [left, right] = await Promise.all([
      readAllHashes(source, tenant, entities, options.signal),
      readAllHashes(target, tenant, entities, options.signal),
    ]);
    result.sourceCount = left.size;
    result.targetCount = right.size;
    const push = (key: string, kind: Difference["kind"]) => {
      if (result.differences.length < max) result.differences.push({ key, kind });
    };
    for (const [key, hash] of left) {
      const other = right.get(key);
      if (other === undefined) push(key, "missing in target");
      else {
        result.compared++;
        if (other !== hash) push(key, "content differs");
      }
    }
    for (const key of right.keys()) if (!left.has(key)) push(key, "only in target");
    await options.onProgress?.(result.compared);
    result.ms = performance.now() - started;
    return result;
  }
  await Promise.all(
    partitions.map(async (partition) => {
      const left = itemsOf(source, tenant, partition, options.signal);
      const right = itemsOf(target, tenant, partition, options.signal);
      let a = await left.next();
      let b = await right.next();
      while (!a.done || !b.done) {
        const order = a.done ? 1 : b.done ? -1 : compareKeys(scheme, a.value, b.value);
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
  entities: readonly string[],
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

/** The tenant's items in `table` written since `since` (key → content hash), and how many items it holds in all. */
export async function readChanged(
  table: TenantTable,
  tenant: TenantKeys,
  entities: readonly string[],
  since: number,
  signal?: AbortSignal,
): Promise<ChangedSide> {
  const side: ChangedSide = { hashes: new Map(), count: 0 };
  await Promise.all(
    readTenantItems(table, tenant, entities, { changedSince: since, signal }).map(async (pages) => {
      for await (const page of pages) {
        side.count += page.scanned;
        for (const item of page.items) side.hashes.set(itemKey(tenant.keyScheme, item), itemHash(item));
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

/** Key → content hash of what `table` holds at each of `keys` ("" where it holds nothing). */
export async function hashesAt(
  table: TenantTable,
  tenant: TenantKeys,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const items = await getTenantItems(table, tenant, keys, { signal });
  return new Map(keys.map((key) => [key, items.has(key) ? itemHash(items.get(key)!) : ""]));
}

/** How the two sides differ at `keys` (key → content hash, "" where absent), one message per key. */
export function keyDifferences(source: Map<string, string>, target: Map<string, string>, keys: readonly string[]): Difference[] {
  const out: Difference[] = [];
  for (const key of keys) {
    const [a, b] = [source.get(key) ?? "", target.get(key) ?? ""];
    if (a !== "" && b === "") out.push({ key, kind: "missing in target" });
    else if (a === "" && b !== "") out.push({ key, kind: "only in target" });
    else if (a !== b) out.push({ key, kind: "content differs" });
  }
  return out;
}
