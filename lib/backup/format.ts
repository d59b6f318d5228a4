// The backup format (docs/backups-and-restores.md): per backup, `manifest.json`
// and gzip-compressed DynamoDB JSON lines (one `{"Item": {...}}` per line, as
// DynamoDB's own table export writes them). The manifest lists every file with
// its item count and the SHA-256 of its compressed bytes, and every tenant
// whose live data the backup holds with its item count and a content hash, so
// a restore can prove what it read before it writes anything.
import { z } from "zod";
import { defaultKeyScheme, keySchemeSchema } from "../storage/key-scheme";
export { decodeItemLine, encodeItemLine, hashesOf, tenantContentHash } from "../storage/item-files";

export const backupFormat = "tsc-backup/1";

export const backupFileSchema = z.object({
  name: z.string().min(1),
  items: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** per_tenant: the tenant the file holds (null: items of no resident tenant). */
  tenantId: z.string().nullable(),
});
export type BackupFile = z.infer<typeof backupFileSchema>;

const manifestTenantSchema = z.object({
  tenantId: z.string().min(1),
  /** What every partition key of the tenant began with (its whole key under an exact template; "" when keys do not carry it). */
  keyPrefix: z.string(),
  /** The tenant's entities that lived in this table when it was backed up. */
  entities: z.array(z.string()),
  items: z.number().int().min(0),
  bytes: z.number().int().min(0),
  /** tenantContentHash of its items. */
  contentHash: z.string(),
});
export type ManifestTenant = z.infer<typeof manifestTenantSchema>;

export const manifestSchema = z.object({
  format: z.literal(backupFormat),
  backupId: z.string().min(1),
  storageInstanceId: z.string(),
  tableName: z.string(),
  region: z.string(),
  /** How the table keyed its items (manifests from before key schemes: the default); item keys in the manifest follow it. */
  keyScheme: keySchemeSchema.default(defaultKeyScheme),
  strategy: z.enum(["per_tenant", "whole_table"]),
  /** The Scan ran between these times; each item is as it was when its page was read. */
  startedAt: z.string(),
  finishedAt: z.string(),
  items: z.number().int().min(0),
  files: z.array(backupFileSchema),
  tenants: z.array(manifestTenantSchema),
  /** Items of no tenant living in the table (e.g. a migration's kept source copy): backed up, not restorable as a tenant. */
  otherItems: z.number().int().min(0),
});
export type Manifest = z.infer<typeof manifestSchema>;
