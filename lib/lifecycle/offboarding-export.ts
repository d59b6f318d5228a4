// An offboarding's final export: every item of the tenant, at each of its
// placements (a bridge tenant has two; every partition of the tenant there,
// whatever entities the catalog places there: what the purge deletes), read
// through its tenant-scoped client and written to the backup store under
// `offboarding/<operationId>/` as gzip-compressed DynamoDB JSON lines
// (`items.<instance>.part-NNNN.jsonl.gz`, the format backups use) with
// `manifest.json`: items per placement and entity, the SHA-256 of every file,
// and each placement's content hash as a backup's manifest computes it.
// The export is then read back and proved against its manifest before the
// grace period starts; the download streams the same files, checked again.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { BackupStore } from "../storage/backup-store";
import { CorruptBackup, FileSetWriter, readItemFile, tenantContentHash } from "../storage/item-files";
import { keySchemeSchema, partitionShape, tenantKeyPrefix, type KeyScheme } from "../storage/key-scheme";
import { assertTenantItem, itemHash, itemKey, partitionOf, readTenantItems, type Item } from "../storage/tenant-partitions";
import { tenantEntities } from "../storage/tenant-items";
import type { TenantData } from "../operations/tenant-data";

export const exportFormat = "tsc-offboarding-export/1";
export const manifestName = "manifest.json";
/** Where an offboarding's files are in the backup store. */
export const exportLocation = (operationId: string) => `offboarding/${operationId}/`;

/** One table holding some of the tenant's items, and how it ends: deleted by key (a pool) or dropped (the tenant's own table). */
export const placementSchema = z.object({
  role: z.enum(["primary", "bridge"]),
  storageInstanceId: z.string(),
  tableName: z.string(),
  region: z.string(),
  mode: z.enum(["pool", "silo"]),
  /** The tenant's entities the catalog places here (the export and the purge read all of its partitions all the same). */
  entities: z.array(z.string()),
  keyScheme: keySchemeSchema,
  /** Items the instance may take per second in writes (its capacity): the purge's cap is a share of it. */
  writeUnitsPerSec: z.number().int().min(0),
});
export type Placement = z.infer<typeof placementSchema>;

const fileSchema = z.object({
  name: z.string(),
  /** The placement whose items it holds. */
  storageInstanceId: z.string(),
  items: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const exportManifestSchema = z.object({
  format: z.literal(exportFormat),
  operationId: z.string(),
  tenantId: z.string(),
  startedAt: z.string(),
  exportedAt: z.string(),
  items: z.number().int().min(0),
  /** Compressed bytes of every items file. */
  bytes: z.number().int().min(0),
  /** tenantContentHash (lib/storage/item-files.ts) over every item, keyed "<table>\u001f<key>" (the same key may be in two tables). */
  contentHash: z.string(),
  placements: z.array(
    z.object({
      role: z.enum(["primary", "bridge"]),
      storageInstanceId: z.string(),
      tableName: z.string(),
      region: z.string(),
      keyScheme: keySchemeSchema,
      items: z.number().int().min(0),
      /** Items per entity, where the key scheme names the entity in the partition key; otherwise one count under "*". */
      entities: z.record(z.string(), z.number().int().min(0)),
      /** tenantContentHash of its items: what a backup's manifest says of the tenant in this table, taken at the same time. */
      contentHash: z.string(),
    }),
  ),
  files: z.array(fileSchema),
});
export type ExportManifest = z.infer<typeof exportManifestSchema>;

export interface ExportRequest {
  store: BackupStore;
  operationId: string;
  tenantId: string;
  placements: readonly Placement[];
  /** The tenant-scoped data of each placement, by table name. */
  dataOf: (placement: Placement) => TenantData;
  signal?: AbortSignal;
  onProgress?: (items: number) => Promise<void> | void;
  now?: () => number;
}

const entityOf = (scheme: KeyScheme, tenantId: string, item: Item): string =>
  partitionShape(scheme) === "entity" ? partitionOf(scheme, item).slice(tenantKeyPrefix(scheme, tenantId).length) : "*";

/**
 * Writes the export and its manifest (the manifest last: an export without one is incomplete). Starts by removing
 * what an earlier, interrupted attempt left, so a repeat writes the same files afresh.
 */
export async function exportTenant(request: ExportRequest): Promise<{ manifest: ExportManifest; manifestSha256: string }> {
  const now = request.now ?? Date.now;
  const location = exportLocation(request.operationId);
  const startedAt = new Date(now()).toISOString();
  await request.store.deletePrefix(location);
  const all = new Map<string, string>();
  const files: ExportManifest["files"] = [];
  let written = 0;
  const placements: ExportManifest["placements"] = [];
  for (const placement of request.placements) {
    const table = request.dataOf(placement).table(placement.tableName);
    const tenant = { tenantId: request.tenantId, keyScheme: placement.keyScheme };
    const writer = new FileSetWriter(request.store, location, `items.${placement.storageInstanceId}`, request.tenantId);
    const hashes = new Map<string, string>();
    const entities: Record<string, number> = {};
    // Streams are read one after another: the writer takes items in order, and the tenant is frozen (nothing changes).
    for (const pages of readTenantItems(table, tenant, tenantEntities, { signal: request.signal })) {
      for await (const page of pages) {
        for (const item of page.items) {
          assertTenantItem(tenant, item);
          const key = itemKey(placement.keyScheme, item);
          if (hashes.has(key)) throw new Error(`item ${key} of ${request.tenantId} was read twice in ${placement.tableName}`);
          const hash = itemHash(item);
          hashes.set(key, hash);
          all.set(`${placement.tableName}\u001f${key}`, hash);
          const entity = entityOf(placement.keyScheme, request.tenantId, item);
          entities[entity] = (entities[entity] ?? 0) + 1;
          await writer.add(item);
        }
        written += page.items.length;
        await request.onProgress?.(written);
      }
    }
    placements.push({
      role: placement.role,
      storageInstanceId: placement.storageInstanceId,
      tableName: placement.tableName,
      region: placement.region,
      keyScheme: placement.keyScheme,
      items: hashes.size,
      entities,
      contentHash: tenantContentHash(hashes),
    });
    files.push(
      ...(await writer.close()).map(({ name, items, bytes, sha256 }) => ({
        name,
        storageInstanceId: placement.storageInstanceId,
        items,
        bytes,
        sha256,
      })),
    );
  }
  const manifest: ExportManifest = {
    format: exportFormat,
    operationId: request.operationId,
    tenantId: request.tenantId,
    startedAt,
    exportedAt: new Date(now()).toISOString(),
    items: all.size,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    contentHash: tenantContentHash(all),
    placements,
    files,
  };
  const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  await request.store.put(`${location}${manifestName}`, body);
  return { manifest, manifestSha256: sha256(body) };
}

const sha256 = (body: Uint8Array) => createHash("sha256").update(body).digest("hex");

/** The export's manifest as stored, and the SHA-256 of its bytes (what the certificate names). */
export async function readExportManifest(store: BackupStore, operationId: string): Promise<{ manifest: ExportManifest; sha256: string }> {
  const body = await store.get(`${exportLocation(operationId)}${manifestName}`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new CorruptBackup(`the export's manifest of offboarding ${operationId} is not valid JSON: changed or truncated`);
  }
  const parsed = exportManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new CorruptBackup(
      `the export's manifest of offboarding ${operationId} does not follow ${exportFormat}: ${parsed.error.issues[0]?.message}`,
    );
  return { manifest: parsed.data, sha256: sha256(body) };
}

/**
 * Reads the whole export back and proves it against the manifest: every file's bytes (SHA-256, size) and item count,
 * every item the tenant's under its placement's key scheme, no key twice in a placement, the counts and content hash
 * of each placement and of the whole. Throws CorruptBackup naming the first difference.
 */
export async function checkExport(store: BackupStore, manifest: ExportManifest, signal?: AbortSignal): Promise<{ items: number }> {
  const location = exportLocation(manifest.operationId);
  const all = new Map<string, string>();
  for (const placement of manifest.placements) {
    const tenant = { tenantId: manifest.tenantId, keyScheme: placement.keyScheme };
    const hashes = new Map<string, string>();
    for (const file of manifest.files.filter((f) => f.storageInstanceId === placement.storageInstanceId)) {
      signal?.throwIfAborted();
      for (const item of await readItemFile(store, location, { ...file, tenantId: manifest.tenantId })) {
        try {
          assertTenantItem(tenant, item);
        } catch {
          throw new CorruptBackup(`the export's ${file.name} holds an item that is not ${manifest.tenantId}'s`);
        }
        const key = itemKey(placement.keyScheme, item);
        if (hashes.has(key)) throw new CorruptBackup(`the export holds item ${key} of ${placement.tableName} twice`);
        const hash = itemHash(item);
        hashes.set(key, hash);
        all.set(`${placement.tableName}\u001f${key}`, hash);
      }
    }
    if (hashes.size !== placement.items || tenantContentHash(hashes) !== placement.contentHash)
      throw new CorruptBackup(
        `the export's items of ${placement.tableName} do not match its manifest (${hashes.size} items; the manifest says ${placement.items})`,
      );
  }
  if (all.size !== manifest.items) throw new CorruptBackup(`the export holds ${all.size} items; its manifest says ${manifest.items}`);
  if (tenantContentHash(all) !== manifest.contentHash)
    throw new CorruptBackup("the export's items do not match the manifest's content hash");
  return { items: all.size };
}

/** What a download serves: the manifest, or every items file in order as one gzip stream (gzip members concatenate). */
export type ExportFile = "manifest" | "items";

/**
 * A stream of the export for a route handler (admins only, audited there): `manifest.json`, or the items as one
 * `.jsonl.gz` (each stored part checked against the manifest's SHA-256 before it is sent; a part that differs ends
 * the stream with an error rather than sending altered data).
 */
export async function openOffboardingExport(
  store: BackupStore,
  operationId: string,
  file: ExportFile,
): Promise<{ fileName: string; contentType: string; bytes: number; stream: ReadableStream<Uint8Array> }> {
  const { manifest } = await readExportManifest(store, operationId);
  if (file === "manifest") {
    const body = await store.get(`${exportLocation(operationId)}${manifestName}`);
    return {
      fileName: `${manifest.tenantId}-offboarding-manifest.json`,
      contentType: "application/json",
      bytes: body.length,
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(body));
          controller.close();
        },
      }),
    };
  }
  let next = 0;
  return {
    fileName: `${manifest.tenantId}-items.jsonl.gz`,
    contentType: "application/gzip",
    bytes: manifest.bytes,
    stream: new ReadableStream({
      async pull(controller) {
        const part = manifest.files[next++];
        if (!part) return controller.close();
        const body = await store.get(`${exportLocation(operationId)}${part.name}`);
        if (sha256(body) !== part.sha256 || body.length !== part.bytes)
          return controller.error(new CorruptBackup(`export file ${part.name} does not match its manifest: changed or truncated`));
        controller.enqueue(new Uint8Array(body));
      },
    }),
  };
}
