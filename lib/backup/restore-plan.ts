// What a restore's validate step records (its plan: the tenant, where it lives
// now, the source, a side table, and where a staged restore puts the restored
// items), and what the restore's steps share to read and check the tenant's
// items under it.
import { z } from "zod";
import { diffItems } from "./diff";
import { CorruptBackup } from "./files";
import { hashesOf } from "./format";
import { TenantNotInBackup } from "./read";
import { PointInTimeRefused } from "./point-in-time";
import { readTenantTables, type RestoreSourceRef, type RestoreTarget } from "./restore-source";
import { BackupObjectMissing } from "../storage/backup-store";
import { defaultKeyScheme, keySchemeSchema } from "../storage/key-scheme";
import { describeKey, type Item, type TenantKeys } from "../storage/tenant-partitions";
import type { OperationDeps } from "../operations/deps";
import { StepFailure, stepOutput, type OperationRef } from "../operations/definition";
import { operationLabel, tenantData, type TenantData } from "../operations/tenant-data";

export const stagingPlacementSchema = z.object({
  storageInstanceId: z.string(),
  tableName: z.string(),
  region: z.string(),
  mode: z.enum(["pool", "silo"]),
});
export type StagingPlacement = z.infer<typeof stagingPlacementSchema>;

/** Where a staged restore would put the restored items (null: it cannot be staged), and why there or why not. */
export const stagingSchema = z.object({
  into: stagingPlacementSchema.nullable(),
  reason: z.string(),
  /** `into` is a new silo table of the tenant's own, made by the restore (and dropped if it is undone). */
  newSilo: z.boolean(),
});
export type Staging = z.infer<typeof stagingSchema>;

export interface Plan {
  tenant: TenantKeys;
  targets: RestoreTarget[];
  source: RestoreSourceRef;
  sideTable: string | null;
  /** Decided for a dry run and a staged restore; null otherwise (and on records from before staged restores). */
  staging: Staging | null;
}

export const planSchema = z.object({
  /** The tenant, keyed as its instance keys items now (older records: the default scheme). */
  tenant: z.object({ tenantId: z.string(), keyScheme: keySchemeSchema.default(defaultKeyScheme) }),
  targets: z.array(z.object({ storageInstanceId: z.string(), tableName: z.string(), region: z.string(), entities: z.array(z.string()) })),
  source: z.union([
    z.object({ kind: z.literal("backup"), backupId: z.string(), location: z.string() }),
    z.object({
      kind: z.literal("pointInTime"),
      tableName: z.string(),
      scratchTable: z.string(),
      region: z.string(),
      entities: z.array(z.string()),
    }),
  ]),
  sideTable: z.string().nullable(),
  staging: stagingSchema.nullable().default(null),
});

/** The validate step's record, for steps defined outside restore-operation.ts. */
export const validatedPlan = stepOutput("validate", z.object({ plan: planSchema }));

/** The tenant's data through a client scoped to it and to the tables this restore reads or writes. */
export function planData(deps: OperationDeps, plan: Plan, operation: OperationRef): TenantData {
  const tables = [...plan.targets];
  if (plan.sideTable) tables.push({ storageInstanceId: "side", tableName: plan.sideTable, region: plan.targets[0]!.region, entities: [] });
  if (plan.staging?.into) tables.push({ ...plan.staging.into, entities: [] });
  if (plan.source.kind === "pointInTime")
    tables.push({ storageInstanceId: "scratch", tableName: plan.source.scratchTable, region: plan.source.region, entities: [] });
  return tenantData(deps, {
    tenantId: plan.tenant.tenantId,
    keyScheme: plan.tenant.keyScheme,
    operation: operationLabel(operation),
    tables,
  });
}

/** The source's own refusals (a corrupt or missing backup file, a tenant it lacks, a time outside the window) fail the step as they are worded; other errors pass through. */
export async function refusing<T>(work: () => T | Promise<T>, suffix = ""): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof CorruptBackup ||
      error instanceof BackupObjectMissing ||
      error instanceof TenantNotInBackup ||
      error instanceof PointInTimeRefused
    )
      throw new StepFailure(`${error.message}${suffix}`);
    throw error;
  }
}

/** Reads the tenant's items again and fails, naming keys, unless they equal `wanted`. */
export async function verifyEquals(
  data: TenantData,
  plan: Plan,
  targets: RestoreTarget[],
  wanted: Item[],
  signal: AbortSignal,
): Promise<number> {
  const now = await readTenantTables(data, plan.tenant, targets, signal);
  const diff = diffItems(hashesOf(plan.tenant.keyScheme, now), hashesOf(plan.tenant.keyScheme, wanted));
  const wrong = [
    ...diff.add.map((k) => `${describeKey(k)}: missing`),
    ...diff.change.map((k) => `${describeKey(k)}: content differs`),
    ...diff.remove.map((k) => `${describeKey(k)}: not in the source`),
  ];
  if (wrong.length > 0)
    throw new StepFailure(
      `after writing, ${wrong.length} item(s) differ from the source: ${wrong.slice(0, 10).join("; ")}${wrong.length > 10 ? "; …" : ""}`,
    );
  return now.length;
}
