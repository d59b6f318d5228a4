// The server's half of the operator's forms, through the server actions as a browser calls them (PGlite): a
// migration to a target without headroom is refused and audited unless overridden with a reason, which the
// operation and its audit entry keep; a plan change that lowers a limit is refused and audited unless confirmed.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { SignedInUser } from "../auth/action-context";
import { testDatabase, type TestDatabase } from "../db/__tests__/databases";
import type { Db } from "../db/client";
import { pool, tenant } from "../operations/__tests__/migration-fixture";
import { newSiloTarget } from "./operation";
import { recommendedTargets } from "./plan";

const server = vi.hoisted(() => {
  // The reader is built (never called): its client needs a region.
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  return { user: null as SignedInUser | null, db: null as Db | null, load: 0 };
});
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => server.user }));
vi.mock("@/lib/db/client", async (original) => ({ ...(await original<object>()), getDb: () => server.db }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
// The target's "with this tenant" figure, as CloudWatch would give it.
vi.mock("@/lib/migration/plan", async (original) => ({
  ...(await original<object>()),
  measuredTargetLoad: () => async () => server.load,
}));
const { migrateTenantAction } = await import("../../app/(console)/tenants/[id]/migrate/actions");
const { changePlanAction } = await import("../../app/(console)/tenants/[id]/plan/actions");
const { backUpNowAction } = await import("../../app/(console)/backups/actions");

describe("operator form checks on the server", () => {
  let catalog: TestDatabase;
  let db: Db;
  const form = (values: Record<string, string>) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(values)) data.set(key, value);
    return data;
  };
  const entriesOf = (action: string) => db.auditEntry.findMany({ where: { action }, orderBy: { at: "asc" } });

  beforeAll(async () => {
    catalog = await testDatabase("pglite").start();
    db = catalog.db;
    await seedCatalog(db, {
      plans: demoPlans,
      instances: [pool("pool-a"), pool("pool-b")],
      tenants: [tenant("acme", "pool-a"), tenant("globex", "pool-a")],
      users: demoUsers,
    });
    const operator = await db.user.findFirstOrThrow({ where: { role: "operator" } });
    server.user = { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
    server.db = db;
  }, 120_000);

  afterAll(async () => {
    await catalog?.stop();
  });

  it("refuses a migration to a pool without headroom unless overridden with a reason, and keeps the reason", async () => {
    server.load = 1.3;
    const refused = await migrateTenantAction(
      form({ tenantId: "acme", target: "pool-b", copyRatePerSec: "0", idempotencyKey: crypto.randomUUID() }),
    );
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/pool-b would be 130 % busy .*override the headroom check/) });
    expect(await db.operation.count({ where: { kind: "migrate" } })).toBe(0);
    expect(await entriesOf("tenants.migrate")).toEqual([
      expect.objectContaining({ outcome: "refused", targets: ["tenant:acme"], detail: expect.stringMatching(/no|above the 80 %/) }),
    ]);

    const blank = await migrateTenantAction(
      form({ tenantId: "acme", target: "pool-b", copyRatePerSec: "0", overrideReason: "  ", idempotencyKey: crypto.randomUUID() }),
    );
    expect(blank.ok).toBe(false);

    const reason = "pool-b doubles its capacity tonight";
    const overridden = await migrateTenantAction(
      form({ tenantId: "acme", target: "pool-b", copyRatePerSec: "0", overrideReason: reason, idempotencyKey: crypto.randomUUID() }),
    );
    expect(overridden.ok).toBe(true);
    const operation = await db.operation.findFirstOrThrow({ where: { kind: "migrate" } });
    expect(operation.parameters).toMatchObject({ target: "pool-b", headroomOverride: reason });
    const queued = (await entriesOf("tenants.migrate")).at(-1)!;
    expect(queued).toMatchObject({ outcome: "succeeded", parameters: expect.objectContaining({ headroomOverride: reason }) });
    expect(queued.detail).toMatch(/headroom check overridden/);
    // The request's entry names the tenant, where it is and where it goes.
    expect([...queued.targets].sort()).toEqual(["instance:pool-a", "instance:pool-b", `operation:${operation.id}`, "tenant:acme"]);
  });

  it("migrates to a pool with headroom without any override", async () => {
    server.load = 0.4;
    const result = await migrateTenantAction(
      form({ tenantId: "globex", target: "pool-b", copyRatePerSec: "0", idempotencyKey: crypto.randomUUID() }),
    );
    expect(result.ok).toBe(true);
    const operation = await db.operation.findFirstOrThrow({ where: { kind: "migrate", tenantId: "globex" } });
    expect(operation.parameters).not.toHaveProperty("headroomOverride");
  });

  it("refuses a plan change that lowers a limit unless confirmed; raising needs no confirmation", async () => {
    await db.operation.updateMany({ data: { status: "cancelled", activeTenantId: null } });
    const lower = { tenantId: "acme", planId: "basic" };
    const refused = await changePlanAction(form({ ...lower, idempotencyKey: crypto.randomUUID() }));
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringMatching(/lowers acme's rate, burst and daily quota .*confirm the lowering/),
    });
    expect(await entriesOf("tenants.changePlan")).toEqual([expect.objectContaining({ outcome: "refused", targets: ["tenant:acme"] })]);
    expect(await db.operation.count({ where: { kind: "change_plan" } })).toBe(0);

    const confirmed = await changePlanAction(form({ ...lower, confirmLowering: "true", idempotencyKey: crypto.randomUUID() }));
    expect(confirmed.ok).toBe(true);
    const raised = await changePlanAction(form({ tenantId: "globex", planId: "premium", idempotencyKey: crypto.randomUUID() }));
    expect(raised.ok).toBe(true);
    const queued = await entriesOf("tenants.changePlan");
    expect(queued.filter((e) => e.outcome === "succeeded").map((e) => [...e.targets].sort())).toEqual([
      expect.arrayContaining(["tenant:acme", "plan:standard", "plan:basic"]),
      expect.arrayContaining(["tenant:globex", "plan:standard", "plan:premium"]),
    ]);
  });

  it("refuses and audits a backup forged by support (the tenant and instance pages show support no button)", async () => {
    const support = await db.user.findFirstOrThrow({ where: { role: "support" } });
    const operator = server.user;
    server.user = { id: support.id, email: support.email, name: support.name, role: support.role };
    try {
      const forged = await backUpNowAction(
        form({ storageInstanceId: "pool-a", strategy: "per_tenant", idempotencyKey: crypto.randomUUID() }),
      );
      expect(forged).toMatchObject({ ok: false, error: expect.stringMatching(/Forbidden/) });
    } finally {
      server.user = operator;
    }
    expect(await db.operation.count({ where: { kind: "backup" } })).toBe(0);
    expect(await entriesOf("backups.create")).toEqual([
      expect.objectContaining({ outcome: "refused", actorEmail: support.email, targets: ["instance:pool-a"] }),
    ]);
  });

  it("reads where open findings recommend moving a tenant, for the form to mark and preselect", async () => {
    const finding = (subject: string, status: "open" | "resolved", moves: object[]) =>
      db.finding.create({
        data: {
          kind: "noisy_neighbour",
          subject,
          storageInstanceId: "pool-a",
          tenantId: "acme",
          status,
          severity: "major",
          peakSeverity: "major",
          summary: subject,
          sinceAt: new Date(),
          lastSeenAt: new Date(),
          recommendation: { moves, before: {}, after: {} },
        },
      });
    await finding("open-a", "open", [
      { tenantId: "acme", action: "migrate_to_pool", targetInstanceId: "pool-b", reason: "room" },
      { tenantId: "globex", action: "migrate_to_silo", reason: "heavy" },
    ]);
    await finding("resolved-a", "resolved", [{ tenantId: "acme", action: "migrate_to_silo", reason: "old" }]);
    expect([...(await recommendedTargets(db, "acme"))]).toEqual(["pool-b"]);
    expect([...(await recommendedTargets(db, "globex"))]).toEqual([newSiloTarget]);
    expect([...(await recommendedTargets(db, "nobody"))]).toEqual([]);
  });
});
