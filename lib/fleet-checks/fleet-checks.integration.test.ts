// The fleet checks against dynalite and the catalog, on PGlite and PostgreSQL
// 15: catalog and routing reconciled (repaired by the worker when routing is
// unambiguous, reported and repaired by an operator's action when the tenant
// was left frozen), and data no routing record points to listed, confirmed
// with tenant-scoped reads, and cleaned up by an operation that deletes only
// that tenant's items from that table, even when its worker dies midway.
// Each tenant's history is written as the operations record it (their rows and
// step outputs), so the tests need no migration or restore to run first.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startOperationStack, type OperationStack } from "../../local/operation-stack";
import type { DemoFleet } from "../../prisma/demo-fleet";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { ActionContext, SignedInUser } from "../auth/action-context";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import type { Db } from "../db/client";
import { parseSteps, type JsonObject } from "../operations/definition";
import { enqueueOperation } from "../operations/queue";
import { OperationRunner } from "../operations/runner";
import { fillTenant, pool, tenant, tenantDigest } from "../operations/__tests__/migration-fixture";
import { getRoutingRecord, updateRoutingRecord } from "../routing/routing-table";
import { ensureTenantTable, tableExists } from "../storage/tenant-tables";
import { tenantEntities } from "../storage/tenant-items";
import { operationDefinitions } from "../worker/kinds";
import type { FleetAccess } from "./access";
import { orphanCleanupOperation } from "./orphan-cleanup";
import { assessOrphans } from "./orphans";
import { reconcileTenants, tenantStateProblem } from "./reconcile";
import { requestOrphanCleanup } from "./requests";

// The console's session, database and AWS access, as the server action sees them.
const server = vi.hoisted(() => ({ user: null as SignedInUser | null, db: null as Db | null, access: null as FleetAccess | null }));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => server.user }));
vi.mock("@/lib/db/client", async (original) => ({ ...(await original<object>()), getDb: () => server.db }));
vi.mock("@/lib/fleet-checks/access", () => ({ consoleAccess: (db: Db) => ({ ...server.access, db }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { repairTenantStateAction } = await import("../../app/(console)/fleet-checks/actions");

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION = "us-east-1";
const routingTable = "fleet-checks-it-routing";
const region = "us-east-1";
const hour = 3_600_000;

const fleet: DemoFleet = {
  plans: demoPlans,
  instances: [pool("pool-a"), pool("pool-b")],
  tenants: [
    // Catalog and routing.
    tenant("stuck-restoring", "pool-a"),
    tenant("stuck-frozen", "pool-a"),
    tenant("frozen-two", "pool-b"),
    // Copies: a failed migration's leftover, a kept source copy, one kept past its window, one of a held tenant.
    tenant("left-behind", "pool-a"),
    tenant("kept-copy", "pool-b"),
    tenant("old-move", "pool-b"),
    tenant("held", "pool-a"),
    tenant("neighbour-a", "pool-a"),
    tenant("neighbour-b", "pool-b"),
  ],
  users: demoUsers,
};

const placement = (id: string) => ({ storageInstanceId: id, tableName: `tsc-${id}`, region, mode: "pool" as const });
const move = (tenantId: string) => ({
  tenantId,
  keyPrefix: `${tenantId}#`,
  entities: [...tenantEntities],
  source: placement("pool-a"),
  target: placement("pool-b"),
  targetModel: "pool",
  copyRatePerSec: 0,
  removeTargetOnUndo: true,
  createdInstanceId: null,
});
const restorePlan = (tenantId: string) => ({
  tenant: { tenantId, keyPrefix: `${tenantId}#` },
  targets: [{ storageInstanceId: "pool-a", tableName: "tsc-pool-a", region, entities: [...tenantEntities] }],
  source: { kind: "backup", backupId: "cmwv0000000000000000000000", location: "backups/cmwv0000000000000000000000/" },
  sideTable: null,
});

describe.each(testDatabases)("fleet checks on $name", (target) => {
  let catalog: TestDatabase;
  let stack: OperationStack;
  let operator: SignedInUser;
  let support: SignedInUser;
  let ctx: ActionContext;
  const digests = new Map<string, Map<string, string>>();

  /** An operation's row as it records its steps, written straight into the catalog. */
  const history = async (row: {
    kind: "migrate" | "restore";
    tenantId: string;
    status: "succeeded" | "failed" | "needs_attention";
    parameters: JsonObject;
    steps: [string, "done" | "failed", JsonObject?][];
    error?: string;
  }) =>
    catalog.db.operation.create({
      data: {
        kind: row.kind,
        status: row.status,
        tenantId: row.tenantId,
        activeTenantId: row.status === "needs_attention" ? row.tenantId : null,
        parameters: row.parameters,
        steps: row.steps.map(([name, status, output]) => ({ name, label: name, status, changesTenant: name !== "validate", output })),
        error: row.error ?? null,
        requestedById: operator.id,
        idempotencyKey: randomUUID(),
        finishedAt: row.status === "needs_attention" ? null : new Date(),
      },
    });

  const digest = (tableName: string, tenantId: string) => tenantDigest(stack.dynamo, tableName, tenantId);
  const runner = (workerId: string, faultPoint?: (point: string) => Promise<void>) =>
    new OperationRunner({ ...stack.deps, faultPoint }, operationDefinitions, {
      workerId,
      leaseMs: 60_000,
      frozenLeaseMs: 3_000,
      maxAttempts: 5,
    });
  const runQueued = async (workerId: string, faultPoint?: (point: string) => Promise<void>) => {
    const worker = runner(workerId, faultPoint);
    const id = await worker.claim();
    if (!id) throw new Error("nothing to claim");
    return worker.run(id, new AbortController().signal);
  };

  beforeAll(async () => {
    catalog = await target.start();
    await seedCatalog(catalog.db, fleet);
    const users = await catalog.db.user.findMany({ where: { role: { in: ["operator", "support"] } } });
    const signed = (role: string) => {
      const user = users.find((u) => u.role === role)!;
      return { id: user.id, email: user.email, name: user.name, role: user.role };
    };
    operator = signed("operator");
    support = signed("support");
    ctx = { db: catalog.db, user: operator };
    // A silo its tenant left long ago: retired, its table still there, empty.
    await catalog.db.storageInstance.create({
      data: { ...pool("silo-gone"), mode: "silo", tableName: "tsc-silo-gone", status: "retired" },
    });
    stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: "FleetChecksTest", worker: false });
    await ensureTenantTable(stack.dynamo, "tsc-silo-gone", pool("silo-gone"));
    server.db = catalog.db;
    server.access = stack.deps;

    // Items where each tenant lives, and the copies operations left.
    for (const [table, tenantId, count] of [
      ["tsc-pool-a", "left-behind", 300],
      ["tsc-pool-b", "left-behind", 300], // the failed migration's target copy, never removed
      ["tsc-pool-b", "kept-copy", 200],
      ["tsc-pool-a", "kept-copy", 200], // its source copy, within the rollback window
      ["tsc-pool-b", "old-move", 100],
      ["tsc-pool-a", "old-move", 100], // its source copy, past the window
      ["tsc-pool-a", "held", 100],
      ["tsc-pool-b", "held", 50],
      ["tsc-pool-a", "neighbour-a", 250],
      ["tsc-pool-b", "neighbour-b", 250],
    ] as const)
      await fillTenant(stack.dynamo, table, tenantId, count);
    for (const [table, tenantId] of [
      ["tsc-pool-a", "left-behind"],
      ["tsc-pool-a", "neighbour-a"],
      ["tsc-pool-a", "kept-copy"],
      ["tsc-pool-b", "neighbour-b"],
      ["tsc-pool-b", "kept-copy"],
      ["tsc-pool-b", "held"],
    ] as const)
      digests.set(`${tenantId}@${table}`, await digest(table, tenantId));

    const migration = (tenantId: string) => ({ tenantId, target: "pool-b", copyRatePerSec: 0 });
    const validated = (tenantId: string) => ({ move: move(tenantId), items: 300, sourceModel: "pool", rollbackWindowMs: 24 * hour });
    const cutOver = (at: number) => ({ freezeMs: 120, switchedAt: at, version: 3 });
    const failedMigration = (tenantId: string) =>
      history({
        kind: "migrate",
        tenantId,
        status: "failed",
        parameters: migration(tenantId),
        steps: [
          ["validate", "done", validated(tenantId)],
          ["prepare", "done"],
          ["start", "done", { copyFrom: Date.now() - hour }],
          ["copy", "failed"],
        ],
        error:
          "copy failed\nUndoing it failed: the target table did not answer. Retry the operation: it starts over, or fails and undoes again.",
      });
    const succeededMigration = (tenantId: string, switchedAt: number) =>
      history({
        kind: "migrate",
        tenantId,
        status: "succeeded",
        parameters: migration(tenantId),
        steps: [
          ["validate", "done", validated(tenantId)],
          ["start", "done", { copyFrom: switchedAt - hour }],
          ["cutOver", "done", cutOver(switchedAt)],
        ],
      });
    await failedMigration("left-behind");
    await succeededMigration("kept-copy", Date.now() - 60_000);
    await succeededMigration("old-move", Date.now() - 48 * hour);
    await failedMigration("held");
    await history({
      kind: "migrate",
      tenantId: "held",
      status: "needs_attention",
      parameters: migration("held"),
      steps: [
        ["validate", "done", validated("held")],
        ["cutOver", "failed"],
      ],
      error: "cut-over failed",
    });

    // Restores whose undo failed: one left the catalog restoring while routing is active again, two left the tenant frozen.
    const client = stack.dynamo;
    for (const tenantId of ["stuck-restoring", "stuck-frozen", "frozen-two"]) {
      await history({
        kind: "restore",
        tenantId,
        status: "failed",
        parameters: { tenantId, source: { kind: "backup", backupId: "cmwv0000000000000000000000" }, mode: "in_place" },
        steps: [["validate", "done", { plan: restorePlan(tenantId) }]],
        error: "verify failed\nUndoing it failed: the backup store did not answer.",
      });
      await catalog.db.tenant.update({ where: { id: tenantId }, data: { status: "restoring" } });
      if (tenantId !== "stuck-restoring")
        await updateRoutingRecord(
          client,
          tenantId,
          ({ version: _v, updatedAt: _u, ...content }) => ({
            ...content,
            status: "restoring",
            writeFrozen: true,
            frozenSince: new Date().toISOString(),
          }),
          routingTable,
        );
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await catalog?.stop();
  });

  it("repairs a tenant left restoring while routing says active, audited as the worker's, and reports, never repairs, one left frozen", async () => {
    const frozenBefore = await getRoutingRecord(stack.dynamo, "stuck-frozen", routingTable);
    const outcome = await reconcileTenants(stack.deps);
    expect(outcome.repaired).toEqual([
      expect.stringMatching(/^stuck-restoring: The catalog says restoring in pool-a, routing says active in pool-a/),
    ]);
    expect(outcome.needOperator).toEqual([
      expect.stringMatching(/^frozen-two: Routing says frozen since .* and restoring in pool-b/),
      expect.stringMatching(/^stuck-frozen: Routing says frozen since .* and restoring in pool-a.*restore \w+, failed/),
    ]);

    expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "stuck-restoring" } })).toMatchObject({
      status: "active",
      storageInstanceId: "pool-a",
    });
    const audit = await catalog.db.auditEntry.findFirstOrThrow({ where: { action: "tenants.reconcile", targetId: "stuck-restoring" } });
    expect(audit).toMatchObject({ outcome: "succeeded", actorEmail: operator.email });
    expect(audit.detail).toMatch(/^by the worker's reconcile: /);
    expect(audit.parameters).toMatchObject({ catalogBefore: "restoring in pool-a", catalogAfter: "active in pool-a" });

    // The frozen tenant is left exactly as it was, and said to need an operator.
    expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "stuck-frozen" } })).toMatchObject({ status: "restoring" });
    expect(await getRoutingRecord(stack.dynamo, "stuck-frozen", routingTable)).toEqual(frozenBefore);
    expect(await tenantStateProblem(stack.deps, "stuck-frozen")).toMatchObject({
      verdict: { verdict: "needsOperator", remedy: { kind: "unfreeze" } },
    });
    // A tenant an operation holds (it needs attention) is that operation's: nothing is said.
    expect(await tenantStateProblem(stack.deps, "held")).toBeNull();

    // Repaired once: the next round finds nothing more to do.
    expect((await reconcileTenants(stack.deps)).repaired).toEqual([]);
    expect(await catalog.db.auditEntry.count({ where: { action: "tenants.reconcile" } })).toBe(1);
  });

  it("lets an operator lift a freeze left behind, audited; refuses support, audited too", async () => {
    server.user = support;
    const refused = await repairTenantStateAction({ tenantId: "frozen-two" });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/Forbidden.*operations\.manage/) });
    expect(
      await catalog.db.auditEntry.findFirstOrThrow({
        where: { action: "tenants.repairState", targetId: "frozen-two", outcome: "refused" },
      }),
    ).toMatchObject({ actorEmail: support.email });
    expect((await getRoutingRecord(stack.dynamo, "frozen-two", routingTable))?.writeFrozen).toBe(true);

    server.user = operator;
    const repaired = await repairTenantStateAction({ tenantId: "frozen-two" });
    expect(repaired).toMatchObject({ ok: true, message: expect.stringMatching(/Writes unfrozen; frozen-two is active in pool-b/) });
    expect(await getRoutingRecord(stack.dynamo, "frozen-two", routingTable)).toMatchObject({
      status: "active",
      writeFrozen: false,
      frozenSince: null,
      placement: { storageInstanceId: "pool-b" },
    });
    expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "frozen-two" } })).toMatchObject({
      status: "active",
      storageInstanceId: "pool-b",
    });
    const audit = await catalog.db.auditEntry.findFirstOrThrow({
      where: { action: "tenants.repairState", targetId: "frozen-two", outcome: "succeeded" },
    });
    expect(audit).toMatchObject({ actorEmail: operator.email });
    expect(audit.detail).toMatch(/^freeze lifted at pool-b/);
    expect(audit.parameters).toMatchObject({
      catalogBefore: "restoring in pool-b",
      routing: expect.stringMatching(/^restoring, frozen in pool-b/),
    });

    // Nothing left to repair, and a tenant an operation holds is refused with that operation.
    expect(await repairTenantStateAction({ tenantId: "frozen-two" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/agree: there is nothing to repair/),
    });
    expect(await repairTenantStateAction({ tenantId: "held" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Operation \w+ holds tenant held/),
    });
    server.user = null;
  });

  it("lists a failed migration's leftover target copy and a copy past its window, never a copy kept within its window or one of a held tenant", async () => {
    const assessment = await assessOrphans(stack.deps, operationDefinitions);
    expect(assessment.unreadable).toEqual([]);
    expect(
      assessment.orphans.map((o) => (o.kind === "tenantCopy" ? [o.tenantId, o.table.tableName, o.items] : ["table", o.tableName])),
    ).toEqual([
      ["left-behind", "tsc-pool-b", 300],
      ["old-move", "tsc-pool-a", 100],
      ["table", "tsc-silo-gone"],
    ]);
    expect(assessment.orphans[0]).toMatchObject({
      origins: [{ what: expect.stringMatching(/^target copy of migration \w+$/), operationId: expect.any(String) }],
    });
    expect(assessment.kept.map((k) => [k.tenantId, k.table.tableName, k.reason])).toEqual(
      expect.arrayContaining([
        ["kept-copy", "tsc-pool-a", "kept for the migration's rollback window"],
        ["held", "tsc-pool-b", expect.stringMatching(/^migrate \w+ holds held/)],
      ]),
    );
    await expect(
      requestOrphanCleanup(ctx, stack.deps, operationDefinitions, {
        target: "tenantCopy",
        tenantId: "kept-copy",
        tableName: "tsc-pool-a",
        region,
        idempotencyKey: randomUUID(),
      }),
    ).rejects.toThrow(/tsc-pool-a is not orphaned: kept for the migration's rollback window until .* \(source copy of migration \w+\)/);
  });

  it("deletes exactly that tenant's items from that table, co-tenants byte-identical, resuming after its worker dies midway", async () => {
    const idempotencyKey = randomUUID();
    const request = { target: "tenantCopy" as const, tenantId: "left-behind", tableName: "tsc-pool-b", region, idempotencyKey };
    const { data } = await requestOrphanCleanup(ctx, stack.deps, operationDefinitions, request);
    expect((await requestOrphanCleanup(ctx, stack.deps, operationDefinitions, request)).data.operationId).toBe(data.operationId);

    // The first worker dies after deleting its first page: its lease is taken away, as when it expires after a SIGKILL.
    let deaths = 0;
    const dieOnce = async (point: string) => {
      if (point !== "delete:mid" || deaths++ > 0) return;
      await catalog.db.operation.update({
        where: { id: data.operationId },
        data: { leaseOwner: "w1 (dead)", leaseExpiresAt: new Date(0) },
      });
    };
    expect(await runQueued("w1", dieOnce)).toBe("lost");
    const partial = (await digest("tsc-pool-b", "left-behind")).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300);
    expect(await runQueued("w2")).toBe("succeeded");

    const operation = await catalog.db.operation.findUniqueOrThrow({ where: { id: data.operationId } });
    expect(operation).toMatchObject({ status: "succeeded", activeTenantId: null });
    expect(parseSteps(operation.steps).at(-1)?.detail).toMatch(
      /items of left-behind deleted from tsc-pool-b, only keys under left-behind#/,
    );
    expect((await digest("tsc-pool-b", "left-behind")).size).toBe(0);
    for (const [key, before] of digests) {
      const [tenantId, table] = key.split("@") as [string, string];
      expect(await digest(table, tenantId), key).toEqual(before);
    }
    expect(
      await catalog.db.auditEntry.count({ where: { operationId: data.operationId, action: "fleet.cleanupOrphan", outcome: "succeeded" } }),
    ).toBe(1);
    expect(
      await catalog.db.auditEntry.count({
        where: { operationId: data.operationId, action: "operations.cleanup_orphan", outcome: "succeeded" },
      }),
    ).toBe(1);
    const after = await assessOrphans(stack.deps, operationDefinitions);
    expect(after.orphans.some((o) => o.kind === "tenantCopy" && o.tenantId === "left-behind")).toBe(false);
  });

  it("checks again when it starts: a clean-up queued for a kept copy deletes nothing", async () => {
    const { operation } = await enqueueOperation(
      catalog.db,
      orphanCleanupOperation(() => operationDefinitions),
      {
        kind: "cleanup_orphan",
        tenantId: "kept-copy",
        parameters: { target: "tenantCopy", tenantId: "kept-copy", tableName: "tsc-pool-a", region },
        idempotencyKey: randomUUID(),
        user: operator,
        action: "fleet.cleanupOrphan",
        target: { type: "tenant", id: "kept-copy" },
      },
    );
    expect(await runQueued("w3")).toBe("failed");
    expect((await catalog.db.operation.findUniqueOrThrow({ where: { id: operation.id } })).error).toMatch(
      /tsc-pool-a is not orphaned now for kept-copy: kept for the migration's rollback window until .*Nothing was deleted/,
    );
    expect(await digest("tsc-pool-a", "kept-copy")).toEqual(digests.get("kept-copy@tsc-pool-a"));
  });

  it("drops a retired instance's table that holds no tenant's items", async () => {
    const { data } = await requestOrphanCleanup(ctx, stack.deps, operationDefinitions, {
      target: "table",
      storageInstanceId: "silo-gone",
      tableName: "tsc-silo-gone",
      region,
      idempotencyKey: randomUUID(),
    });
    expect(await runQueued("w4")).toBe("succeeded");
    expect((await catalog.db.operation.findUniqueOrThrow({ where: { id: data.operationId } })).status).toBe("succeeded");
    expect(await tableExists(stack.dynamo, "tsc-silo-gone")).toBe(false);
    const after = await assessOrphans(stack.deps, operationDefinitions);
    expect(after.orphans.map((o) => (o.kind === "table" ? o.tableName : o.tenantId))).toEqual(["old-move"]);
  });
});
