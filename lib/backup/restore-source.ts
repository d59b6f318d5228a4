// The items a restore puts back, from a backup in the store or (AWS mode) from
// a point-in-time copy of the table, and the tenant's items now, read where it
// lives today. Every read is bounded by the tenant's partitions under the key
// scheme.
import { partitionShape, tenantKeyPrefix } from "../storage/key-scheme";
import { readTenantItems, type Item, type TenantKeys } from "../storage/tenant-partitions";
import type { OperationDeps } from "../operations/deps";
import type { TenantData } from "../operations/tenant-data";
import { hashesOf } from "./format";
import { readManifest, readTenantFromBackup } from "./read";

/** One table the restore writes to, and the entities of the tenant in it. */
export interface RestoreTarget {
  storageInstanceId: string;
  tableName: string;
  region: string;
  entities: string[];
}

export type RestoreSourceRef =
  | { kind: "backup"; backupId: string; location: string }
  | { kind: "pointInTime"; tableName: string; scratchTable: string; region: string; entities: string[] };

// A restore's steps each need the source's items; one worker keeps the last operation's so it reads them once
// (and their content hashes, computed once: a staged restore's frozen verification looks items up in them).
let cached: { operationId: string; items: Item[]; hashes?: Map<string, string> } | null = null;

export async function sourceItems(
  deps: Pick<OperationDeps, "backupStore">,
  data: TenantData,
  operationId: string,
  tenant: TenantKeys,
  source: RestoreSourceRef,
  signal?: AbortSignal,
): Promise<Item[]> {
  if (cached?.operationId === operationId) return cached.items;
  let items: Item[];
  if (source.kind === "backup") {
    const manifest = await readManifest(deps.backupStore, source.location);
    items = (await readTenantFromBackup(deps.backupStore, source.location, manifest, tenant.tenantId, signal)).items;
  } else {
    items = await readTenantTables(
      data,
      tenant,
      [{ storageInstanceId: "scratch", tableName: source.scratchTable, region: source.region, entities: source.entities }],
      signal,
    );
  }
  cached = { operationId, items };
  return items;
}

/** The source's items as key → content hash (the manifest's content hash is taken over them), computed once per operation. */
export async function sourceHashes(
  deps: Pick<OperationDeps, "backupStore">,
  data: TenantData,
  operationId: string,
  tenant: TenantKeys,
  source: RestoreSourceRef,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const items = await sourceItems(deps, data, operationId, tenant, source, signal);
  if (cached?.operationId === operationId && cached.items === items) return (cached.hashes ??= hashesOf(tenant.keyScheme, items));
  return hashesOf(tenant.keyScheme, items);
}

export function forgetSourceItems(operationId: string): void {
  if (cached?.operationId === operationId) cached = null;
}

/** The tenant's items in these tables' partitions, read consistently through its scoped client. */
export async function readTenantTables(
  data: TenantData,
  tenant: TenantKeys,
  targets: RestoreTarget[],
  signal?: AbortSignal,
): Promise<Item[]> {
  const items: Item[] = [];
  await Promise.all(
    targets.flatMap((target) =>
      readTenantItems(data.table(target.tableName), tenant, target.entities, { signal }).map(async (pages) => {
        for await (const page of pages) items.push(...page.items);
      }),
    ),
  );
  return items;
}

/** The table an item of the tenant goes to: by its entity under an entity template (a bridge tenant has two), else the one target. */
export function targetFor(targets: RestoreTarget[], tenant: TenantKeys, pk: string): RestoreTarget {
  if (partitionShape(tenant.keyScheme) !== "entity") {
    if (targets.length !== 1) throw new Error(`no single table for ${pk}: ${targets.length} targets under ${tenant.keyScheme.template}`);
    return targets[0]!;
  }
  const entity = pk.slice(tenantKeyPrefix(tenant.keyScheme, tenant.tenantId).length);
  const target = targets.find((t) => t.entities.includes(entity));
  if (!target) throw new Error(`no table for ${pk}: entity ${entity} is not restored`);
  return target;
}
