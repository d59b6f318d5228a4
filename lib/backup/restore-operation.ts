// Single-tenant restore from a backup (or, in AWS mode, a point in time):
//   validate → read and check the source → compare with the tenant's items now
//   dry run:    stops there (the comparison is the result)
//   in place:   mark restoring → freeze → save the items now → replace →
//               verify → unfreeze
//   side table: create a table → write → verify (the tenant is not touched)
// The tenant is restored where it lives now, whatever its placement was at
// backup time, provided its instance keys items as the backup's did (items are
// written verbatim). Every read, write and delete is bounded by its partitions
// under that key scheme. A failure after the freeze puts the saved items back
// and unfreezes.
import { z } from "zod";
import { diffItems, type RestoreDiff } from "./diff";
import { CorruptBackup, FileSetWriter, readBackupFile } from "./files";
import { backupFileSchema, hashesOf, tenantContentHash } from "./format";
import { manifestTenant, readManifest, TenantNotInBackup } from "./read";
import { checkWithinWindow, dropScratch, PointInTimeRefused, restorableWindow, restoreToScratch } from "./point-in-time";
import { BackupObjectMissing } from "../storage/backup-store";
import { forgetSourceItems, readTenantTables, sourceItems, targetFor, type RestoreSourceRef, type RestoreTarget } from "./restore-source";
import { slugPattern } from "../catalog/vocabulary";
import { getRoutingRecord, updateRoutingRecord } from "../routing/routing-table";
import { tenantEntities } from "../storage/tenant-items";
import {
  defaultKeyScheme,
  describeKeyScheme,
  keySchemeSchema,
  sameKeyLayout,
  storedKeyScheme,
  tenantKeyPrefix,
} from "../storage/key-scheme";
import { batchWriteTenantItems, describeKey, itemKey, keyFromItemKey, type Item, type TenantKeys } from "../storage/tenant-partitions";
import { ensureTenantTable } from "../storage/tenant-tables";
import type { OperationDeps } from "../operations/deps";
import {
  defineStep,
  StepFailure,
  type OperationDefinition,
  type OperationRef,
  type OperationStep,
  type StepContext,
  type StepDefinition,
  type Tx,
} from "../operations/definition";
import { operationLabel, tenantData, type TenantData } from "../operations/tenant-data";
import { operationIdPattern } from "../operations/ids";
import { tenantIn } from "../operations/preconditions";
import { freezeWrites, markMoving } from "../routing/tenant-moves";
import { auditTarget } from "../audit/record";
import { tenantInstanceTargets } from "../operations/audit-targets";

export const restoreParameters = z.object({
  tenantId: z.string().regex(slugPattern),
  source: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("backup"), backupId: z.string().regex(operationIdPattern) }),
    z.object({ kind: z.literal("pointInTime"), at: z.iso.datetime() }),
  ]),
  mode: z.enum(["dry_run", "in_place", "side_table"]),
});
export type RestoreParameters = z.infer<typeof restoreParameters>;

/** Keys of each kind of change kept on the comparison step for the screen. */
const sampleKeys = 200;
const writeChunk = 500;

interface Plan {
  tenant: TenantKeys;
  targets: RestoreTarget[];
  source: RestoreSourceRef;
  sideTable: string | null;
}

const planSchema = z.object({
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
});

type Step = StepDefinition<RestoreParameters>;
type Ctx = StepContext<RestoreParameters>;

/** The tenant's data through a client scoped to it and to the tables this restore reads or writes. */
function planData(deps: OperationDeps, plan: Plan, operation: OperationRef): TenantData {
  const tables = [...plan.targets];
  if (plan.sideTable) tables.push({ storageInstanceId: "side", tableName: plan.sideTable, region: plan.targets[0]!.region, entities: [] });
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
async function refusing<T>(work: () => T | Promise<T>, suffix = ""): Promise<T> {
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

function summary(diff: RestoreDiff): string {
  return `${diff.add.length.toLocaleString("en-US")} to add, ${diff.change.length.toLocaleString("en-US")} to change, ${diff.remove.length.toLocaleString("en-US")} to remove, ${diff.unchanged.toLocaleString("en-US")} unchanged`;
}

/** Makes the tenant's items in its targets equal `wanted`: puts what is missing or different, deletes what `wanted` lacks. */
async function replaceWith(
  data: TenantData,
  plan: Plan,
  wanted: Item[],
  signal: AbortSignal,
  onChunk?: (done: number, total: number) => Promise<void>,
): Promise<RestoreDiff> {
  const scheme = plan.tenant.keyScheme;
  const current = await readTenantTables(data, plan.tenant, plan.targets, signal);
  const wantedByKey = new Map(wanted.map((item) => [itemKey(scheme, item), item]));
  const diff = diffItems(hashesOf(scheme, current), hashesOf(scheme, wanted));
  const requests = [...diff.add, ...diff.change]
    .map((key) => ({ key, put: wantedByKey.get(key)! as Item | undefined }))
    .concat(diff.remove.map((key) => ({ key, put: undefined })));
  for (let i = 0; i < requests.length; i += writeChunk) {
    const chunk = requests.slice(i, i + writeChunk);
    const byTable = new Map<RestoreTarget, { put?: Item; deleteKey?: Item }[]>();
    for (const r of chunk) {
      const key = keyFromItemKey(scheme, r.key);
      const target = targetFor(plan.targets, plan.tenant, key[scheme.partitionKey]?.S ?? "");
      const list = byTable.get(target) ?? [];
      list.push(r.put ? { put: r.put } : { deleteKey: key });
      byTable.set(target, list);
    }
    for (const [target, list] of byTable) await batchWriteTenantItems(data.table(target.tableName), plan.tenant, list, { signal });
    await onChunk?.(Math.min(requests.length, i + writeChunk), requests.length);
  }
  return diff;
}

/** Reads the tenant's items again and fails, naming keys, unless they equal `wanted`. */
async function verifyEquals(data: TenantData, plan: Plan, targets: RestoreTarget[], wanted: Item[], signal: AbortSignal): Promise<number> {
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

const validateStep = defineStep({
  name: "validate",
  label: "Validate",
  changesTenant: false,
  output: z.object({ plan: planSchema }),
  async run({ parameters: p, deps, operation }: Ctx) {
    await tenantIn(deps, p.tenantId, ["active"], "a restore");
    const tenant = await deps.db.tenant.findUniqueOrThrow({
      where: { id: p.tenantId },
      include: { storageInstance: true, bridgeInstance: true },
    });
    if (!tenant.keyPrefix || !tenant.storageInstance) throw new StepFailure(`tenant ${p.tenantId} has no placement to restore into`);
    const keyScheme = storedKeyScheme(tenant.storageInstance.keyScheme);
    if (tenant.bridgeInstance && !sameKeyLayout(keyScheme, storedKeyScheme(tenant.bridgeInstance.keyScheme)))
      throw new StepFailure(
        `${p.tenantId}'s bridge table ${tenant.bridgeInstance.tableName} keys items differently from ${tenant.storageInstance.id}; a restore writes one key scheme`,
      );
    let entities: string[];
    let source: RestoreSourceRef;
    let detail: string;
    if (p.source.kind === "backup") {
      const backup = await deps.db.backup.findUnique({ where: { id: p.source.backupId } });
      if (!backup) throw new StepFailure(`backup ${p.source.backupId} does not exist`);
      if (backup.status !== "complete")
        throw new StepFailure(`backup ${backup.id} is ${backup.status}; only a complete backup can be restored from`);
      const manifest = await refusing(() => readManifest(deps.backupStore, backup.location));
      const held = await refusing(() => manifestTenant(manifest, p.tenantId));
      if (!sameKeyLayout(manifest.keyScheme, keyScheme))
        throw new StepFailure(
          `backup ${backup.id} keys ${p.tenantId}'s items as ${describeKeyScheme(manifest.keyScheme)}, but ${tenant.storageInstance.id}, where it lives now, keys them as ${describeKeyScheme(keyScheme)}; a restore writes the backup's items verbatim and cannot rewrite their keys. Nothing was written.`,
        );
      entities = held.entities;
      source = { kind: "backup", backupId: backup.id, location: backup.location };
      detail = `${held.items.toLocaleString("en-US")} items of ${p.tenantId} in backup ${backup.id} of ${backup.storageInstanceId} (${manifest.strategy === "per_tenant" ? "separated per tenant" : "whole table"}, ${manifest.finishedAt})`;
    } else {
      if (!deps.pointInTimeRestore)
        throw new StepFailure(
          "point-in-time restores need AWS mode with point-in-time recovery on (BACKUP_POINT_IN_TIME=on); this deployment has none",
        );
      const at = new Date(p.source.at);
      const instance = tenant.storageInstance;
      const window = await refusing(() => restorableWindow(deps.dynamoDb(instance.region), instance.tableName));
      await refusing(() => checkWithinWindow(at, window, instance.tableName));
      const movedSince = await deps.db.operation.findFirst({
        where: { tenantId: p.tenantId, kind: { in: ["migrate", "rollback_migration"] }, status: "succeeded", finishedAt: { gt: at } },
        select: { id: true },
      });
      if (movedSince)
        throw new StepFailure(
          `${p.tenantId} was moved after ${at.toISOString()} (operation ${movedSince.id}); its current table did not hold it then: restore from a backup instead`,
        );
      entities = tenant.deploymentModel === "bridge" ? tenantEntities.filter((e) => e !== tenant.bridgeEntity) : [...tenantEntities];
      source = {
        kind: "pointInTime",
        tableName: instance.tableName,
        scratchTable: `${instance.tableName}-pitr-${operation.id.slice(-10)}`,
        region: instance.region,
        entities,
      };
      detail = `${instance.tableName} as it was at ${at.toISOString()} (restorable ${window.earliest.toISOString()} to ${window.latest.toISOString()})`;
    }
    // Where each entity lives now: the tenant may have moved since the backup.
    const main = tenant.storageInstance;
    const bridge = tenant.bridgeInstance;
    const targets: RestoreTarget[] = [];
    for (const entity of entities) {
      const instance = entity === tenant.bridgeEntity && bridge ? bridge : main;
      let target = targets.find((t) => t.storageInstanceId === instance.id);
      if (!target)
        targets.push((target = { storageInstanceId: instance.id, tableName: instance.tableName, region: instance.region, entities: [] }));
      target.entities.push(entity);
    }
    const sideTable = p.mode === "side_table" ? `tsc-restore-${p.tenantId}-${operation.id.slice(-8)}` : null;
    const plan: Plan = { tenant: { tenantId: tenant.id, keyScheme }, targets, source, sideTable };
    return {
      output: { plan },
      detail: `${detail}; into ${targets.map((t) => `${t.storageInstanceId} (${t.entities.join(", ")})`).join(" and ")}`,
    };
  },
});

export const loadStep = defineStep({
  name: "load",
  label: "Read and check the source",
  changesTenant: false,
  output: z.object({ items: z.number(), contentHash: z.string(), ms: z.number() }),
  async run({ parameters: p, deps, output, operation, signal, progress }: Ctx) {
    const plan = output(validateStep).plan;
    const started = performance.now();
    if (plan.source.kind === "pointInTime" && p.source.kind === "pointInTime") {
      await progress(0.1, `restoring ${plan.source.tableName} as of ${p.source.at} into ${plan.source.scratchTable}`);
      await restoreToScratch(deps.dynamoDb(plan.source.region), {
        tableName: plan.source.tableName,
        scratchTable: plan.source.scratchTable,
        at: new Date(p.source.at),
        signal,
      });
    }
    const items = await refusing(
      () => sourceItems(deps, planData(deps, plan, operation), operation.id, plan.tenant, plan.source, signal),
      "; nothing was written",
    );
    const ms = Math.round(performance.now() - started);
    return {
      output: { items: items.length, contentHash: tenantContentHash(hashesOf(plan.tenant.keyScheme, items)), ms },
      detail: `${items.length.toLocaleString("en-US")} items read and checked in ${(ms / 1000).toFixed(1)} s`,
    };
  },
});

export const compareStep = defineStep({
  name: "compare",
  label: "Compare with the tenant's items now",
  changesTenant: false,
  output: z.object({
    add: z.number(),
    change: z.number(),
    remove: z.number(),
    unchanged: z.number(),
    current: z.number(),
    /** Up to sampleKeys keys of each kind of change, for the operation's page. */
    samples: z.object({ add: z.array(z.string()), change: z.array(z.string()), remove: z.array(z.string()) }),
  }),
  async run({ deps, output, operation, signal }: Ctx) {
    const plan = output(validateStep).plan;
    const data = planData(deps, plan, operation);
    const wanted = await sourceItems(deps, data, operation.id, plan.tenant, plan.source, signal);
    const current = await readTenantTables(data, plan.tenant, plan.targets, signal);
    const diff = diffItems(hashesOf(plan.tenant.keyScheme, current), hashesOf(plan.tenant.keyScheme, wanted));
    return {
      output: {
        add: diff.add.length,
        change: diff.change.length,
        remove: diff.remove.length,
        unchanged: diff.unchanged,
        current: current.length,
        samples: { add: diff.add.slice(0, sampleKeys), change: diff.change.slice(0, sampleKeys), remove: diff.remove.slice(0, sampleKeys) },
      },
      detail: summary(diff),
    };
  },
});

/** Marks the tenant as restoring (readers then re-read its routing every movingRoutingTtlMs), so the freeze that follows is seen at once. */
const watchStep: Step = {
  name: "watch",
  label: "Mark the tenant as restoring",
  changesTenant: true,
  async run({ deps, output, signal }) {
    const plan = output(validateStep).plan;
    return {
      detail: await markMoving(deps, plan.tenant.tenantId, "restoring", signal),
      catalog: async (tx) => {
        await tx.tenant.update({ where: { id: plan.tenant.tenantId }, data: { status: "restoring" } });
      },
    };
  },
};

const freezeStep = defineStep({
  name: "freeze",
  label: "Freeze writes",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({ frozenSince: z.string().nullable() }),
  async run({ deps, output, signal }: Ctx) {
    const { frozenSince, detail } = await freezeWrites(deps, output(validateStep).plan.tenant.tenantId, signal);
    return { output: { frozenSince }, detail };
  },
});

const snapshotLocation = (operationId: string) => `restores/${operationId}/`;

const snapshotStep = defineStep({
  name: "snapshot",
  label: "Save the tenant's items as they are",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({ location: z.string(), files: z.array(backupFileSchema), items: z.number(), contentHash: z.string() }),
  async run({ deps, output, operation, signal }: Ctx) {
    const plan = output(validateStep).plan;
    const items = await readTenantTables(planData(deps, plan, operation), plan.tenant, plan.targets, signal);
    const location = snapshotLocation(operation.id);
    await deps.backupStore.deletePrefix(location);
    const writer = new FileSetWriter(deps.backupStore, location, "before", plan.tenant.tenantId);
    for (const item of items) await writer.add(item);
    const files = await writer.close();
    return {
      output: { location, files, items: items.length, contentHash: tenantContentHash(hashesOf(plan.tenant.keyScheme, items)) },
      detail: `${items.length.toLocaleString("en-US")} items saved to ${deps.backupStore.description} (${location}); a failure puts them back`,
    };
  },
});

export const replaceStep = defineStep({
  name: "replace",
  label: "Replace the tenant's items",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({ added: z.number(), changed: z.number(), removed: z.number() }),
  async run({ deps, output, operation, signal, progress }: Ctx) {
    const plan = output(validateStep).plan;
    const data = planData(deps, plan, operation);
    const wanted = await sourceItems(deps, data, operation.id, plan.tenant, plan.source, signal);
    const diff = await replaceWith(data, plan, wanted, signal, async (done, total) => {
      await deps.faultPoint?.("mid");
      await progress(done / Math.max(1, total), `${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} writes`);
    });
    return {
      output: { added: diff.add.length, changed: diff.change.length, removed: diff.remove.length },
      detail: summary(diff).replace("to add", "added").replace("to change", "changed").replace("to remove", "removed"),
    };
  },
});

const verifyStep = defineStep({
  name: "verify",
  label: "Verify every item",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({ items: z.number() }),
  async run({ deps, output, operation, signal }: Ctx) {
    const plan = output(validateStep).plan;
    const data = planData(deps, plan, operation);
    const wanted = await sourceItems(deps, data, operation.id, plan.tenant, plan.source, signal);
    const count = await verifyEquals(data, plan, plan.targets, wanted, signal);
    return { output: { items: count }, detail: `${count.toLocaleString("en-US")} items equal the source` };
  },
});

/** Lifts the freeze and marks the tenant active again (restore done, or undone). */
async function unfreeze(deps: OperationDeps, tenantId: string) {
  const client = deps.dynamoDb(deps.routingRegion);
  const current = await getRoutingRecord(client, tenantId, deps.routingTable);
  if (!current || (current.status !== "restoring" && !current.writeFrozen)) return { frozenMs: null as number | null };
  const frozenSince = current.frozenSince ? Date.parse(current.frozenSince) : null;
  const record = await updateRoutingRecord(
    client,
    tenantId,
    ({ version: _v, updatedAt: _u, ...content }) => ({ ...content, status: "active", writeFrozen: false, frozenSince: null }),
    deps.routingTable,
  );
  await deps.faultPoint?.("effect");
  return { frozenMs: frozenSince === null ? null : Date.parse(record.updatedAt) - frozenSince };
}

export const unfreezeStep = defineStep({
  name: "unfreeze",
  label: "Unfreeze writes",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({ frozenMs: z.number().nullable() }),
  async run({ deps, output }: Ctx) {
    const plan = output(validateStep).plan;
    const { frozenMs } = await unfreeze(deps, plan.tenant.tenantId);
    return {
      output: { frozenMs },
      detail: frozenMs === null ? "writes were not frozen" : `writes were frozen for ${(frozenMs / 1000).toFixed(1)} s`,
      catalog: async (tx) => {
        await tx.tenant.update({ where: { id: plan.tenant.tenantId }, data: { status: "active" } });
      },
    };
  },
});

export const sideTableStep = defineStep({
  name: "sideTable",
  label: "Write to a side table",
  changesTenant: false,
  output: z.object({ sideTable: z.string(), region: z.string(), items: z.number() }),
  async run({ deps, output, operation, signal }: Ctx) {
    const plan = output(validateStep).plan;
    const sideTable = plan.sideTable!;
    const region = plan.targets[0]!.region;
    await ensureTenantTable(
      deps.dynamoDb(region),
      sideTable,
      { capacityMode: "on_demand", readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 },
      { keyScheme: plan.tenant.keyScheme },
    );
    const data = planData(deps, plan, operation);
    const wanted = await sourceItems(deps, data, operation.id, plan.tenant, plan.source, signal);
    await batchWriteTenantItems(
      data.table(sideTable),
      plan.tenant,
      wanted.map((put) => ({ put })),
      { signal },
    );
    const side: RestoreTarget = {
      storageInstanceId: "side",
      tableName: sideTable,
      region,
      entities: plan.targets.flatMap((t) => t.entities),
    };
    const count = await verifyEquals(data, plan, [side], wanted, signal);
    return {
      output: { sideTable, region, items: count },
      detail: `${count.toLocaleString("en-US")} items written to ${sideTable} (${region}) and verified; the tenant's live items were not touched`,
    };
  },
});

const dropScratchStep: Step = {
  name: "dropScratch",
  label: "Delete the scratch table",
  changesTenant: false,
  async run({ deps, output, operation }) {
    const plan = output(validateStep).plan;
    forgetSourceItems(operation.id);
    if (plan.source.kind !== "pointInTime") return { detail: "no scratch table" };
    await dropScratch(deps.dynamoDb(plan.source.region), plan.source.scratchTable);
    return { detail: `${plan.source.scratchTable} deleted` };
  },
};

/** After a failure: puts back the items saved before the replace (if it may have begun), unfreezes, drops a scratch or incomplete side table. */
async function undoRestore({
  deps,
  outputIfAny,
  operation,
  parameters,
  signal,
}: Parameters<NonNullable<OperationDefinition<RestoreParameters>["compensate"]>>[0]) {
  const done: string[] = [];
  const plan = outputIfAny(validateStep)?.plan ?? null;
  forgetSourceItems(operation.id);
  if (plan && parameters.mode === "in_place") {
    const snapshot = outputIfAny(snapshotStep);
    // Only while the tenant is still frozen: once writes have resumed (an earlier run of this undo put the items
    // back and unfroze it, then its worker died), putting them back again would overwrite what the tenant wrote since.
    const frozen = snapshot
      ? (await getRoutingRecord(deps.dynamoDb(deps.routingRegion), plan.tenant.tenantId, deps.routingTable))?.writeFrozen
      : false;
    if (snapshot && !frozen) done.push("the saved items were already put back (writes had resumed)");
    if (snapshot && frozen) {
      const before: Item[] = [];
      for (const file of snapshot.files) before.push(...(await readBackupFile(deps.backupStore, snapshot.location, file)));
      const data = planData(deps, plan, operation);
      const diff = await replaceWith(data, plan, before, signal);
      await verifyEquals(data, plan, plan.targets, before, signal);
      await deps.faultPoint?.("mid"); // put back, still frozen
      done.push(
        `the tenant's ${before.length.toLocaleString("en-US")} items put back as they were (${diff.add.length + diff.change.length + diff.remove.length} writes)`,
      );
    }
    const { frozenMs } = await unfreeze(deps, plan.tenant.tenantId);
    if (frozenMs !== null) done.push("writes unfrozen");
  }
  if (plan?.sideTable && !outputIfAny(sideTableStep)) {
    await dropScratch(deps.dynamoDb(plan.targets[0]!.region), plan.sideTable);
    done.push(`the incomplete side table ${plan.sideTable} deleted`);
  }
  if (plan?.source.kind === "pointInTime") {
    await dropScratch(deps.dynamoDb(plan.source.region), plan.source.scratchTable);
    done.push(`scratch table ${plan.source.scratchTable} deleted`);
  }
  return {
    detail: done.length ? `Undone: ${done.join("; ")}.` : "Nothing was written.",
    catalog: async (tx: Tx) => {
      if (plan && parameters.mode === "in_place")
        await tx.tenant.updateMany({ where: { id: plan.tenant.tenantId, status: "restoring" }, data: { status: "active" } });
    },
  };
}

function restoreSteps(p: RestoreParameters): OperationStep<RestoreParameters>[] {
  const head = [validateStep, loadStep, compareStep];
  const tail = p.source.kind === "pointInTime" ? [dropScratchStep] : [];
  if (p.mode === "dry_run") return [...head, ...tail];
  if (p.mode === "side_table") return [...head, sideTableStep, ...tail];
  return [...head, watchStep, freezeStep, snapshotStep, replaceStep, verifyStep, unfreezeStep, ...tail];
}

export const restoreOperation: OperationDefinition<RestoreParameters> = {
  kind: "restore",
  parameters: restoreParameters,
  steps: restoreSteps({ tenantId: "x", source: { kind: "backup", backupId: "x" }, mode: "in_place" }),
  stepsFor: restoreSteps,
  compensate: undoRestore,
  // Once writes resume, undoing would overwrite what the tenant wrote since: from here on, only finish.
  pointOfNoReturn: unfreezeStep.name,
  // A restore to a side table leaves the tenant's items there for inspection (dropped if it fails before writing them all).
  copies: ({ id, steps, outputIfAny }) => {
    const plan = outputIfAny(validateStep)?.plan;
    if (!plan?.sideTable || !steps.some((step) => step.name === sideTableStep.name && step.status !== "pending")) return [];
    return [
      {
        tenant: { ...plan.tenant, keyPrefix: tenantKeyPrefix(plan.tenant.keyScheme, plan.tenant.tenantId) },
        table: { storageInstanceId: null, tableName: plan.sideTable, region: plan.targets[0]!.region },
        effect: "holds",
        ownTable: true,
        what: `side table of restore ${id}`,
      },
    ];
  },
  targets: async (tx, p) => [
    ...(await tenantInstanceTargets(tx, p.tenantId)),
    ...(p.source.kind === "backup" ? [auditTarget("backup", p.source.backupId)] : []),
  ],
  describe: (p) =>
    `${p.mode === "dry_run" ? "dry run: " : ""}${p.tenantId} from ${p.source.kind === "backup" ? `backup ${p.source.backupId}` : `its table as of ${p.source.at}`}${p.mode === "side_table" ? " to a side table" : p.mode === "in_place" ? ", in place" : ""}`,
};
