// Reading one tenant's items out of a backup, proving them against the
// manifest first: every file read must match its SHA-256 and item count, and
// the tenant's items must match its count and content hash. Nothing is
// returned from a backup that fails any of these.
import { assertTenantItem, itemHash, itemKey, ownerOfItem, partitionOf, type Item } from "../storage/tenant-partitions";
import { CorruptBackup, readBackupFile } from "./files";
import { manifestSchema, tenantContentHash, type Manifest, type ManifestTenant } from "./format";
import { BackupObjectMissing, type BackupStore } from "../storage/backup-store";

export const manifestName = "manifest.json";

export async function readManifest(store: BackupStore, location: string): Promise<Manifest> {
  let body: Uint8Array;
  try {
    body = await store.get(`${location}${manifestName}`);
  } catch (error) {
    if (error instanceof BackupObjectMissing)
      throw new CorruptBackup(`the backup's manifest is missing from ${store.description} (${location}${manifestName})`);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new CorruptBackup(`the backup's manifest (${location}${manifestName}) is not valid JSON: changed or truncated`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw new CorruptBackup(
      `the backup's manifest does not follow the format: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

export class TenantNotInBackup extends Error {}

export function manifestTenant(manifest: Manifest, tenantId: string): ManifestTenant {
  const tenant = manifest.tenants.find((t) => t.tenantId === tenantId);
  if (!tenant) {
    const held = manifest.tenants.map((t) => t.tenantId);
    throw new TenantNotInBackup(
      `backup ${manifest.backupId} (of ${manifest.storageInstanceId}) does not hold tenant ${tenantId}'s data; it holds ${held.length ? `${held.length} tenant(s): ${held.slice(0, 8).join(", ")}${held.length > 8 ? ", …" : ""}` : "no tenant"}`,
    );
  }
  return tenant;
}

/** The files a restore of the tenant must read: its own under per_tenant, all of them under whole_table. */
function filesFor(manifest: Manifest, tenantId: string) {
  return manifest.strategy === "per_tenant" ? manifest.files.filter((f) => f.tenantId === tenantId) : manifest.files;
}

export interface TenantBackup {
  tenant: ManifestTenant;
  items: Item[];
  /** Files read and items parsed to get them (the separation-at-restore cost). */
  filesRead: number;
  itemsRead: number;
}

export async function readTenantFromBackup(
  store: BackupStore,
  location: string,
  manifest: Manifest,
  tenantId: string,
  signal?: AbortSignal,
): Promise<TenantBackup> {
  const tenant = manifestTenant(manifest, tenantId);
  const files = filesFor(manifest, tenantId);
  const scheme = manifest.keyScheme;
  const only = new Map([[tenantId, tenant]]);
  const items: Item[] = [];
  let itemsRead = 0;
  for (const file of files) {
    signal?.throwIfAborted();
    const fileItems = await readBackupFile(store, location, file);
    itemsRead += fileItems.length;
    for (const item of fileItems) {
      if (ownerOfItem(scheme, item, only)) items.push(item);
      else if (manifest.strategy === "per_tenant")
        throw new CorruptBackup(`backup file ${file.name} holds an item of another tenant (${partitionOf(scheme, item)})`);
    }
  }
  for (const item of items) assertTenantItem({ tenantId, keyScheme: scheme }, item);
  const hashes = new Map(items.map((item) => [itemKey(scheme, item), itemHash(item)]));
  if (items.length !== tenant.items || hashes.size !== tenant.items)
    throw new CorruptBackup(`the backup holds ${items.length} items of ${tenantId}; its manifest says ${tenant.items}`);
  if (tenantContentHash(hashes) !== tenant.contentHash)
    throw new CorruptBackup(`${tenantId}'s items in the backup do not match the manifest's content hash`);
  return { tenant, items, filesRead: files.length, itemsRead };
}
