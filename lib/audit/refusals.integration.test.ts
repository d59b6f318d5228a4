// Issue 18, through the server actions themselves on PGlite and PostgreSQL 15: a refused request is audited whatever
// bytes it carried (NUL, lone surrogates, a surrogate pair at the trim, huge values, hostile keys) and its caller gets
// a clear error; a plan name with NUL is a field error and changes nothing; names that look like another tenant's or
// plan's are field errors naming it; an operator may not cancel an admin's plan update, and the refusal is audited.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { SignedInUser } from "../auth/action-context";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import type { Db } from "../db/client";
import { nameKey } from "../validation/names";

const server = vi.hoisted(() => ({ user: null as SignedInUser | null, db: null as Db | null }));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => server.user }));
vi.mock("@/lib/db/client", async (original) => ({ ...(await original<object>()), getDb: () => server.db }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { createPlanAction, updatePlanAction } = await import("../../app/(console)/plans/actions");
const { onboardTenantAction } = await import("../../app/(console)/tenants/new/actions");
const { cancelOperationAction } = await import("../../app/(console)/operations/actions");

process.env.AWS_REGION = "us-east-1";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};

describe.each(testDatabases)("refusals and names on $name", (target) => {
  let catalog: TestDatabase;
  const users = new Map<string, SignedInUser>();
  const as = (role: string) => (server.user = users.get(role)!);
  const audits = (action: string) => catalog.db.auditEntry.findMany({ where: { action }, orderBy: { at: "asc" } });

  beforeAll(async () => {
    catalog = await target.start();
    await seedCatalog(catalog.db, { plans: demoPlans, instances: [], tenants: [], users: demoUsers });
    for (const user of await catalog.db.user.findMany())
      users.set(user.role, { id: user.id, email: user.email, name: user.name, role: user.role });
    await catalog.db.tenant.create({
      data: {
        id: "acme",
        name: "Acme",
        nameKey: nameKey("Acme"),
        tier: "standard",
        deploymentModel: "pool",
        status: "active",
        planId: "standard",
      },
    });
    server.db = catalog.db;
  });

  afterAll(async () => {
    await catalog?.stop();
  });

  it("audits a forged request whatever it carries, and tells its caller why", async () => {
    as("support");
    const hostile: Record<string, unknown> = JSON.parse(
      '{"id": "x\\u0000y", "name": "\\ud800Acme\\u0000\\u001b[31m", "__proto__": "p", "constructor": "c", "$type": "Json", "k\\udc00\\u0000": "v"}',
    );
    hostile.burst = "a".repeat(199) + "🚀" + "b".repeat(100_000);
    const result = await createPlanAction(hostile);
    expect(result).toEqual({ ok: false, error: "Forbidden: the support role cannot do this (plans.manage)." });
    const forged = await createPlanAction(form({ id: "🚀".repeat(250), name: "\u0000", ratePerSec: "\uDFFF" }));
    expect(forged.ok).toBe(false);

    const [first, second] = await audits("plans.create");
    expect(first).toMatchObject({
      outcome: "refused",
      actorRole: "support",
      targetId: "x\\u0000y",
      detail: "role support lacks plans.manage",
    });
    expect(first!.parameters).toMatchObject({
      id: "x\\u0000y",
      name: "\\uD800Acme\\u0000\\u001B[31m",
      __proto__: "p",
      constructor: "c",
      $type: "Json",
      "k\\uDC00\\u0000": "v",
      burst: "a".repeat(199) + "🚀…",
    });
    expect(second).toMatchObject({ outcome: "refused", targetId: "🚀".repeat(200) + "…" });
    // FormData holds USVStrings: a lone surrogate sent in a form arrives as U+FFFD already.
    expect(second!.parameters).toMatchObject({ name: "\\u0000", ratePerSec: "\uFFFD" });
  });

  it("a plan name with NUL or escape is a field error, and nothing changes", async () => {
    as("admin");
    const before = await catalog.db.throttlingPlan.count();
    const entries = (await audits("plans.create")).length;
    for (const name of ["Gold\u0000", "Gold\u0007", "\u001b[2JGold"]) {
      const result = await createPlanAction(form({ id: "gold", name, ratePerSec: "10", burst: "10", quotaPerDay: "1000" }));
      expect(result).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringMatching(/control characters/)] } });
    }
    const update = await updatePlanAction(
      form({ planId: "basic\u0000", name: "Basic", ratePerSec: "1", burst: "1", quotaPerDay: "1", idempotencyKey: randomUUID() }),
    );
    expect(update).toMatchObject({ ok: false, fieldErrors: { planId: [expect.stringMatching(/control characters/)] } });
    expect(await catalog.db.throttlingPlan.count()).toBe(before);
    // Each refused attempt is audited (as refused, with its bytes made storable); none created anything.
    expect(await audits("plans.create")).toHaveLength(entries + 3);
    expect((await audits("plans.create")).slice(-3).every((a) => a.outcome === "refused")).toBe(true);
    expect(await catalog.db.operation.count({ where: { kind: "update_plan" } })).toBe(0);
  });

  it("refuses a plan name that looks like another plan's, naming it", async () => {
    as("admin");
    const create = await createPlanAction(form({ id: "gold", name: "ＢＡＳＩＣ", ratePerSec: "10", burst: "10", quotaPerDay: "1000" }));
    expect(create).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining('plan basic\'s name ("Basic")')] } });
    const update = await updatePlanAction(
      form({ planId: "premium", name: "stan\u200Bdard", ratePerSec: "1", burst: "1", quotaPerDay: "1", idempotencyKey: randomUUID() }),
    );
    expect(update).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining("plan standard's name")] } });
    const greek = await createPlanAction(form({ id: "gold", name: "\u0392asic", ratePerSec: "10", burst: "10", quotaPerDay: "1000" }));
    expect(greek).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringMatching(/mixes Latin and Greek/)] } });
    expect(await catalog.db.throttlingPlan.findUnique({ where: { id: "gold" } })).toBeNull();
  });

  it("refuses onboarding a tenant whose name looks like another's (full width, zero width, case, RLO, Greek Alpha)", async () => {
    as("operator");
    const onboard = (id: string, name: string) =>
      onboardTenantAction(
        form({ id, name, tier: "standard", region: "us-east-1", contactEmail: "ops@example.com", idempotencyKey: randomUUID() }),
      );
    for (const [id, name] of [
      ["acme-2", "ＡＣＭＥ"],
      ["acme-3", "Ac\u200Bme"],
      ["acme-4", " ACME "],
    ]) {
      const result = await onboard(id!, name!);
      expect(result).toMatchObject({
        ok: false,
        fieldErrors: { name: [`Looks the same as tenant acme's name ("Acme"): choose a name that tells them apart`] },
      });
    }
    expect(await onboard("acme-5", "\u202Eemca")).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringMatching(/direction/)] } });
    expect(await onboard("acme-6", "\u0391cme")).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringMatching(/Greek/)] } });
    expect(await catalog.db.tenant.count({ where: { id: { startsWith: "acme-" } } })).toBe(0);
    // Every refusal is audited, those of validation (direction controls, mixed scripts) as well as the look-alikes.
    expect((await audits("tenants.onboard")).map((a) => [a.outcome, a.targetId])).toEqual([
      ["refused", "acme-2"],
      ["refused", "acme-3"],
      ["refused", "acme-4"],
      ["refused", "acme-5"],
      ["refused", "acme-6"],
    ]);
    const accepted = await onboard("acme-eu", "Acme Europe 🚀");
    expect(accepted).toMatchObject({ ok: true });
  });

  it("only a role that may request an operation may cancel it: an operator cannot cancel an admin's plan update", async () => {
    as("admin");
    const queued = await updatePlanAction(
      form({ planId: "premium", name: "Premium", ratePerSec: "150", burst: "200", quotaPerDay: "5000000", idempotencyKey: randomUUID() }),
    );
    expect(queued.ok).toBe(true);
    const operationId = (queued as { data: { operationId: string } }).data.operationId;
    as("operator");
    const refused = await cancelOperationAction(form({ operationId }));
    expect(refused).toEqual({
      ok: false,
      error: "Forbidden: the operator role cannot cancel a plan update; it needs plans.manage, as requesting one does.",
    });
    expect(await catalog.db.operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ status: "queued" });
    expect(await audits("operations.cancel")).toEqual([
      expect.objectContaining({
        outcome: "refused",
        actorRole: "operator",
        targetId: operationId,
        detail: refused.ok ? "" : refused.error,
      }),
    ]);
    as("admin");
    expect(await cancelOperationAction(form({ operationId }))).toMatchObject({ ok: true });
    expect(await catalog.db.operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ status: "cancelled" });
  });
});
