// Single-tenant restore from a backup (or, in AWS mode, a point in time):
//   validate → read and check the source → compare with the tenant's items now
//   dry run:    stops there (the comparison is the result)
//   in place:   mark restoring → freeze → save the items now → replace →
//               verify → unfreeze
//   staged:     prepare → start → stage into a new placement → verify it →
//               catch up with the tenant's writes → freeze → verify →
//               switch (unfreeze) → delete the old placement's items
//               (staged-restore.ts; writes frozen only for the last changes)
//   side table: create a table → write → verify (the tenant is not touched)
// In place, the tenant is restored where it lives now, whatever its placement
// was at backup time, provided its instance keys items as the backup's did
// (items are written verbatim); a staged restore moves it to a placement keyed
// the same way (staging.ts says where, or why it can only be restored in
// place: the dry run shows it). Every read, write and delete is bounded by its
// partitions under that key scheme. A failure after the freeze puts the saved
// items back and unfreezes (in place) or leaves the tenant where it was and
// removes the staged copy (staged).
import { z } from "zod";
import { diffItems, type RestoreDiff } from "./diff";
import { FileSetWriter, readBackupFile } from "./files";
import { backupFileSchema, hashesOf, tenantContentHash } from "./format";
import { manifestTenant, readManifest } from "./read";
import { checkWithinWindow, dropScratch, restorableWindow, restoreToScratch } from "./point-in-time";
import { planData, planSchema, refusing, verifyEquals, type Plan, type Staging } from "./restore-plan";
import { cleanUpStep, stagedSteps, undoStaged } from "./staged-restore";
import { stagingFor } from "./staging";
import {
  forgetSourceItems,
  readTenantTables,
  sourceHashes,
  sourceItems,
  targetFor,
  type RestoreSourceRef,
  type RestoreTarget,
} from "./restore-source";
import { slugPattern } from "../catalog/vocabulary";
import { getRoutingRecord, updateRoutingRecord } from "../routing/routing-table";
import { tenantEntities } from "../storage/tenant-items";
import { describeKeyScheme, sameKeyLayout, storedKeyScheme, tenantKeyPrefix } from "../storage/key-scheme";
import { batchWriteTenantItems, itemKey, keyFromItemKey, type Item } from "../storage/tenant-partitions";
import { ensureTenantTable } from "../storage/tenant-tables";
import type { OperationDeps } from "../operations/deps";
import {
  defineStep,
  StepFailure,
  type OperationDefinition,
  type OperationStep,
  type StepContext,
  type CompensationContext,
  type DataCopy,
  type StepDefinition,
  type StepEffects,
  type Tx,
} from "../operations/definition";
import { operationLabel, type TenantData } from "../operations/tenant-data";
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
  mode: z.enum(["dry_run", "in_place", "staged", "side_table"]),
});
export type RestoreParameters = z.infer<typeof restoreParameters>;

/** Keys of each kind of change kept on the comparison step for the screen. */
const sampleKeys = 200;
const writeChunk = 500;

type Step = StepDefinition<RestoreParameters>;
type Ctx = StepContext<RestoreParameters>;

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
    // A dry run says which path a restore would take; a staged restore needs a placement to stage into.
    let staging: Staging | null = null;
    if (p.mode === "dry_run" || p.mode === "staged")
      staging = await stagingFor(
        deps,
        { ...tenant, storageInstance: tenant.storageInstance },
        { id: operation.id, label: operationLabel(operation) },
      );
    if (p.mode === "staged" && !staging?.into)
      throw new StepFailure(
        `${p.tenantId} cannot be restored staged: ${staging?.reason}. Nothing was written; restore it in place instead.`,
      );
    const plan: Plan = { tenant: { tenantId: tenant.id, keyScheme }, targets, source, sideTable, staging };
    const into = targets.map((t) => `${t.storageInstanceId} (${t.entities.join(", ")})`).join(" and ");
    return {
      output: { plan },
      detail: `${detail}; ${
        p.mode === "staged"
          ? `${staging!.reason}`
          : p.mode === "dry_run"
            ? `into ${into}; ${staging?.into ? `a restore can be staged: ${staging.reason}` : `a restore can only be made in place (writes frozen for the whole replace): ${staging?.reason}`}`
            : `into ${into}`
      }`,
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
    const hashes = await sourceHashes(deps, planData(deps, plan, operation), operation.id, plan.tenant, plan.source, signal);
    const ms = Math.round(performance.now() - started);
    return {
      output: { items: items.length, contentHash: tenantContentHash(hashes), ms },
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

/**
 * After a failure: puts back the items saved before the replace (if it may have begun), unfreezes, removes a staged
 * copy, drops a scratch or incomplete side table.
 */
async function undoRestore(context: CompensationContext<RestoreParameters>) {
  const { deps, outputIfAny, operation, parameters, signal } = context;
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
  let stagedCatalog: StepEffects["catalog"];
  if (plan?.staging?.into && parameters.mode === "staged") {
    const undone = await undoStaged(context, plan);
    done.push(...undone.done);
    stagedCatalog = undone.catalog;
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
      await stagedCatalog?.(tx);
    },
  };
}

function restoreSteps(p: RestoreParameters): OperationStep<RestoreParameters>[] {
  const head = [validateStep, loadStep, compareStep];
  const tail = p.source.kind === "pointInTime" ? [dropScratchStep] : [];
  if (p.mode === "dry_run") return [...head, ...tail];
  if (p.mode === "side_table") return [...head, sideTableStep, ...tail];
  if (p.mode === "staged") return [...head, ...stagedSteps, ...tail];
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
  // A restore to a side table leaves the tenant's items there for inspection (dropped if it fails before writing them all);
  // a staged one holds them in its new placement from its start (removed if undone), and empties the old one.
  copies: ({ id, status, steps, outputIfAny }) => {
    const plan = outputIfAny(validateStep)?.plan;
    const started = (name: string) => steps.some((step) => step.name === name && step.status !== "pending");
    const into = plan?.staging?.into;
    if (plan && into && steps.some((step) => step.name === cleanUpStep.name)) {
      const tenant = { ...plan.tenant, keyPrefix: tenantKeyPrefix(plan.tenant.keyScheme, plan.tenant.tenantId) };
      const copies: DataCopy[] = [];
      if (started("start") && status !== "succeeded")
        copies.push({ tenant, table: into, effect: "holds", ownTable: plan.staging!.newSilo, what: `staged copy of restore ${id}` });
      if (started(cleanUpStep.name) && status === "succeeded")
        copies.push({ tenant, table: plan.targets[0]!, effect: "removed", what: `the tenant's items before restore ${id}` });
      return copies;
    }
    if (!plan?.sideTable || !started(sideTableStep.name)) return [];
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
    `${p.mode === "dry_run" ? "dry run: " : ""}${p.tenantId} from ${p.source.kind === "backup" ? `backup ${p.source.backupId}` : `its table as of ${p.source.at}`}${{ side_table: " to a side table", in_place: ", in place", staged: ", staged", dry_run: "" }[p.mode]}`,
};
