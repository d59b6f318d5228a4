// Backup of one storage instance's table into the backup store (see
// lib/backup). The export runs again from the start if its worker dies; the
// manifest is written last, so a backup without one is incomplete.
import { defaultKeyScheme, keySchemeSchema, storedKeyScheme, tenantKeyPrefix, type KeyScheme } from "../storage/key-scheme";
import { z } from "zod";
import { exportTable, type Resident } from "./export";
import { manifestName } from "./read";
import { slugPattern } from "../catalog/vocabulary";
import { tenantEntities } from "../storage/tenant-items";
import type { Db } from "../db/client";
import { defineStep, StepFailure, type OperationDefinition, type StepContext } from "../operations/definition";
import { instanceData, operationLabel } from "../operations/tenant-data";
import { auditTarget } from "../audit/record";
import { instanceTenantTargets } from "../operations/audit-targets";

export const backupParameters = z.object({
  storageInstanceId: z.string().regex(slugPattern),
  strategy: z.enum(["per_tenant", "whole_table"]),
  scheduled: z.boolean().default(false),
  retentionDays: z.number().int().min(1).max(3_650),
  /** Parallel Scan segments. */
  segments: z.number().int().min(1).max(64).default(4),
});
export type BackupParameters = z.infer<typeof backupParameters>;

export const backupLocation = (backupId: string) => `backups/${backupId}/`;

/** The tenants whose live data is in the instance, and which of their entities (their key prefix under the instance's scheme). */
export async function residentsOf(db: Db, storageInstanceId: string, keyScheme: KeyScheme = defaultKeyScheme): Promise<Resident[]> {
  const live = { notIn: ["offboarded", "provisioning"] as ("offboarded" | "provisioning")[] };
  const [main, bridged] = await Promise.all([
    db.tenant.findMany({
      where: { storageInstanceId, status: live },
      select: { id: true, keyPrefix: true, deploymentModel: true, bridgeEntity: true },
      orderBy: { id: "asc" },
    }),
    db.tenant.findMany({
      where: { bridgeInstanceId: storageInstanceId, status: live },
      select: { id: true, keyPrefix: true, bridgeEntity: true },
      orderBy: { id: "asc" },
    }),
  ]);
  const residents: Resident[] = [];
  for (const t of main) {
    if (!t.keyPrefix) continue;
    const entities = t.deploymentModel === "bridge" ? tenantEntities.filter((e) => e !== t.bridgeEntity) : [...tenantEntities];
    residents.push({ tenantId: t.id, keyPrefix: tenantKeyPrefix(keyScheme, t.id), entities });
  }
  for (const t of bridged)
    if (t.keyPrefix && t.bridgeEntity)
      residents.push({ tenantId: t.id, keyPrefix: tenantKeyPrefix(keyScheme, t.id), entities: [t.bridgeEntity] });
  return residents;
}

/** Checks the instance and records what the export reads and where it writes (and registers the backup). */
const validateStep = defineStep({
  name: "validate",
  label: "Validate",
  changesTenant: false,
  output: z.object({
    backupId: z.string(),
    location: z.string(),
    tableName: z.string(),
    region: z.string(),
    /** The instance's key scheme when the backup began (older records: the default). */
    keyScheme: keySchemeSchema.default(defaultKeyScheme),
    residents: z.array(z.object({ tenantId: z.string(), keyPrefix: z.string(), entities: z.array(z.string()) })),
  }),
  async run({ parameters: p, deps, operation }: StepContext<BackupParameters>) {
    const instance = await deps.db.storageInstance.findUnique({ where: { id: p.storageInstanceId } });
    if (!instance) throw new StepFailure(`storage instance ${p.storageInstanceId} does not exist`);
    if (instance.status === "retired" || instance.status === "provisioning")
      throw new StepFailure(`storage instance ${p.storageInstanceId} is ${instance.status}; only a live instance can be backed up`);
    const keyScheme = storedKeyScheme(instance.keyScheme);
    const residents = await residentsOf(deps.db, instance.id, keyScheme);
    const location = backupLocation(operation.id);
    return {
      output: {
        backupId: operation.id,
        location,
        tableName: instance.tableName,
        region: instance.region,
        keyScheme,
        residents,
      },
      detail: `${instance.tableName}: ${residents.length} tenant(s) live in it; to ${deps.backupStore.description}`,
      catalog: async (tx) => {
        await tx.backup.upsert({
          where: { id: operation.id },
          create: {
            id: operation.id,
            operationId: operation.id,
            storageInstanceId: instance.id,
            tableName: instance.tableName,
            region: instance.region,
            strategy: p.strategy,
            scheduled: p.scheduled,
            location,
          },
          update: {},
        });
      },
    };
  },
});

/** Exports the table into the backup store, manifest last (see lib/backup/export.ts), and records what it wrote. */
export const exportStep = defineStep({
  name: "export",
  label: "Export the table",
  changesTenant: false,
  output: z.object({
    items: z.number(),
    files: z.number(),
    sizeBytes: z.number(),
    tenants: z.number(),
    otherItems: z.number(),
    ms: z.number(),
    itemsPerSec: z.number(),
  }),
  async run({ parameters: p, deps, output, operation, signal, progress }: StepContext<BackupParameters>) {
    const { location, residents, tableName, region, keyScheme } = output(validateStep);
    // A run after a crash starts clean: no part of an earlier attempt may end up in this backup.
    await deps.backupStore.deletePrefix(location);
    const started = performance.now();
    const manifest = await exportTable({
      client: instanceData(deps, { tableName, region }, operationLabel(operation)),
      store: deps.backupStore,
      backupId: operation.id,
      location,
      storageInstanceId: p.storageInstanceId,
      tableName,
      region,
      keyScheme,
      strategy: p.strategy,
      residents,
      segments: p.segments,
      signal,
      onProgress: async (items, expected) => {
        await deps.faultPoint?.("mid");
        await progress(expected > 0 ? Math.min(0.99, items / expected) : 0.5, `${items.toLocaleString("en-US")} items`);
      },
    });
    await deps.backupStore.put(`${location}${manifestName}`, Buffer.from(JSON.stringify(manifest, null, 1)));
    const ms = Math.round(performance.now() - started);
    const sizeBytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    const finishedAt = new Date();
    return {
      output: {
        items: manifest.items,
        files: manifest.files.length,
        sizeBytes,
        tenants: manifest.tenants.length,
        otherItems: manifest.otherItems,
        ms,
        itemsPerSec: Math.round(manifest.items / Math.max(0.001, ms / 1000)),
      },
      detail: `${manifest.items.toLocaleString("en-US")} items of ${manifest.tenants.length} tenant(s) in ${manifest.files.length} file(s), ${sizeBytes < 1024 * 1024 ? `${Math.ceil(sizeBytes / 1024)} KiB` : `${(sizeBytes / 1024 / 1024).toFixed(1)} MiB`}, ${(ms / 1000).toFixed(1)} s${manifest.otherItems ? `; ${manifest.otherItems} items of no tenant living here` : ""}`,
      catalog: async (tx) => {
        await tx.backupTenant.deleteMany({ where: { backupId: operation.id } });
        await tx.backupTenant.createMany({
          data: manifest.tenants.map((t) => ({
            backupId: operation.id,
            tenantId: t.tenantId,
            items: t.items,
            bytes: BigInt(t.bytes),
            entities: t.entities,
          })),
        });
        await tx.backup.update({
          where: { id: operation.id },
          data: {
            status: "complete",
            finishedAt,
            durationMs: ms,
            items: manifest.items,
            sizeBytes: BigInt(sizeBytes),
            expiresAt: new Date(finishedAt.getTime() + p.retentionDays * 86_400_000),
          },
        });
      },
    };
  },
});

export const backupOperation: OperationDefinition<BackupParameters> = {
  kind: "backup",
  parameters: backupParameters,
  // Every tenant in the instance (none past auditTenantCap: the log then finds a large pool's backup by the instance only).
  targets: async (tx, p) => [auditTarget("instance", p.storageInstanceId), ...(await instanceTenantTargets(tx, p.storageInstanceId))],
  describe: (p) =>
    `${p.storageInstanceId}, ${p.strategy === "per_tenant" ? "separated per tenant" : "whole table"}${p.scheduled ? " (scheduled)" : ""}`,
  async compensate({ operation, deps }) {
    await deps.backupStore.deletePrefix(backupLocation(operation.id));
    return {
      detail: "Undone: the backup's files were deleted.",
      catalog: async (tx) => {
        await tx.backup.updateMany({ where: { id: operation.id }, data: { status: "failed", finishedAt: new Date() } });
      },
    };
  },
  steps: [validateStep, exportStep],
};
