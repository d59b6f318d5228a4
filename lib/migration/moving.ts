// The steps that move a tenant's items from one table to another while it
// keeps working, shared by a migration and its rollback:
//   start (mark moving) → [copy] → catch up → verify every item → freeze →
//   verify what changed → cut over.
// Changes are found by the change stamp every writer sets (the key scheme's
// `changeStamp`, `updatedAt` by default) (dynalite has no streams); each pass
// reads from the time the data-plane readers vouched for when the previous
// pass began (every write landing later was stamped after it:
// lib/routing/readers.ts), less `changeSkewMs` for clocks, so a write that
// lands late is still copied. The move's routing record names a write journal
// (lib/routing/journal.ts): with one every reader keeps, the frozen steps copy
// and compare only the keys it names since the full comparison (deletes
// included) and those the comparison found in flux, so the freeze does not
// grow with the tenant. Without one they read every changed item, and an item
// that disappears from the source is caught by the comparisons (an "only in
// target" item is removed while frozen if the source still lacks it; a count
// difference aborts).
import { z } from "zod";
import { compareAll, compareChanged, hashesAt, keyDifferences, type Comparison, type Difference } from "../storage/tenant-compare";
import { copyKeys, copyTenantItems } from "../storage/tenant-copy";
import { isMoving, type RoutingContent } from "../routing/record";
import { getRoutingRecord, updateRoutingRecord } from "../routing/routing-table";
import { tenantEntities } from "../storage/tenant-items";
import { defaultKeyScheme, keySchemeSchema } from "../storage/key-scheme";
import {
  batchWriteTenantItems,
  deleteTenantItems,
  describeKey,
  getTenantItems,
  keyFromItemKey,
  RateLimiter,
  type TenantTable,
} from "../storage/tenant-partitions";
import type { OperationDeps } from "../operations/deps";
import { deleteJournal } from "../routing/journal";
import { changesFrom, freezeWrites, journaledKeys, journalTrustFrom, markMoving, settleMoved } from "../routing/tenant-moves";
import {
  defineStep,
  StepFailure,
  stepOutput,
  type CompensationContext,
  type OperationRef,
  type RecordedOutputs,
  type StepEffects,
  type StepOutput,
} from "../operations/definition";
import { operationLabel, tenantData } from "../operations/tenant-data";
import { retireIfUnused } from "../placement/silo";

/** A frozen pass that copied at most this many items records their hashes for the verification (else it reads the source again). */
const maxRecordedChanges = 5_000;
const sourceReadSchema = z.object({ since: z.number(), count: z.number().int(), hashes: z.record(z.string(), z.string()) }).nullable();
/** Catch-up passes stop once a pass copies at most this many items (the freeze copies the rest). */
const settledPassItems = 200;
const maxCatchUpPasses = 8;

const placementSchema = z.object({
  storageInstanceId: z.string(),
  tableName: z.string(),
  region: z.string(),
  mode: z.enum(["pool", "silo"]),
});
export const moveSchema = z.object({
  tenantId: z.string(),
  keyPrefix: z.string(),
  /** How the items are keyed, at the source and the target alike (a move copies items verbatim); older records: the default. */
  keyScheme: keySchemeSchema.default(defaultKeyScheme),
  /** The entities that live in the main placement (all but a bridge tenant's siloed one). */
  entities: z.array(z.enum(tenantEntities)),
  source: placementSchema,
  target: placementSchema,
  /** The deployment model once the tenant is in the target. */
  targetModel: z.enum(["pool", "silo", "bridge"]),
  /** Items per second the copy may write (0: no cap). */
  copyRatePerSec: z.number().int().min(0),
  /** Undoing removes the target copy (a migration's new copy), or keeps it (a rollback's target is the retained source copy). */
  removeTargetOnUndo: z.boolean(),
  /** A silo instance this move registered: retired when the move is undone. */
  createdInstanceId: z.string().nullable(),
});
export type Move = z.infer<typeof moveSchema>;
export type MovePlacement = Move["source"];

/**
 * Where the moving steps find their move: the kind's validate step, which
 * records it (and, for a migration, the tenant's item count, for progress).
 */
type MoveValidation = StepOutput<{ move: Move; items?: number }>;

/** A validate step's move, for readers of any kind's validate step (another operation's, for one). */
export const recordedMove = stepOutput("validate", z.object({ move: moveSchema }));

/** What each moving step records, by step: later steps, the operation page, plans and benchmarks read these. */
export const moveOutputs = {
  // journalFrom: when the routing version naming the move's write journal was written (0: a move begun before journals).
  start: stepOutput("start", z.object({ copyFrom: z.number(), journalFrom: z.number().default(0) })),
  copy: stepOutput("copy", z.object({ copied: z.number(), ms: z.number(), itemsPerSec: z.number() })),
  catchUp: stepOutput("catchUp", z.object({ since: z.number(), passes: z.number(), copied: z.number() })),
  verifyAll: stepOutput(
    "verifyAll",
    z.object({ since: z.number(), recheck: z.array(z.string()), onlyInTarget: z.array(z.string()), items: z.number().optional() }),
  ),
  freeze: stepOutput(
    "freeze",
    z.object({
      frozenSince: z.string().nullable(),
      copied: z.number(),
      removed: z.number(),
      /** The source as the frozen pass read it; absent (older records) or unreadable: the verification reads the source again. */
      sourceRead: sourceReadSchema.optional().catch(undefined),
      /** With the write journal: how many keys it (and the full comparison's re-checks) named, and the source's side of them. */
      journaled: z
        .object({ keys: z.number().int(), hashes: z.record(z.string(), z.string()).nullable() })
        .nullable()
        .default(null),
    }),
  ),
  verify: stepOutput("verify", z.object({ items: z.number(), compared: z.number(), ms: z.number() })),
  cutOver: stepOutput("cutOver", z.object({ freezeMs: z.number().nullable(), switchedAt: z.number(), version: z.number() })),
};

/** The tenant's source and target tables, through a client scoped to the tenant and these two tables. */
function tables(deps: OperationDeps, move: Move, operation: OperationRef): { source: TenantTable; target: TenantTable } {
  const data = tenantData(deps, {
    tenantId: move.tenantId,
    keyScheme: move.keyScheme,
    operation: operationLabel(operation),
    tables: [move.source, move.target],
  });
  return { source: data.table(move.source.tableName), target: data.table(move.target.tableName) };
}

const keys = (move: Move) => ({ tenantId: move.tenantId, keyScheme: move.keyScheme });

function placementOf(p: MovePlacement): RoutingContent["placement"] {
  return { storageInstanceId: p.storageInstanceId, tableName: p.tableName, region: p.region };
}

function formatDifferences(differences: Difference[], total: number): string {
  const shown = differences.slice(0, 10).map((d) => `${d.key ? describeKey(d.key) : "item count"}: ${d.kind}`);
  return `${shown.join("; ")}${total > shown.length ? `; and ${total - shown.length} more` : ""}`;
}

/** Marks the tenant as moving (readers then re-read its routing record every movingRoutingTtlMs) and waits until every reader has seen it. */
export function startStep(validate: MoveValidation) {
  return defineStep({
    ...moveOutputs.start,
    label: "Mark the tenant as moving",
    changesTenant: true,
    async run({ deps, output, signal, operation }) {
      const { move } = output(validate);
      const journalFrom = Date.now();
      const detail = await markMoving(deps, move.tenantId, "migrating", signal, { journal: operation.id });
      const since = await changesFrom(deps, move.tenantId);
      return {
        output: { copyFrom: since, journalFrom },
        detail,
        catalog: async (tx) => {
          await tx.tenant.update({ where: { id: move.tenantId }, data: { status: "migrating" } });
        },
      };
    },
  });
}

/** Copies every item (rate-limited), overwriting whatever the target holds under the tenant's keys. */
export function copyStep(validate: MoveValidation) {
  return defineStep({
    ...moveOutputs.copy,
    label: "Copy items",
    changesTenant: true,
    async run({ deps, output, signal, progress, operation }) {
      const { move, items } = output(validate);
      const { source, target } = tables(deps, move, operation);
      const expected = Math.max(1, items ?? 0);
      const result = await copyTenantItems(source, target, keys(move), move.entities, {
        signal,
        limiter: new RateLimiter(move.copyRatePerSec),
        writeConcurrency: 2,
        onProgress: async (copied) => {
          await deps.faultPoint?.("mid");
          await progress(
            Math.min(0.99, copied / expected),
            `${copied.toLocaleString("en-US")} of ~${expected.toLocaleString("en-US")} items`,
          );
        },
      });
      const perSec = result.copied / Math.max(0.001, result.ms / 1000);
      return {
        output: { copied: result.copied, ms: Math.round(result.ms), itemsPerSec: Math.round(perSec) },
        detail: `${result.copied.toLocaleString("en-US")} items in ${(result.ms / 1000).toFixed(1)} s (${Math.round(perSec).toLocaleString("en-US")} items/s)`,
      };
    },
  });
}

/** Copies what the tenant wrote since `from` (read from earlier steps' outputs), pass after pass, until a pass finds little left. */
export function catchUpStep(validate: MoveValidation, label: string, from: (recorded: RecordedOutputs) => number) {
  return defineStep({
    ...moveOutputs.catchUp,
    label,
    changesTenant: true,
    async run(ctx) {
      const { deps, output, signal, progress, operation } = ctx;
      const { move } = output(validate);
      const { source, target } = tables(deps, move, operation);
      const limiter = new RateLimiter(move.copyRatePerSec);
      let since = from(ctx);
      let total = 0;
      let passes = 0;
      for (;;) {
        const next = await changesFrom(deps, move.tenantId);
        const pass = await copyTenantItems(source, target, keys(move), move.entities, { changedSince: since, signal, limiter });
        passes++;
        total += pass.copied;
        since = next;
        await deps.faultPoint?.("mid");
        await progress(Math.min(0.95, passes / maxCatchUpPasses), `pass ${passes}: ${pass.copied} changed items copied`);
        if (pass.copied <= settledPassItems || passes >= maxCatchUpPasses) break;
      }
      return { output: { since, passes, copied: total }, detail: `${total.toLocaleString("en-US")} changed items in ${passes} pass(es)` };
    },
  });
}

/** Compares every item of both copies while the tenant still writes; what differs is re-checked while frozen. */
export function verifyAllStep(validate: MoveValidation) {
  return defineStep({
    ...moveOutputs.verifyAll,
    label: "Verify every item",
    changesTenant: true,
    async run({ deps, output, signal, progress, operation }) {
      const { move, items } = output(validate);
      const { source, target } = tables(deps, move, operation);
      const startedAt = await changesFrom(deps, move.tenantId);
      await deps.faultPoint?.("mid"); // before comparing
      const expected = Math.max(1, items ?? 0);
      const result = await compareAll(source, target, keys(move), move.entities, {
        signal,
        onProgress: (compared) => progress(Math.min(0.99, compared / expected), `${compared.toLocaleString("en-US")} items compared`),
      });
      if (result.differences.length >= 10_000) {
        throw new StepFailure(
          `the copies differ in more than 10,000 items (${formatDifferences(result.differences, result.differences.length)}); the tenant writes faster than the copy catches up`,
        );
      }
      // With the journal, the frozen steps copy what differs here: a difference at a key the tenant did not write or
      // delete since the move began was made behind the migration's back, and is reported, not repaired.
      const { copyFrom, journalFrom } = output(moveOutputs.start);
      if (journalFrom > 0 && result.differences.length > 0 && (await journalTrustFrom(deps, journalFrom)).trusted) {
        const written = new Set((await journaledKeys(deps, operation.id, keys(move), copyFrom, signal)).all);
        const unexplained = result.differences.filter((d) => !written.has(d.key));
        if (unexplained.length > 0)
          throw new StepFailure(
            `Verification found ${unexplained.length} difference(s) the tenant did not make since the move began (no write of it names these keys): ${formatDifferences(unexplained, unexplained.length)}. The cut-over was not made.`,
          );
      }
      return {
        output: {
          since: startedAt,
          recheck: result.differences.map((d) => d.key),
          onlyInTarget: result.differences.filter((d) => d.kind === "only in target").map((d) => d.key),
          items: result.sourceCount,
        },
        detail: `${result.compared.toLocaleString("en-US")} items identical, ${result.differences.length} in flux (re-checked while frozen), ${(result.ms / 1000).toFixed(1)} s`,
      };
    },
  });
}

/** Freezes the tenant's writes, waits until every reader honours it, then copies the last changes. */
export function freezeStep(validate: MoveValidation) {
  return defineStep({
    ...moveOutputs.freeze,
    label: "Freeze writes and copy the last changes",
    changesTenant: true,
    holdsFreeze: true,
    async run({ deps, output, signal, operation }) {
      const { move } = output(validate);
      const frozen = await freezeWrites(deps, move.tenantId, signal);
      const { source, target } = tables(deps, move, operation);
      const verifiedAll = output(moveOutputs.verifyAll);
      const since = Math.min(output(moveOutputs.catchUp).since, verifiedAll.since);
      // With a journal every reader keeps: only the keys it names since then, and those the full comparison found in flux.
      const keysToCheck = await journaledSince(deps, output, operation.id, move, since, signal);
      if (keysToCheck) {
        const copied = await copyKeys(source, target, keys(move), keysToCheck, signal);
        const hashes = keysToCheck.length <= maxRecordedChanges ? Object.fromEntries(copied.hashes) : null;
        return {
          output: {
            frozenSince: frozen.frozenSince,
            copied: copied.written,
            removed: copied.deleted,
            sourceRead: null,
            journaled: { keys: keysToCheck.length, hashes },
          },
          detail:
            keysToCheck.length === 0
              ? `${frozen.detail}; nothing written, deleted or in flux since the full comparison: nothing to copy`
              : `${frozen.detail}; the journal and the full comparison named ${keysToCheck.length} key(s): ${copied.written} copied, ${copied.deleted} deleted`,
        };
      }
      const readHashes = new Map<string, string>();
      const last = await copyTenantItems(source, target, keys(move), move.entities, { changedSince: since, signal, readHashes });
      // Items the full comparison found only in the target: removed if the source still has no such item.
      const { onlyInTarget } = verifiedAll;
      const stale = onlyInTarget.length ? await absentFromSource(source, move, onlyInTarget) : [];
      if (stale.length > 0)
        await batchWriteTenantItems(
          target,
          keys(move),
          stale.map((deleteKey) => ({ deleteKey })),
          { signal },
        );
      // The source as read while frozen: the verification compares the target with it (small enough to keep, or read again).
      const sourceRead =
        readHashes.size <= maxRecordedChanges ? { since, count: last.scanned, hashes: Object.fromEntries(readHashes) } : null;
      return {
        output: { frozenSince: frozen.frozenSince, copied: last.copied, removed: stale.length, sourceRead, journaled: null },
        detail: `${frozen.detail}; ${last.copied} last changes copied${stale.length ? `, ${stale.length} removed` : ""}`,
      };
    },
  });
}

/**
 * The keys to copy and check under the freeze when the move's write journal can be relied on (every reader keeps it):
 * those it names since `since` and those the full comparison found in flux. Null without such a journal.
 */
async function journaledSince(
  deps: OperationDeps,
  output: <T>(ref: StepOutput<T>) => T,
  journalId: string,
  move: Move,
  since: number,
  signal: AbortSignal,
): Promise<string[] | null> {
  const journalFrom = output(moveOutputs.start).journalFrom;
  if (journalFrom === 0 || !(await journalTrustFrom(deps, journalFrom)).trusted) return null;
  const journaled = await journaledKeys(deps, journalId, keys(move), since, signal);
  return [...new Set([...journaled.all, ...output(moveOutputs.verifyAll).recheck])];
}

/** Of `keyList`, the keys the source does not hold, as keys to delete. */
async function absentFromSource(source: TenantTable, move: Move, keyList: string[]) {
  const present = await getTenantItems(source, keys(move), keyList, { keysOnly: true });
  return keyList.filter((key) => !present.has(key)).map((key) => keyFromItemKey(move.keyScheme, key));
}

/** While frozen: everything written since the full comparison began, what it found different, and every partition's count. */
export function verifyFrozenStep(validate: MoveValidation) {
  return defineStep({
    ...moveOutputs.verify,
    label: "Verify (frozen)",
    changesTenant: true,
    holdsFreeze: true,
    async run({ deps, output, signal, operation }) {
      const { move } = output(validate);
      const { source, target } = tables(deps, move, operation);
      const verifiedAll = output(moveOutputs.verifyAll);
      const { recheck } = verifiedAll;
      const since = Math.min(output(moveOutputs.catchUp).since, verifiedAll.since);
      const journaled = output(moveOutputs.freeze).journaled;
      if (journaled) {
        const started = performance.now();
        // Frozen since the freeze step: the journal names the same keys now.
        const keyList = (await journaledSince(deps, output, operation.id, move, since, signal))!;
        const [atSource, atTarget] = await Promise.all([
          journaled.hashes ? new Map(Object.entries(journaled.hashes)) : hashesAt(source, keys(move), keyList, signal),
          hashesAt(target, keys(move), keyList, signal),
        ]);
        await deps.faultPoint?.("mid"); // compared, not yet judged
        const differences = keyDifferences(atSource, atTarget, keyList);
        if (differences.length > 0)
          throw new StepFailure(
            `Verification found ${differences.length} difference(s) between ${move.source.tableName} and ${move.target.tableName} at the keys written since the full comparison: ${formatDifferences(differences, differences.length)}. The cut-over was not made.`,
          );
        const ms = Math.round(performance.now() - started);
        return {
          output: { items: verifiedAll.items ?? 0, compared: keyList.length, ms },
          detail:
            keyList.length === 0
              ? `nothing written, deleted or in flux since the full comparison (${ms} ms); the rest was compared while the tenant wrote`
              : `the ${keyList.length} key(s) written, deleted or in flux since the full comparison are identical on both sides (${ms} ms); the rest was compared while the tenant wrote`,
        };
      }
      const recorded = output(moveOutputs.freeze).sourceRead;
      const knownSource =
        recorded && recorded.since === since ? { count: recorded.count, hashes: new Map(Object.entries(recorded.hashes)) } : undefined;
      const result: Comparison = await compareChanged(source, target, keys(move), move.entities, since, recheck, { signal, knownSource });
      await deps.faultPoint?.("mid"); // compared, not yet judged
      if (result.differences.length > 0) {
        throw new StepFailure(
          `Verification found ${result.differences.length} difference(s) between ${move.source.tableName} (${result.sourceCount} items) and ${move.target.tableName} (${result.targetCount} items): ${formatDifferences(result.differences, result.differences.length)}. The cut-over was not made.`,
        );
      }
      return {
        output: { items: result.sourceCount, compared: result.compared, ms: Math.round(result.ms) },
        detail: `${result.sourceCount.toLocaleString("en-US")} items on both sides; ${result.compared} changed or in-flux items identical (${Math.round(result.ms)} ms)`,
      };
    },
  });
}

/** One routing write switches the placement and lifts the freeze; the catalog follows in the checkpoint. */
export function cutOverStep(validate: MoveValidation) {
  return defineStep({
    ...moveOutputs.cutOver,
    label: "Cut over",
    changesTenant: true,
    holdsFreeze: true,
    async run({ deps, output, operation }) {
      const { move } = output(validate);
      const client = deps.dynamoDb(deps.routingRegion);
      const current = await getRoutingRecord(client, move.tenantId, deps.routingTable);
      if (!current) throw new Error(`tenant ${move.tenantId} has no routing record`);
      const switchedAt = new Date();
      const frozenSince = current.frozenSince ?? output(moveOutputs.freeze).frozenSince;
      const alreadySwitched = current.placement.tableName === move.target.tableName && !current.writeFrozen && !isMoving(current);
      const record = alreadySwitched
        ? current
        : await updateRoutingRecord(
            client,
            move.tenantId,
            ({ version: _v, updatedAt: _u, ...content }) => ({
              ...content,
              status: "active",
              deploymentModel: move.targetModel,
              placement: placementOf(move.target),
              writeFrozen: false,
              frozenSince: null,
              journal: null,
            }),
            deps.routingTable,
          );
      await deps.faultPoint?.("effect");
      // Frozen until the write above and active after it: no reader journals for the tenant any more.
      await deleteJournal(client, operation.id);
      const freezeMs = frozenSince ? Date.parse(record.updatedAt) - Date.parse(frozenSince) : null;
      return {
        output: { freezeMs, switchedAt: alreadySwitched ? Date.parse(current.updatedAt) : switchedAt.getTime(), version: record.version },
        detail: `now in ${move.target.storageInstanceId}${freezeMs !== null ? `; writes were frozen for ${(freezeMs / 1000).toFixed(2)} s` : ""}`,
        catalog: async (tx) => {
          if (move.target.mode === "silo")
            await tx.storageInstance.update({ where: { id: move.target.storageInstanceId }, data: { status: "active" } });
          await tx.tenant.update({
            where: { id: move.tenantId },
            data: { storageInstanceId: move.target.storageInstanceId, deploymentModel: move.targetModel, status: "active" },
          });
        },
      };
    },
  });
}

/**
 * Undoing a move that failed before its cut-over: unfreeze, routing back to
 * active at the source, and (for a migration) the target copy removed. If the
 * routing record already points at the target, the switch happened and the
 * tenant stays there: the catalog is brought in line instead.
 */
export function undoMove(validate: MoveValidation): (ctx: CompensationContext<unknown>) => Promise<StepEffects> {
  return (ctx) => undoMoveOf(validate, ctx);
}

async function undoMoveOf(validate: MoveValidation, ctx: CompensationContext<unknown>): Promise<StepEffects> {
  const validated = ctx.outputIfAny(validate);
  if (!validated) return {}; // failed while validating: nothing was changed
  const { move } = validated;
  const { deps } = ctx;
  const client = deps.dynamoDb(deps.routingRegion);
  const current = await getRoutingRecord(client, move.tenantId, deps.routingTable);
  /** Active and unfrozen wherever the routing record points now. */
  const settle = () => settleMoved(deps, move.tenantId);
  if (
    current &&
    current.placement.tableName === move.target.tableName &&
    current.placement.storageInstanceId === move.target.storageInstanceId
  ) {
    if (current.writeFrozen || isMoving(current)) {
      await settle();
    }
    return {
      detail: `The switch to ${move.target.storageInstanceId} had already been made; the tenant stays there, unfrozen.`,
      catalog: async (tx) => {
        await tx.tenant.update({
          where: { id: move.tenantId },
          data: { storageInstanceId: move.target.storageInstanceId, deploymentModel: move.targetModel, status: "active" },
        });
      },
    };
  }
  if (current && (current.writeFrozen || isMoving(current))) {
    await settle();
  }
  // Read only by this move; readers stop adding to it once they see the tenant settled.
  await deleteJournal(client, ctx.operation.id);
  let removed = 0;
  if (move.removeTargetOnUndo && ctx.outputIfAny(moveOutputs.start)) {
    removed = await deleteTenantItems(tables(deps, move, ctx.operation).target, keys(move), move.entities, { signal: ctx.signal });
  }
  return {
    detail: `Undone: writes unfrozen, the tenant still in ${move.source.storageInstanceId}${move.removeTargetOnUndo ? `; ${removed.toLocaleString("en-US")} copied items removed from ${move.target.tableName}` : ""}.`,
    catalog: async (tx) => {
      await tx.tenant.updateMany({ where: { id: move.tenantId, status: "migrating" }, data: { status: "active" } });
      if (move.createdInstanceId) await retireIfUnused(tx, move.createdInstanceId);
    },
  };
}
