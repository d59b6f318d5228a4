// Offboarding a tenant, as a durable operation requested by one person and
// approved by another (definition.approval):
//   suspend → export → grace → purge → verify → retire → certificate
// suspend: the data plane refuses the tenant's reads and writes (reason
//   "offboarding"; lib/lifecycle/suspension.ts) and its writes are frozen, and
//   the step waits until every reader has seen it with no write in flight, so
//   nothing changes under the export;
// export: every item, at every placement, to the backup store, read back and
//   proved against its manifest (offboarding-export.ts);
// grace: waits until the export's time plus the grace days; cancellable
//   meanwhile: the cancel is undone by a worker (undoOnCancel: the tenant
//   resumed, or suspended again for the reason it had before, the export deleted);
// purge (the point of no return): co-tenants of each pool snapshotted, then the
//   tenant's keys deleted under a capacity cap; a silo's table dropped
//   (offboarding-purge.ts);
// verify: no item of the tenant anywhere; co-tenants as before;
// retire: catalog and routing say offboarded (the key prefix stays taken, so it
//   is never reused), a dropped silo's instance retired;
// certificate: what was deleted, when, by whom (offboarding-certificate.ts),
//   stored on the operation's result.
// Every step is safe to repeat: a worker killed anywhere is replaced by one that
// finishes it (the crash tests in lib/lifecycle/ kill it at every step).
import { z } from "zod";
import { slugPattern } from "../catalog/vocabulary";
import { defineStep, StepFailure, type CompensationContext, type OperationDefinition, type StepContext } from "../operations/definition";
import type { OperationDeps } from "../operations/deps";
import { instanceData, operationLabel, tenantData } from "../operations/tenant-data";
import { getRoutingRecord, setWriteFrozen } from "../routing/routing-table";
import { freezeWrites } from "../routing/tenant-moves";
import { publishTenantRouting } from "../routing/publish";
import { storedKeyScheme, tenantKeyPrefix } from "../storage/key-scheme";
import { tenantEntities } from "../storage/tenant-items";
import { countTenantItems, RateLimiter } from "../storage/tenant-partitions";
import { dropTable, tableExists } from "../storage/tenant-tables";
import type { SignedInUser } from "../auth/action-context";
import { tenantInstanceTargets } from "../operations/audit-targets";
import { resumeTenant, suspendTenant } from "./suspension";
import { checkExport, exportLocation, exportTenant, placementSchema, type Placement } from "./offboarding-export";
import { compareCoTenants, loadSnapshot, purgeTenantItems, saveSnapshot, scanPool, snapshotOf } from "./offboarding-purge";
import { buildCertificate, type DeletionCertificate } from "./offboarding-certificate";

/** The reason the data plane gives the tenant's callers while it is offboarded. */
export const offboardingSuspensionReason = "offboarding";
const dayMs = 86_400_000;
/** How far behind the worker's clock a data-plane host's may be when it stamps a write. */
const stampSkewAllowanceMs = 60_000;

export const offboardParameters = z.object({
  tenantId: z.string().regex(slugPattern),
  reason: z.string().min(1).max(500),
  graceDays: z.number().int().min(0).max(90),
  /** Share of a pool's write capacity the purge's deletes may use. */
  purgeCapacityShare: z.number().gt(0).max(1),
  /** Items per second for the purge instead of the share (0: no cap; benchmarks). */
  purgeItemsPerSec: z.number().int().min(0).optional(),
  /** How the tenant was when requested (an operation holds it from then on): a cancel puts it back so. */
  prior: z.object({ status: z.enum(["active", "suspended"]), suspendedReason: z.string().nullable() }),
});
export type OffboardParameters = z.infer<typeof offboardParameters>;

type Ctx = StepContext<OffboardParameters>;

async function requesterOf(deps: OperationDeps, userId: string): Promise<SignedInUser> {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true } });
  if (!user) throw new StepFailure(`the user ${userId} who requested the offboarding no longer exists`);
  return user;
}

/** The tenant's data at one placement, through a client scoped to it, its key scheme and that table. */
const placementData = (deps: OperationDeps, tenantId: string, placement: Placement, operation: { kind: string; id: string }) =>
  tenantData(deps, { tenantId, keyScheme: placement.keyScheme, operation: operationLabel(operation), tables: [placement] });

/** The tenant's tables: its primary placement and, for a bridge tenant, the table of its siloed entity. */
async function placementsOf(deps: OperationDeps, tenantId: string): Promise<Placement[]> {
  const tenant = await deps.db.tenant.findUnique({ where: { id: tenantId }, include: { storageInstance: true, bridgeInstance: true } });
  if (!tenant) throw new StepFailure(`tenant ${tenantId} is not in the catalog`);
  if (!tenant.storageInstance || !tenant.keyPrefix) throw new StepFailure(`tenant ${tenantId} has no placement`);
  const bridged = tenant.deploymentModel === "bridge" && tenant.bridgeInstance && tenant.bridgeEntity;
  const out: Placement[] = [];
  for (const [role, instance, entities] of [
    ["primary", tenant.storageInstance, bridged ? tenantEntities.filter((e) => e !== tenant.bridgeEntity) : [...tenantEntities]],
    ...(bridged ? [["bridge", tenant.bridgeInstance!, [tenant.bridgeEntity!]] as const] : []),
  ] as const) {
    // A table is dropped only when it is a silo no other tenant lives in; anything shared is purged by key.
    const others = await deps.db.tenant.count({
      where: { id: { not: tenantId }, OR: [{ storageInstanceId: instance.id }, { bridgeInstanceId: instance.id }] },
    });
    out.push({
      role,
      storageInstanceId: instance.id,
      tableName: instance.tableName,
      region: instance.region,
      mode: instance.mode === "silo" && others === 0 ? "silo" : "pool",
      entities: [...entities],
      keyScheme: storedKeyScheme(instance.keyScheme),
      writeUnitsPerSec: instance.writeUnitsPerSec,
    });
  }
  return out;
}

/** Fails unless the routing record still refuses the tenant for this offboarding (nothing may have resumed it). */
async function requireSuspended(deps: OperationDeps, tenantId: string): Promise<void> {
  const record = await getRoutingRecord(deps.dynamoDb(deps.routingRegion), tenantId, deps.routingTable);
  if (record?.status !== "suspended")
    throw new StepFailure(
      `tenant ${tenantId}'s routing record says ${record?.status ?? "nothing"}, not suspended: it may be serving again`,
    );
}

const suspendStep = defineStep({
  name: "suspend",
  label: "Suspend the tenant",
  changesTenant: true,
  output: z.object({ placements: z.array(placementSchema), suspendedAt: z.string() }),
  async run({ parameters: p, deps, operation, signal }: Ctx) {
    const tenant = await deps.db.tenant.findUnique({ where: { id: p.tenantId }, select: { status: true } });
    if (!tenant) throw new StepFailure(`tenant ${p.tenantId} is not in the catalog`);
    if (tenant.status !== "active" && tenant.status !== "suspended")
      throw new StepFailure(`tenant ${p.tenantId} is ${tenant.status}; only an active or suspended tenant can be offboarded`);
    const placements = await placementsOf(deps, p.tenantId);
    const by = await requesterOf(deps, operation.requestedById);
    await suspendTenant(deps, p.tenantId, { reason: offboardingSuspensionReason, by, operationId: operation.id });
    await deps.faultPoint?.("effect");
    // Frozen as well, so every data-plane reader acknowledges it once none of the tenant's writes is still in flight:
    // from then on nothing can land under the export (its second "effect" point is right after this routing write).
    const frozen = await freezeWrites(deps, p.tenantId, signal);
    const suspendedAt = (await deps.db.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, select: { suspendedAt: true } })).suspendedAt;
    return {
      output: { placements, suspendedAt: (suspendedAt ?? new Date(deps.now())).toISOString() },
      detail: `suspended (“${offboardingSuspensionReason}”) and writes frozen, ${frozen.detail}: ${placements.map((pl) => `${pl.tableName} (${pl.mode})`).join(", ")}`,
    };
  },
});

const exportStep = defineStep({
  name: "export",
  label: "Export every item",
  changesTenant: true,
  output: z.object({
    location: z.string(),
    manifestSha256: z.string(),
    items: z.number().int(),
    bytes: z.number().int(),
    contentHash: z.string(),
    exportedAt: z.string(),
    perPlacement: z.record(z.string(), z.number().int()),
  }),
  async run({ parameters: p, deps, operation, signal, output, progress }: Ctx) {
    const { placements } = output(suspendStep);
    await requireSuspended(deps, p.tenantId);
    const dataOf = (placement: Placement) => placementData(deps, p.tenantId, placement, operation);
    let expected = 0;
    for (const placement of placements)
      expected += await countTenantItems(
        dataOf(placement).table(placement.tableName),
        { tenantId: p.tenantId, keyScheme: placement.keyScheme },
        placement.entities,
      );
    let reachedMid = false;
    const { manifest, manifestSha256 } = await exportTenant({
      store: deps.backupStore,
      operationId: operation.id,
      tenantId: p.tenantId,
      placements,
      dataOf,
      signal,
      now: deps.now,
      onProgress: async (items) => {
        await progress(
          expected ? Math.min(0.9, (items / expected) * 0.9) : 0.5,
          `${items.toLocaleString("en-US")} of ${expected.toLocaleString("en-US")} items`,
        );
        if (!reachedMid && items > 0) {
          reachedMid = true;
          await deps.faultPoint?.("mid");
        }
      },
    });
    await progress(0.95, "reading the export back");
    await checkExport(deps.backupStore, manifest, signal);
    return {
      output: {
        location: exportLocation(operation.id),
        manifestSha256,
        items: manifest.items,
        bytes: manifest.bytes,
        contentHash: manifest.contentHash,
        exportedAt: manifest.exportedAt,
        perPlacement: Object.fromEntries(manifest.placements.map((pl) => [pl.tableName, pl.items])),
      },
      detail: `${manifest.items.toLocaleString("en-US")} items in ${manifest.files.length} file(s), ${manifest.bytes.toLocaleString("en-US")} bytes, checked against the manifest (SHA-256 ${manifestSha256.slice(0, 12)}…)`,
    };
  },
});

const graceStep = defineStep({
  name: "grace",
  label: "Grace period",
  changesTenant: true,
  cancellableWhileWaiting: true,
  output: z.object({ graceEndedAt: z.string() }),
  async run({ parameters: p, output, waitUntil }: Ctx) {
    const end = new Date(Date.parse(output(exportStep).exportedAt) + p.graceDays * dayMs);
    await waitUntil(end, `Until ${end.toISOString()}: cancelling the offboarding meanwhile resumes the tenant`);
    return { output: { graceEndedAt: end.toISOString() }, detail: `ended ${end.toISOString()} (${p.graceDays} day(s) after the export)` };
  },
});

const purgeStep = defineStep({
  name: "purge",
  label: "Purge the tenant's items",
  changesTenant: true,
  output: z.object({
    purgedAt: z.string(),
    deleted: z.array(
      z.object({
        storageInstanceId: z.string(),
        tableName: z.string(),
        region: z.string(),
        how: z.enum(["deleted by key", "table dropped"]),
        items: z.number().int(),
      }),
    ),
  }),
  async run({ parameters: p, deps, operation, signal, output, progress }: Ctx) {
    const { placements } = output(suspendStep);
    const exported = output(exportStep);
    await requireSuspended(deps, p.tenantId);
    const location = exportLocation(operation.id);
    // Co-tenants' items before the first delete: taken once (a worker that dies later finds it stored and keeps it).
    for (const placement of placements.filter((pl) => pl.mode === "pool")) {
      if (await loadSnapshot(deps.backupStore, location, placement.storageInstanceId)) continue;
      // Compared with the stamps the data plane's hosts put on writes by their own clocks: the wall clock, less a
      // minute for hosts whose clocks are behind (items written in that minute are left out of the comparison).
      const takenAt = Date.now() - stampSkewAllowanceMs;
      const scan = await scanPool(
        instanceData(deps, placement, operationLabel(operation)),
        placement.tableName,
        placement.keyScheme,
        p.tenantId,
        {
          signal,
        },
      );
      await saveSnapshot(deps.backupStore, location, placement.storageInstanceId, snapshotOf(placement.tableName, takenAt, scan));
    }
    const total = exported.items || 1;
    let done = 0;
    let reachedMid = false;
    for (const placement of placements) {
      if (placement.mode === "silo") {
        await dropTable(deps.dynamoDb(placement.region), placement.tableName);
        await deps.faultPoint?.("effect");
        done += exported.perPlacement[placement.tableName] ?? 0;
        continue;
      }
      const itemsPerSec = p.purgeItemsPerSec ?? Math.max(1, Math.floor(placement.writeUnitsPerSec * p.purgeCapacityShare));
      const table = placementData(deps, p.tenantId, placement, operation).table(placement.tableName);
      const before = done;
      // Every partition of the tenant in a pool, whatever entities the catalog places there: nothing of it may stay.
      await purgeTenantItems(table, { tenantId: p.tenantId, keyScheme: placement.keyScheme }, tenantEntities, {
        limiter: new RateLimiter(itemsPerSec),
        signal,
        onDeleted: async (deleted) => {
          done = before + deleted;
          await progress(
            Math.min(0.99, done / total),
            `${done.toLocaleString("en-US")} of ${exported.items.toLocaleString("en-US")} items deleted`,
          );
          if (!reachedMid) {
            reachedMid = true;
            await deps.faultPoint?.("mid");
          }
        },
      });
    }
    return {
      output: {
        purgedAt: new Date(deps.now()).toISOString(),
        deleted: placements.map((pl) => ({
          storageInstanceId: pl.storageInstanceId,
          tableName: pl.tableName,
          region: pl.region,
          how: pl.mode === "silo" ? ("table dropped" as const) : ("deleted by key" as const),
          items: exported.perPlacement[pl.tableName] ?? 0,
        })),
      },
      detail: placements.map((pl) => `${pl.tableName}: ${pl.mode === "silo" ? "table dropped" : "deleted by key"}`).join("; "),
    };
  },
});

const verifyStep = defineStep({
  name: "verify",
  label: "Verify",
  changesTenant: true,
  output: z.object({
    verifiedAt: z.string(),
    tenantItemsLeft: z.array(z.object({ tableName: z.string(), items: z.number().int() })),
    coTenants: z.array(
      z.object({ tableName: z.string(), compared: z.number().int(), unchanged: z.number().int(), rewritten: z.number().int() }),
    ),
  }),
  async run({ parameters: p, deps, operation, signal, output }: Ctx) {
    const { placements } = output(suspendStep);
    const location = exportLocation(operation.id);
    const left: { tableName: string; items: number }[] = [];
    const coTenants: { tableName: string; compared: number; unchanged: number; rewritten: number }[] = [];
    const problems: string[] = [];
    for (const placement of placements) {
      if (placement.mode === "silo") {
        const client = deps.dynamoDb(placement.region);
        if (await tableExists(client, placement.tableName)) await dropTable(client, placement.tableName); // a drop still in progress, or undone
        left.push({ tableName: placement.tableName, items: 0 });
        continue;
      }
      const reader = instanceData(deps, placement, operationLabel(operation));
      let scan = await scanPool(reader, placement.tableName, placement.keyScheme, p.tenantId, { signal });
      if (scan.tenantItems > 0) {
        // Left by a purge that was interrupted and not resumed in full: delete them too, then look again.
        const table = placementData(deps, p.tenantId, placement, operation).table(placement.tableName);
        await purgeTenantItems(table, { tenantId: p.tenantId, keyScheme: placement.keyScheme }, tenantEntities, { signal });
        scan = await scanPool(reader, placement.tableName, placement.keyScheme, p.tenantId, { signal });
      }
      left.push({ tableName: placement.tableName, items: scan.tenantItems });
      if (scan.tenantItems > 0) problems.push(`${scan.tenantItems} item(s) of ${p.tenantId} are still in ${placement.tableName}`);
      const snapshot = await loadSnapshot(deps.backupStore, location, placement.storageInstanceId);
      if (!snapshot)
        throw new StepFailure(`the co-tenants' snapshot of ${placement.tableName} is missing from ${deps.backupStore.description}`);
      const compared = compareCoTenants(snapshot, scan);
      coTenants.push({
        tableName: compared.tableName,
        compared: compared.compared,
        unchanged: compared.unchanged,
        rewritten: compared.rewritten,
      });
      if (compared.changedCount > 0)
        problems.push(
          `${compared.changedCount} co-tenant item(s) in ${placement.tableName} changed without a write of their own: ${compared.changed.slice(0, 5).join(", ")}`,
        );
      if (compared.goneCount > 0)
        problems.push(
          `${compared.goneCount} co-tenant item(s) in ${placement.tableName} are gone (deleted by their tenant, or by mistake): ${compared.gone.slice(0, 5).join(", ")}`,
        );
    }
    if (problems.length > 0) throw new StepFailure(`verification failed: ${problems.join("; ")}`);
    return {
      output: { verifiedAt: new Date(deps.now()).toISOString(), tenantItemsLeft: left, coTenants },
      detail: `no item of ${p.tenantId} left; ${coTenants.map((c) => `${c.tableName}: ${c.unchanged + c.rewritten} of ${c.compared} co-tenant items as before or rewritten by their tenant`).join("; ") || "no co-tenants"}`,
    };
  },
});

const retireStep = defineStep({
  name: "retire",
  label: "Retire the tenant",
  changesTenant: true,
  output: z.object({ retiredAt: z.string() }),
  async run({ parameters: p, deps, output }: Ctx) {
    const { placements } = output(suspendStep);
    const now = new Date(deps.now());
    // Idempotent catalog writes before the routing write (publish reads the catalog); the key prefix stays the tenant's.
    const offboardedAt = await deps.db.$transaction(async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, select: { offboardedAt: true } });
      const at = tenant.offboardedAt ?? now;
      await tx.tenant.update({
        where: { id: p.tenantId },
        data: { status: "offboarded", offboardedAt: at, suspendedReason: null, suspendedAt: null },
      });
      const silos = placements.filter((pl) => pl.mode === "silo").map((pl) => pl.storageInstanceId);
      if (silos.length > 0) await tx.storageInstance.updateMany({ where: { id: { in: silos } }, data: { status: "retired" } });
      return at;
    });
    const client = deps.dynamoDb(deps.routingRegion);
    let record = await publishTenantRouting(deps.db, client, p.tenantId, deps.routingTable);
    await deps.faultPoint?.("effect");
    if (record && record.status !== "offboarded") throw new Error(`routing for ${p.tenantId} says ${record.status} after retiring it`);
    // The freeze the suspend step set is lifted: an offboarded record refuses everything, and a frozen record without an
    // operation holding the tenant is one the fleet checks ask an operator to look at.
    if (record?.writeFrozen) record = await setWriteFrozen(client, p.tenantId, false, deps.routingTable);
    return {
      output: { retiredAt: offboardedAt.toISOString() },
      detail: "catalog and routing say offboarded; its key prefix is never reused",
    };
  },
});

const certificateStep = defineStep({
  name: "certificate",
  label: "Deletion certificate",
  changesTenant: true,
  output: z.object({ sha256: z.string(), issuedAt: z.string() }),
  async run({ parameters: p, deps, operation: ref, output }: Ctx) {
    const [operation, tenant, backups] = await Promise.all([
      deps.db.operation.findUniqueOrThrow({ where: { id: ref.id }, include: { requestedBy: { select: { email: true } } } }),
      deps.db.tenant.findUniqueOrThrow({ where: { id: p.tenantId } }),
      deps.db.backupTenant.findMany({
        where: { tenantId: p.tenantId, items: { gt: 0 }, backup: { status: "complete" } },
        include: { backup: true },
      }),
    ]);
    const now = deps.now();
    const suspended = output(suspendStep);
    const exported = output(exportStep);
    const purged = output(purgeStep);
    const verified = output(verifyStep);
    const certificate: DeletionCertificate = buildCertificate({
      operationId: ref.id,
      tenant: { id: tenant.id, name: tenant.name, tier: tenant.tier, deploymentModel: tenant.deploymentModel, keyPrefix: tenant.keyPrefix },
      reason: p.reason,
      requestedBy: { email: operation.requestedBy.email, at: operation.createdAt.toISOString() },
      approvedBy: { email: operation.approvedByEmail ?? "(unknown)", at: operation.approvedAt?.toISOString() ?? "" },
      graceDays: p.graceDays,
      times: {
        suspendedAt: suspended.suspendedAt,
        exportedAt: exported.exportedAt,
        graceEndedAt: output(graceStep).graceEndedAt,
        purgedAt: purged.purgedAt,
        verifiedAt: verified.verifiedAt,
        retiredAt: output(retireStep).retiredAt,
      },
      export: {
        store: deps.backupStore.description,
        location: exported.location,
        manifestSha256: exported.manifestSha256,
        items: exported.items,
        bytes: exported.bytes,
        contentHash: exported.contentHash,
      },
      deleted: purged.deleted,
      verification: { tenantItemsLeft: verified.tenantItemsLeft, coTenants: verified.coTenants },
      backups: backups
        .filter((b) => !b.backup.expiresAt || b.backup.expiresAt.getTime() > now)
        .map((b) => ({
          backupId: b.backupId,
          storageInstanceId: b.backup.storageInstanceId,
          takenAt: b.backup.startedAt.toISOString(),
          expiresAt: b.backup.expiresAt?.toISOString() ?? null,
          items: b.items,
        })),
      pointInTimeRecovery: deps.pointInTimeRestore,
      issuedAt: new Date(now).toISOString(),
    });
    return {
      output: { sha256: certificate.sha256, issuedAt: certificate.issuedAt },
      detail: `issued: ${certificate.items.toLocaleString("en-US")} items deleted; SHA-256 ${certificate.sha256.slice(0, 12)}…`,
      catalog: async (tx) => {
        await tx.operation.update({ where: { id: ref.id }, data: { result: certificate as unknown as object } });
      },
    };
  },
});

/**
 * Puts the tenant back as it was before the offboarding (resumed, or suspended again for its earlier reason) and
 * deletes the export: after a cancel during the grace period, and when the operation fails before its purge.
 */
async function putBack(ctx: CompensationContext<OffboardParameters>, by: SignedInUser): Promise<string> {
  const { deps, parameters: p, operation } = ctx;
  const tenant = await deps.db.tenant.findUnique({ where: { id: p.tenantId }, select: { status: true } });
  let detail = "the tenant is active: the data plane serves it again";
  if (tenant?.status === "suspended") {
    if (p.prior.status === "suspended") {
      const reason = p.prior.suspendedReason ?? "suspended";
      await suspendTenant(deps, p.tenantId, { reason, by, operationId: operation.id });
      detail = `the tenant is suspended again for its earlier reason (“${reason}”)`;
    } else {
      await resumeTenant(deps, p.tenantId, { by, operationId: operation.id });
      detail = "the tenant was resumed: the data plane serves it again";
    }
  }
  await deps.faultPoint?.("effect");
  const record = await getRoutingRecord(deps.dynamoDb(deps.routingRegion), p.tenantId, deps.routingTable);
  if (record?.writeFrozen) await setWriteFrozen(deps.dynamoDb(deps.routingRegion), p.tenantId, false, deps.routingTable);
  await deps.backupStore.deletePrefix(exportLocation(operation.id));
  return `${detail}; the export was deleted`;
}

export const offboardOperation: OperationDefinition<OffboardParameters> = {
  kind: "offboard",
  parameters: offboardParameters,
  approval: { permission: "tenants.approveOffboarding" },
  steps: [suspendStep, exportStep, graceStep, purgeStep, verifyStep, retireStep, certificateStep],
  pointOfNoReturn: "purge",
  async undoOnCancel(ctx) {
    // In the canceller's name (the step's cancel request), else the requester's.
    const row = await ctx.deps.db.operation.findUnique({ where: { id: ctx.operation.id }, select: { steps: true } });
    const request = (Array.isArray(row?.steps) ? (row.steps as { cancelRequest?: { byId: string } }[]) : []).find((s) => s.cancelRequest);
    const by = await requesterOf(ctx.deps, request?.cancelRequest?.byId ?? ctx.operation.requestedById).catch(() =>
      requesterOf(ctx.deps, ctx.operation.requestedById),
    );
    return { detail: await putBack(ctx, by) };
  },
  async compensate(ctx) {
    return { detail: `Undone: ${await putBack(ctx, await requesterOf(ctx.deps, ctx.operation.requestedById))}.` };
  },
  copies: (operation) => {
    const purged = operation.steps.find((s) => s.name === "purge" && s.status === "done");
    const placements = operation.outputIfAny(suspendStep)?.placements ?? [];
    if (!purged) return [];
    const p = operation.parameters;
    return placements.map((pl) => ({
      tenant:
        pl.mode === "silo" ? null : { tenantId: p.tenantId, keyPrefix: tenantKeyPrefix(pl.keyScheme, p.tenantId), keyScheme: pl.keyScheme },
      table: { storageInstanceId: pl.storageInstanceId, tableName: pl.tableName, region: pl.region },
      effect: "removed" as const,
      what: `${pl.mode === "silo" ? "table dropped" : "items purged"} by offboarding ${operation.id}`,
    }));
  },
  targets: (tx, p) => tenantInstanceTargets(tx, p.tenantId),
  describe: (p) => `offboard ${p.tenantId} (${p.graceDays}-day grace period): ${p.reason}`,
};
