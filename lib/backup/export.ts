// A backup's export: a parallel Scan of one table (TotalSegments segments,
// strongly consistent pages) into the backup store. Separated at backup time
// ("per_tenant"), each resident tenant's items go to files of their own; separated
// at restore time ("whole_table"), each segment writes its own files and a
// restore filters them. Either way the manifest counts and hashes every
// resident tenant's items.
import { DescribeTableCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { DataClient } from "../storage/tenant-access";
import type { KeyScheme } from "../storage/key-scheme";
import { itemHash, itemKey, ownerOfItem, type Item } from "../storage/tenant-partitions";
import { FileSetWriter } from "./files";
import { backupFormat, tenantContentHash, type BackupFile, type Manifest, type ManifestTenant } from "./format";
import type { BackupStore } from "../storage/backup-store";

/** A tenant whose live data is (partly) in the table: these entities of it. */
export interface Resident {
  tenantId: string;
  keyPrefix: string;
  entities: string[];
}

export interface ExportOptions {
  /** The instance-level read-only client of the table (lib/operations/tenant-data.ts instanceData). */
  client: DataClient;
  store: BackupStore;
  backupId: string;
  /** Key prefix of the backup's files in the store, ending in "/". */
  location: string;
  storageInstanceId: string;
  tableName: string;
  region: string;
  /** How the table keys its items: whose item each is follows from its partition key (tenantOfPartition). */
  keyScheme: KeyScheme;
  strategy: Manifest["strategy"];
  residents: Resident[];
  segments: number;
  signal?: AbortSignal;
  onProgress?: (items: number, expected: number) => Promise<void> | void;
}

export async function exportTable(options: ExportOptions): Promise<Manifest> {
  const startedAt = new Date();
  const residents = new Map(options.residents.map((r) => [r.tenantId, r]));
  const stats = new Map(options.residents.map((r) => [r.tenantId, { items: 0, bytes: 0, hashes: new Map<string, string>() }]));
  const writers = new Map<string, FileSetWriter>();
  const writerFor = (name: string, tenantId: string | null) => {
    let writer = writers.get(name);
    if (!writer) writers.set(name, (writer = new FileSetWriter(options.store, options.location, name, tenantId)));
    return writer;
  };
  const described = await options.client.send(new DescribeTableCommand({ TableName: options.tableName }));
  const expected = Number(described.Table?.ItemCount ?? 0);
  let scanned = 0;
  let otherItems = 0;

  const scanSegment = async (segment: number) => {
    let startKey: Item | undefined;
    do {
      options.signal?.throwIfAborted();
      const page = await options.client.send(
        new ScanCommand({
          TableName: options.tableName,
          Segment: segment,
          TotalSegments: options.segments,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
        { abortSignal: options.signal },
      );
      for (const item of page.Items ?? []) {
        // The resident tenant an item belongs to, if any: its partition key, an entity that lives here and its tenant attribute agree.
        const owner = ownerOfItem(options.keyScheme, item, residents);
        const writer =
          options.strategy === "per_tenant"
            ? owner
              ? writerFor(`tenants/${owner.tenantId}`, owner.tenantId)
              : writerFor("others", null)
            : writerFor(`segments/segment-${String(segment).padStart(3, "0")}`, null);
        const bytes = await writer.add(item);
        if (owner) {
          const tenant = stats.get(owner.tenantId)!;
          tenant.items++;
          tenant.bytes += bytes;
          tenant.hashes.set(itemKey(options.keyScheme, item), itemHash(item));
        } else otherItems++;
      }
      scanned += page.Items?.length ?? 0;
      await options.onProgress?.(scanned, expected);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(Array.from({ length: options.segments }, (_, segment) => scanSegment(segment)));
  // A resident tenant with no items still gets its (empty) file, so a restore of it reads one file and finds nothing.
  if (options.strategy === "per_tenant") for (const r of options.residents) writerFor(`tenants/${r.tenantId}`, r.tenantId);

  const files: BackupFile[] = [];
  for (const writer of writers.values()) files.push(...(await writer.close()));
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  const tenants: ManifestTenant[] = options.residents.map((r) => {
    const s = stats.get(r.tenantId)!;
    return {
      tenantId: r.tenantId,
      keyPrefix: r.keyPrefix,
      entities: r.entities,
      items: s.items,
      bytes: s.bytes,
      contentHash: tenantContentHash(s.hashes),
    };
  });
  return {
    format: backupFormat,
    backupId: options.backupId,
    storageInstanceId: options.storageInstanceId,
    tableName: options.tableName,
    region: options.region,
    keyScheme: options.keyScheme,
    strategy: options.strategy,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    items: scanned,
    files,
    tenants,
    otherItems,
  };
}
