// A staged restore: the restored items go to a new placement while the tenant
// keeps working where it is, and writes are frozen only for the last changes
// and the switch, as a migration's cut-over (lib/migration/moving.ts) does:
//   prepare (a new silo table) → start (mark restoring; the tenant's changes
//   are read from here on) → stage (the source's items written to the new
//   placement) → verifyStaged (equal to the source, its content hash the
//   manifest's) → catchUp (what the tenant wrote since the start, copied on
//   top, pass after pass) → verifyAll (writes flowing: the whole copy compared)
//   → freeze (+ the last changes) → verify (frozen) → unfreeze (one routing
//   write: the new placement, unfrozen) → cleanUp (once every reader has seen
//   the switch, the tenant's items at the old placement deleted; the tenant
//   active)
// While it is restoring, every data-plane reader journals the keys of the
// tenant's writes before sending them (lib/routing/journal.ts). With a journal
// every reader keeps, the frozen steps read and write only the keys journaled
// since the last catch-up pass, so the freeze does not grow with the tenant,
// and deletes are applied too; without one (a reader of an older library
// version), they read every item of the tenant, and deletes are not seen.
// The result: the source's items, overwritten by every item the tenant wrote
// since the restore began (found by the change stamp, as a migration's
// catch-up finds them; the data plane never deletes items). Writes made before
// the start (less the clock-skew allowance) are replaced, as in place.
// The old placement is emptied at once, once readers have seen the switch:
// it holds the tenant's items as they were before the restore, which the
// operator chose to replace, and nothing else would ever remove them (no
// rollback brings a restore back; the backup it came from remains).
import { z } from "zod";
import { hashesOf, tenantContentHash } from "./format";
import { planData, validatedPlan, type Plan, type StagingPlacement } from "./restore-plan";
import { readTenantTables, sourceHashes, sourceItems, type RestoreTarget } from "./restore-source";
import { restoredSiloFor } from "./staging";
import { retireIfUnused } from "../placement/silo";
import { isMoving } from "../routing/record";
import { waitForReaders } from "../routing/readers";
import { getRoutingRecord, updateRoutingRecord } from "../routing/routing-table";
import { deleteJournal } from "../routing/journal";
import { changesFrom, freezeWrites, journaledKeys, journalTrustFrom, markMoving, settleMoved } from "../routing/tenant-moves";
import { hashesAt, keyDifferences, readAllHashes, readChanged } from "../storage/tenant-compare";
import { copyKeys, copyTenantItems } from "../storage/tenant-copy";
import { batchWriteTenantItems, deleteTenantItems, describeKey, getTenantItems, type TenantTable } from "../storage/tenant-partitions";
import { dropTable, ensureTenantTable } from "../storage/tenant-tables";
import type { OperationDeps } from "../operations/deps";
import {
  defineStep,
  StepFailure,
  stepOutput,
  type CompensationContext,
  type OperationRef,
  type StepContext,
  type StepDefinition,
  type StepEffects,
} from "../operations/definition";
import type { RestoreParameters } from "./restore-operation";

type Ctx = StepContext<RestoreParameters>;

/** Catch-up passes stop once a pass copies at most this many items (the freeze copies the rest). */
const settledPassItems = 200;
const maxCatchUpPasses = 8;
/** Items written per progress report (and per "mid" fault point) while staging. */
const stageChunk = 5_000;

const loaded = stepOutput("load", z.object({ items: z.number(), contentHash: z.string() }));

/** The tenant's one live table and the placement it is staged into (validate refuses a staged restore without one). */
function placements(plan: Plan): { live: RestoreTarget; into: StagingPlacement } {
  const into = plan.staging?.into;
  if (!into || plan.targets.length !== 1) throw new Error("a staged restore without a staging placement, or of a tenant in two tables");
  return { live: plan.targets[0]!, into };
}

function tables(deps: OperationDeps, plan: Plan, operation: OperationRef): { live: TenantTable; into: TenantTable; entities: string[] } {
  const data = planData(deps, plan, operation);
  const { live, into } = placements(plan);
  return { live: data.table(live.tableName), into: data.table(into.tableName), entities: live.entities };
}

const count = (n: number) => n.toLocaleString("en-US");

export const prepareStagingStep: StepDefinition<RestoreParameters> = {
  name: "prepare",
  label: "Prepare the new placement",
  changesTenant: false,
  async run({ deps, output, operation }) {
    const { plan } = output(validatedPlan);
    const { into } = placements(plan);
    if (!plan.staging?.newSilo) return { detail: `pool ${into.storageInstanceId} is ready` };
    // The new silo keys items as the tenant's table does (the restored items are written verbatim).
    const silo = { ...restoredSiloFor(plan.tenant.tenantId, into.region, plan.tenant.keyScheme, operation.id), tableName: into.tableName };
    const created = await ensureTenantTable(deps.dynamoDb(into.region), into.tableName, silo, { keyScheme: plan.tenant.keyScheme });
    return {
      detail: `table ${into.tableName} ${created === "created" ? "created" : "exists"} and is active`,
      catalog: async (tx) => {
        // Provisioning until the switch: no backup, placement or migration takes it for a live instance before then.
        await tx.storageInstance.createMany({ data: [{ ...silo, status: "provisioning" }], skipDuplicates: true });
      },
    };
  },
};

export const stagedStartStep = defineStep({
  name: "start",
  label: "Mark the tenant as restoring",
  changesTenant: true,
  // journalFrom: when the routing version naming the journal was written (0: a restore begun before journals).
  output: z.object({ copyFrom: z.number(), journalFrom: z.number().default(0) }),
  async run({ deps, output, signal, operation }: Ctx) {
    const { plan } = output(validatedPlan);
    const journalFrom = Date.now();
    const detail = await markMoving(deps, plan.tenant.tenantId, "restoring", signal, { journal: operation.id });
    const copyFrom = await changesFrom(deps, plan.tenant.tenantId);
    return {
      output: { copyFrom, journalFrom },
      detail: `${detail}; its writes from ${new Date(copyFrom).toISOString()} on are kept`,
      catalog: async (tx) => {
        await tx.tenant.update({ where: { id: plan.tenant.tenantId }, data: { status: "restoring" } });
      },
    };
  },
});

export const stageStep = defineStep({
  name: "stage",
  label: "Write the source's items to the new placement",
  changesTenant: true,
  output: z.object({ written: z.number(), ms: z.number() }),
  async run({ deps, output, operation, signal, progress }: Ctx) {
    const { plan } = output(validatedPlan);
    const data = planData(deps, plan, operation);
    const { into } = placements(plan);
    const wanted = await sourceItems(deps, data, operation.id, plan.tenant, plan.source, signal);
    const table = data.table(into.tableName);
    const started = performance.now();
    for (let i = 0; i < wanted.length; i += stageChunk) {
      const chunk = wanted.slice(i, i + stageChunk);
      await batchWriteTenantItems(
        table,
        plan.tenant,
        chunk.map((put) => ({ put })),
        { signal, concurrency: 4 },
      );
      await deps.faultPoint?.("mid");
      const done = Math.min(wanted.length, i + stageChunk);
      await progress(done / Math.max(1, wanted.length), `${count(done)} of ${count(wanted.length)} items`);
    }
    const ms = Math.round(performance.now() - started);
    return {
      output: { written: wanted.length, ms },
      detail: `${count(wanted.length)} items written to ${into.tableName} in ${(ms / 1000).toFixed(1)} s; the tenant still works in ${plan.targets[0]!.storageInstanceId}`,
    };
  },
});

export const verifyStagedStep = defineStep({
  name: "verifyStaged",
  label: "Verify the staged items",
  changesTenant: true,
  output: z.object({ items: z.number(), contentHash: z.string() }),
  async run({ deps, output, operation, signal }: Ctx) {
    const { plan } = output(validatedPlan);
    const data = planData(deps, plan, operation);
    const { live, into } = placements(plan);
    const wanted = await sourceHashes(deps, data, operation.id, plan.tenant, plan.source, signal);
    const staged = hashesOf(
      plan.tenant.keyScheme,
      await readTenantTables(data, plan.tenant, [{ ...into, entities: live.entities }], signal),
    );
    const wrong: string[] = [];
    for (const [key, hash] of wanted) {
      const there = staged.get(key);
      if (there === undefined) wrong.push(`${describeKey(key)}: missing`);
      else if (there !== hash) wrong.push(`${describeKey(key)}: content differs`);
    }
    for (const key of staged.keys()) if (!wanted.has(key)) wrong.push(`${describeKey(key)}: not in the source`);
    const contentHash = tenantContentHash(staged);
    const expected = output(loaded).contentHash;
    if (wrong.length > 0 || contentHash !== expected)
      throw new StepFailure(
        `the staged copy in ${into.tableName} differs from the source (${wrong.length} item(s): ${wrong.slice(0, 10).join("; ")}${wrong.length > 10 ? "; …" : ""}); the tenant was not switched`,
      );
    return {
      output: { items: staged.size, contentHash },
      detail: `${count(staged.size)} items equal the source; their content hash is the ${plan.source.kind === "backup" ? "backup manifest's" : "source's"} (${contentHash.slice(0, 12)}…)`,
    };
  },
});

export const stagedCatchUpStep = defineStep({
  name: "catchUp",
  label: "Copy what the tenant wrote meanwhile",
  changesTenant: true,
  output: z.object({ since: z.number(), passes: z.number(), copied: z.number(), deleted: z.number().default(0) }),
  async run({ deps, output, operation, signal, progress }: Ctx) {
    const { plan } = output(validatedPlan);
    const { live, into, entities } = tables(deps, plan, operation);
    const started = output(stagedStartStep);
    let since = started.copyFrom;
    let total = 0;
    let passes = 0;
    for (;;) {
      const next = await changesFrom(deps, plan.tenant.tenantId);
      const pass = await copyTenantItems(live, into, plan.tenant, entities, { changedSince: since, signal });
      passes++;
      total += pass.copied;
      since = next;
      await deps.faultPoint?.("mid");
      await progress(Math.min(0.95, passes / maxCatchUpPasses), `pass ${passes}: ${pass.copied} changed items copied`);
      if (pass.copied <= settledPassItems || passes >= maxCatchUpPasses) break;
    }
    // Deletes leave no stamp: the journal names them (the freeze applies those made from here on).
    let deleted = 0;
    if (started.journalFrom > 0 && (await journalTrustFrom(deps, started.journalFrom)).trusted) {
      const journaled = await journaledKeys(deps, operation.id, plan.tenant, started.copyFrom, signal);
      deleted = (await copyKeys(live, into, plan.tenant, journaled.deleted, signal)).deleted;
    }
    return {
      output: { since, passes, copied: total, deleted },
      detail: `${count(total)} items the tenant wrote meanwhile, in ${passes} pass(es)${deleted ? `; ${count(deleted)} it deleted` : ""}`,
    };
  },
});

/**
 * The whole copy compared while the tenant keeps writing (with a journal every reader keeps): the new placement
 * holds the source's items, overwritten by what the tenant wrote since the start and without what it deleted,
 * except at keys journaled since the last catch-up pass began (not copied yet, or still changing: the freeze copies
 * and the frozen verification checks them). Then only those keys need checking while frozen. Without such a journal
 * it compares nothing and the frozen verification reads every item.
 */
export const stagedVerifyAllStep = defineStep({
  name: "verifyAll",
  label: "Verify the copy while the tenant writes",
  changesTenant: true,
  output: z.object({ journal: z.boolean(), items: z.number(), why: z.string().nullable() }),
  async run({ deps, output, operation, signal }: Ctx) {
    const { plan } = output(validatedPlan);
    const { live, into, entities } = tables(deps, plan, operation);
    const started = output(stagedStartStep);
    const trust =
      started.journalFrom > 0
        ? await journalTrustFrom(deps, started.journalFrom)
        : { trusted: false as const, why: "begun before journals" };
    if (!trust.trusted)
      return {
        output: { journal: false, items: 0, why: trust.why },
        detail: `no write journal to rely on (${trust.why}): the frozen verification reads every item`,
      };
    const [source, fromLive, inInto] = await Promise.all([
      sourceHashes(deps, planData(deps, plan, operation), operation.id, plan.tenant, plan.source, signal),
      readChanged(live, plan.tenant, entities, started.copyFrom, signal),
      readAllHashes(into, plan.tenant, entities, signal),
    ]);
    const journaled = await journaledKeys(deps, operation.id, plan.tenant, started.copyFrom, signal);
    // A journaled key the pass did not see changed: deleted, or its write never landed (then the source's item stands).
    const unseen = journaled.all.filter((key) => !fromLive.hashes.has(key));
    const stillThere = await getTenantItems(live, plan.tenant, unseen, { keysOnly: true, signal });
    const expected = new Map(source);
    for (const [key, hash] of fromLive.hashes) expected.set(key, hash);
    for (const key of unseen) if (!stillThere.has(key)) expected.delete(key);
    const inFlux = new Set((await journaledKeys(deps, operation.id, plan.tenant, output(stagedCatchUpStep).since, signal)).all);
    const wrong: string[] = [];
    const note = (key: string, what: string) => {
      if (!inFlux.has(key)) wrong.push(`${describeKey(key)}: ${what}`);
    };
    for (const [key, hash] of expected) {
      const there = inInto.get(key);
      if (there === undefined) note(key, `missing in ${into.tableName}`);
      else if (there !== hash) note(key, `differs in ${into.tableName}`);
    }
    for (const key of inInto.keys()) if (!expected.has(key)) note(key, `in ${into.tableName}, neither the source's nor the tenant's`);
    if (wrong.length > 0)
      throw new StepFailure(
        `The copy differs in ${wrong.length} item(s): ${wrong.slice(0, 10).join("; ")}${wrong.length > 10 ? "; …" : ""}. The tenant was not switched.`,
      );
    return {
      output: { journal: true, items: inInto.size, why: null },
      detail: `${count(inInto.size)} items compared with the source and the tenant's ${count(fromLive.hashes.size)} writes since the start; ${count(inFlux.size)} still changing are checked while frozen`,
    };
  },
});

/** A frozen pass that read at most this many changed items records their hashes for the verification (else it reads them again). */
const maxRecordedChanges = 5_000;
const liveReadSchema = z.object({ since: z.number(), count: z.number().int(), hashes: z.record(z.string(), z.string()) }).nullable();

const journaledSchema = z
  .object({ keys: z.number().int(), deleted: z.number().int(), hashes: z.record(z.string(), z.string()).nullable() })
  .nullable();

export const stagedFreezeStep = defineStep({
  name: "freeze",
  label: "Freeze writes and copy the last changes",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({
    frozenSince: z.string().nullable(),
    copied: z.number(),
    liveRead: liveReadSchema.default(null),
    /** With the journal: the keys it named since the last catch-up pass, and what the live placement held there. */
    journaled: journaledSchema.default(null),
  }),
  async run({ deps, output, operation, signal }: Ctx) {
    const { plan } = output(validatedPlan);
    // The source's items and their hashes are ready before the freeze (the verification needs them; a new worker computes them again).
    await sourceHashes(deps, planData(deps, plan, operation), operation.id, plan.tenant, plan.source, signal);
    const frozen = await freezeWrites(deps, plan.tenant.tenantId, signal);
    const { live, into, entities } = tables(deps, plan, operation);
    // The journal still names every write if no reader of an older library version appeared since the comparison.
    const journalFrom = output(stagedStartStep).journalFrom;
    if (output(stagedVerifyAllStep).journal && (await journalTrustFrom(deps, journalFrom)).trusted) {
      const keys = (await journaledKeys(deps, operation.id, plan.tenant, output(stagedCatchUpStep).since, signal)).all;
      const applied = await copyKeys(live, into, plan.tenant, keys, signal);
      const hashes = keys.length <= maxRecordedChanges ? Object.fromEntries(applied.hashes) : null;
      return {
        output: {
          frozenSince: frozen.frozenSince,
          copied: applied.written,
          liveRead: null,
          journaled: { keys: keys.length, deleted: applied.deleted, hashes },
        },
        detail:
          keys.length === 0
            ? `${frozen.detail}; the journal named no key since the last pass: nothing to copy`
            : `${frozen.detail}; the journal named ${count(keys.length)} key(s) since the last pass: ${count(applied.written)} copied, ${count(applied.deleted)} deleted`,
      };
    }
    // Without a journal: one pass over the tenant's items where it lives: it copies what changed since the last catch-up
    // pass, and records everything the tenant wrote since the restore began, which the verification compares with the copy.
    const since = output(stagedStartStep).copyFrom;
    const readHashes = new Map<string, string>();
    const last = await copyTenantItems(live, into, plan.tenant, entities, {
      changedSince: since,
      writeChangedSince: output(stagedCatchUpStep).since,
      readHashes,
      signal,
    });
    const liveRead = readHashes.size <= maxRecordedChanges ? { since, count: last.scanned, hashes: Object.fromEntries(readHashes) } : null;
    return {
      output: { frozenSince: frozen.frozenSince, copied: last.copied, liveRead, journaled: null },
      detail: `${frozen.detail}; ${last.copied} last changes copied (${count(last.scanned)} items read in ${Math.round(last.ms)} ms)`,
    };
  },
});

/**
 * While frozen: every item the tenant wrote since the restore began is in the new placement as it is at the old
 * one; nothing else there was written since; and it holds exactly the source's keys and those items' keys. With the
 * journal, the comparison made while the tenant wrote settled every key but those journaled since the last catch-up
 * pass, and only those are read, in both placements. Without it, what the tenant wrote is the freeze's own record of
 * its pass (made while frozen, so still true), and the whole new placement is read.
 */
export const stagedVerifyStep = defineStep({
  name: "verify",
  label: "Verify (frozen)",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({ items: z.number().nullable(), changed: z.number(), ms: z.number() }),
  async run(ctx: Ctx) {
    if (ctx.output(stagedFreezeStep).journaled) return verifyJournaled(ctx);
    const { deps, output, operation, signal } = ctx;
    const started = performance.now();
    const { plan } = output(validatedPlan);
    const { live, into, entities } = tables(deps, plan, operation);
    const since = output(stagedStartStep).copyFrom;
    const recorded = output(stagedFreezeStep).liveRead;
    const [source, fromLive, fromInto] = await Promise.all([
      sourceHashes(deps, planData(deps, plan, operation), operation.id, plan.tenant, plan.source, signal),
      recorded && recorded.since === since
        ? { count: recorded.count, hashes: new Map(Object.entries(recorded.hashes)) }
        : readChanged(live, plan.tenant, entities, since, signal),
      readChanged(into, plan.tenant, entities, since, signal),
    ]);
    await deps.faultPoint?.("mid"); // compared, not yet judged
    const wrong: string[] = [];
    for (const [key, hash] of fromLive.hashes) {
      const there = fromInto.hashes.get(key);
      if (there === undefined) wrong.push(`${describeKey(key)}: written by the tenant, missing in ${into.tableName}`);
      else if (there !== hash) wrong.push(`${describeKey(key)}: written by the tenant, differs in ${into.tableName}`);
    }
    // Items stamped since the start that the tenant did not write: only the source's own (stamped within the skew allowance).
    for (const [key, hash] of fromInto.hashes)
      if (!fromLive.hashes.has(key) && source.get(key) !== hash) wrong.push(`${describeKey(key)}: written to ${into.tableName} by another`);
    let added = 0;
    for (const key of fromLive.hashes.keys()) if (!source.has(key)) added++;
    const expected = source.size + added;
    if (fromInto.count !== expected)
      wrong.push(
        `${into.tableName} holds ${count(fromInto.count)} items; the source's ${count(source.size)} and ${count(added)} new ones the tenant wrote make ${count(expected)}`,
      );
    failIfWrong(wrong);
    const ms = Math.round(performance.now() - started);
    return {
      output: { items: fromInto.count, changed: fromLive.hashes.size, ms },
      detail: `${count(fromInto.count)} items: the source's, with the ${count(fromLive.hashes.size)} the tenant wrote meanwhile (${ms} ms)`,
    };
  },
});

async function verifyJournaled({ deps, output, operation, signal }: Ctx) {
  const started = performance.now();
  const { plan } = output(validatedPlan);
  const { live, into } = tables(deps, plan, operation);
  const recorded = output(stagedFreezeStep).journaled!;
  // Frozen since the freeze step: the journal names the same keys now.
  const keys = (await journaledKeys(deps, operation.id, plan.tenant, output(stagedCatchUpStep).since, signal)).all;
  const [fromLive, fromInto] = await Promise.all([
    recorded.hashes ? new Map(Object.entries(recorded.hashes)) : hashesAt(live, plan.tenant, keys, signal),
    hashesAt(into, plan.tenant, keys, signal),
  ]);
  await deps.faultPoint?.("mid"); // compared, not yet judged
  const what = {
    "missing in target": "written by the tenant, missing in",
    "only in target": "deleted by the tenant, still in",
    "content differs": "written by the tenant, differs in",
  };
  failIfWrong(keyDifferences(fromLive, fromInto, keys).map((d) => `${describeKey(d.key)}: ${what[d.kind]} ${into.tableName}`));
  const ms = Math.round(performance.now() - started);
  return {
    output: { items: null, changed: keys.length, ms },
    detail:
      keys.length === 0
        ? `the tenant wrote or deleted nothing since the last catch-up pass; the rest was compared while it wrote (${ms} ms)`
        : `the ${count(keys.length)} key(s) the tenant wrote or deleted since the last catch-up pass are the same in both placements; the rest was compared while it wrote (${ms} ms)`,
  };
}

function failIfWrong(wrong: string[]): void {
  if (wrong.length > 0)
    throw new StepFailure(
      `Verification found ${wrong.length} difference(s): ${wrong.slice(0, 10).join("; ")}${wrong.length > 10 ? "; …" : ""}. The tenant was not switched.`,
    );
}

/**
 * One routing write switches the tenant to the new placement and lifts the freeze; the catalog follows in the
 * checkpoint. The tenant stays marked as restoring (its readers keep acknowledging its record) until the clean-up
 * knows every reader has seen the switch.
 */
export const switchStep = defineStep({
  // Named as the in-place restore's last frozen step: the point of no return of every restore that freezes.
  name: "unfreeze",
  label: "Switch to the restored copy",
  changesTenant: true,
  holdsFreeze: true,
  output: z.object({ frozenMs: z.number().nullable(), switchedAt: z.number() }),
  async run({ deps, output }: Ctx) {
    const { plan } = output(validatedPlan);
    const { into } = placements(plan);
    const tenantId = plan.tenant.tenantId;
    const client = deps.dynamoDb(deps.routingRegion);
    const current = await getRoutingRecord(client, tenantId, deps.routingTable);
    if (!current) throw new Error(`tenant ${tenantId} has no routing record`);
    const frozenSince = current.frozenSince ?? output(stagedFreezeStep).frozenSince;
    const alreadySwitched = current.placement.tableName === into.tableName && !current.writeFrozen;
    const record = alreadySwitched
      ? current
      : await updateRoutingRecord(
          client,
          tenantId,
          ({ version: _v, updatedAt: _u, ...content }) => ({
            ...content,
            placement: { storageInstanceId: into.storageInstanceId, tableName: into.tableName, region: into.region },
            writeFrozen: false,
            frozenSince: null,
          }),
          deps.routingTable,
        );
    await deps.faultPoint?.("effect");
    const frozenMs = frozenSince ? Date.parse(record.updatedAt) - Date.parse(frozenSince) : null;
    return {
      output: { frozenMs, switchedAt: Date.parse(record.updatedAt) },
      detail: `now in ${into.storageInstanceId}${frozenMs !== null ? `; writes were frozen for ${(frozenMs / 1000).toFixed(2)} s` : ""}`,
      catalog: async (tx) => {
        if (into.mode === "silo") await tx.storageInstance.update({ where: { id: into.storageInstanceId }, data: { status: "active" } });
        await tx.tenant.update({ where: { id: tenantId }, data: { storageInstanceId: into.storageInstanceId } });
      },
    };
  },
});

/** Once every reader has seen the switch: the tenant's items at the old placement deleted (a silo of its own retired), and the tenant active. */
export const cleanUpStep = defineStep({
  name: "cleanUp",
  label: "Delete the old placement's items",
  changesTenant: true,
  output: z.object({ deleted: z.number() }),
  async run({ deps, output, operation, signal, progress }: Ctx) {
    const { plan } = output(validatedPlan);
    const { live: old } = placements(plan);
    const tenantId = plan.tenant.tenantId;
    const client = deps.dynamoDb(deps.routingRegion);
    let record = await getRoutingRecord(client, tenantId, deps.routingTable);
    // The journal is no longer needed: readers stop keeping it (and it is deleted) before the tenant is settled.
    if (record && isMoving(record) && record.journal !== null)
      record = await updateRoutingRecord(
        client,
        tenantId,
        ({ version: _v, updatedAt: _u, ...content }) => ({ ...content, journal: null }),
        deps.routingTable,
      );
    // Readers still holding the record from before the switch read the old placement: none may once it is emptied.
    // (Still restoring: readers acknowledge it. Already active: an earlier run waited before it made it so.)
    if (record && isMoving(record)) await waitForReaders(client, tenantId, record.version, { signal });
    await deleteJournal(client, operation.id);
    const { live } = tables(deps, plan, operation);
    const deleted = await deleteTenantItems(live, plan.tenant, old.entities, {
      signal,
      onProgress: async (n) => {
        await deps.faultPoint?.("mid");
        await progress(0.5, `${count(n)} items deleted`);
      },
    });
    if (record && isMoving(record))
      await updateRoutingRecord(
        client,
        tenantId,
        ({ version: _v, updatedAt: _u, ...content }) => ({ ...content, status: "active" }),
        deps.routingTable,
      );
    await deps.faultPoint?.("effect");
    const oldInstance = await deps.db.storageInstance.findUnique({ where: { id: old.storageInstanceId }, select: { mode: true } });
    return {
      output: { deleted },
      detail: `${count(deleted)} items deleted from ${old.tableName}${oldInstance?.mode === "silo" ? `; ${old.storageInstanceId} retired` : ""}`,
      catalog: async (tx) => {
        await tx.tenant.update({ where: { id: tenantId }, data: { status: "active" } });
        if (oldInstance?.mode === "silo") await retireIfUnused(tx, old.storageInstanceId);
      },
    };
  },
});

/**
 * Undoing a staged restore that failed before its switch: the tenant unfrozen where it is, the staged copy removed
 * (a new silo's table dropped and its instance retired). If routing already points at the new placement, the switch
 * was made: the tenant stays there, unfrozen, and the catalog follows.
 */
export async function undoStaged(ctx: CompensationContext<RestoreParameters>, plan: Plan): Promise<StepEffects & { done: string[] }> {
  const { deps } = ctx;
  const { into } = placements(plan);
  const tenantId = plan.tenant.tenantId;
  const client = deps.dynamoDb(deps.routingRegion);
  const current = await getRoutingRecord(client, tenantId, deps.routingTable);
  const settle = () => settleMoved(deps, tenantId);
  if (current?.placement.tableName === into.tableName) {
    if (current.writeFrozen || isMoving(current)) await settle();
    await deleteJournal(client, ctx.operation.id);
    return {
      done: [`the switch to ${into.storageInstanceId} had already been made; the tenant stays there, unfrozen`],
      catalog: async (tx) => {
        if (into.mode === "silo") await tx.storageInstance.update({ where: { id: into.storageInstanceId }, data: { status: "active" } });
        await tx.tenant.update({ where: { id: tenantId }, data: { storageInstanceId: into.storageInstanceId, status: "active" } });
      },
    };
  }
  const done: string[] = [];
  if (current && (current.writeFrozen || isMoving(current))) {
    await settle();
    done.push(`writes unfrozen, the tenant still in ${plan.targets[0]!.storageInstanceId}`);
  }
  // Read only by this restore; readers stop adding to it once they see the tenant settled.
  await deleteJournal(client, ctx.operation.id);
  if (plan.staging?.newSilo) {
    if ((await dropTable(deps.dynamoDb(into.region), into.tableName)) === "dropped") done.push(`the new table ${into.tableName} deleted`);
  } else {
    // Whatever of the tenant's is there was staged by this restore: validate chose a pool holding none of its items.
    const removed = await deleteTenantItems(tables(deps, plan, ctx.operation).into, plan.tenant, plan.targets[0]!.entities, {
      signal: ctx.signal,
    });
    if (removed > 0) done.push(`${count(removed)} staged items removed from ${into.tableName}`);
  }
  return {
    done,
    catalog: async (tx) => {
      await tx.tenant.updateMany({ where: { id: tenantId, status: "restoring" }, data: { status: "active" } });
      if (plan.staging?.newSilo) {
        const exists = await tx.storageInstance.findUnique({ where: { id: into.storageInstanceId }, select: { id: true } });
        if (exists) await retireIfUnused(tx, into.storageInstanceId);
      }
    },
  };
}

export const stagedSteps = [
  prepareStagingStep,
  stagedStartStep,
  stageStep,
  verifyStagedStep,
  stagedCatchUpStep,
  stagedVerifyAllStep,
  stagedFreezeStep,
  stagedVerifyStep,
  switchStep,
  cleanUpStep,
];
