// Suspension against dynalite and the catalog, on PGlite and PostgreSQL 15:
// the data plane refuses a suspended tenant with the operator's reason and
// serves it again once resumed, its items untouched; repeats change nothing;
// a call that stopped between the catalog and routing is finished by the
// next; an operation holding the tenant blocks everyone but itself.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../local/operation-stack";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { SignedInUser } from "../auth/action-context";
import { createDataPlane, fromAttributeValues, TenantUnavailableError } from "../data-plane";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import { fillTenant, pool, tenant, tenantDigest } from "../operations/__tests__/migration-fixture";
import { getRoutingRecord } from "../routing/routing-table";
import { defaultKeyScheme } from "../storage/key-scheme";
import { seedKey } from "../storage/seed-tenant";
import { tenantEntities } from "../storage/tenant-items";
import { resumeTenant, SuspensionRefusal, suspendTenant } from "./suspension";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const routingTable = "suspension-it-routing";

describe.each(testDatabases)("suspension on $name", (target) => {
  let catalog: TestDatabase;
  let stack: OperationStack;
  let operator: SignedInUser;

  const routing = (tenantId: string) => getRoutingRecord(stack.dynamo, tenantId, routingTable);
  const catalogRow = (tenantId: string) =>
    catalog.db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { status: true, suspendedReason: true, suspendedAt: true } });
  const audits = (tenantId: string) => catalog.db.auditEntry.findMany({ where: { targetId: tenantId }, orderBy: { at: "asc" } });
  /** A fresh data plane (no cached routing) reading one of the tenant's items. */
  const readThroughDataPlane = async (tenantId: string) => {
    const dataPlane = createDataPlane({ routingTable, readersTable: null, region: "us-east-1", clientFor: () => stack.dynamo });
    try {
      return await dataPlane.forTenant(tenantId).get(fromAttributeValues(seedKey(defaultKeyScheme, tenantId, tenantEntities[0], 0)));
    } finally {
      await dataPlane.close();
    }
  };

  beforeAll(async () => {
    catalog = await target.start();
    await seedCatalog(catalog.db, {
      plans: demoPlans,
      instances: [pool("pool-a")],
      tenants: ["unpaid", "repeat", "half", "held", "gone"].map((id) => tenant(id, "pool-a")),
      users: demoUsers,
    });
    const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
    operator = { id: user.id, email: user.email, name: user.name, role: user.role };
    stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: "SuspensionTest", worker: false });
    await fillTenant(stack.dynamo, "tsc-pool-a", "unpaid", 40);
  });

  afterAll(async () => {
    await stack?.stop();
    await catalog?.stop();
  });

  it("suspends with a reason the data plane tells its callers, and resumes; the items stay as they were", async () => {
    const before = await tenantDigest(stack.dynamo, "tsc-pool-a", "unpaid");
    const suspended = await suspendTenant(stack.deps, "unpaid", { reason: "Unpaid invoice INV-2041", by: operator });
    expect(suspended).toMatchObject({ changed: true, before: { status: "active", suspendedReason: null } });
    expect(await catalogRow("unpaid")).toMatchObject({ status: "suspended", suspendedReason: "Unpaid invoice INV-2041" });
    expect((await catalogRow("unpaid")).suspendedAt).toBeInstanceOf(Date);
    expect(await routing("unpaid")).toMatchObject({ status: "suspended", suspendedReason: "Unpaid invoice INV-2041" });

    const refusal = await readThroughDataPlane("unpaid").catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TenantUnavailableError);
    expect(refusal).toMatchObject({ status: "suspended", reason: "Unpaid invoice INV-2041", retryable: false });
    expect((refusal as Error).message).toBe("tenant unpaid is suspended: Unpaid invoice INV-2041");

    const resumed = await resumeTenant(stack.deps, "unpaid", { by: operator });
    expect(resumed).toMatchObject({ changed: true, before: { status: "suspended", suspendedReason: "Unpaid invoice INV-2041" } });
    expect(await catalogRow("unpaid")).toEqual({ status: "active", suspendedReason: null, suspendedAt: null });
    expect(await routing("unpaid")).toMatchObject({ status: "active", suspendedReason: null });
    expect(await readThroughDataPlane("unpaid")).toMatchObject(
      fromAttributeValues(seedKey(defaultKeyScheme, "unpaid", tenantEntities[0], 0)),
    );
    expect(await tenantDigest(stack.dynamo, "tsc-pool-a", "unpaid")).toEqual(before);

    const entries = await audits("unpaid");
    expect(entries.map((e) => [e.action, e.outcome, e.actorEmail])).toEqual([
      ["tenants.suspend", "succeeded", operator.email],
      ["tenants.resume", "succeeded", operator.email],
    ]);
    expect(entries[0]!.parameters).toEqual({ reason: "Unpaid invoice INV-2041" });
  });

  it("is idempotent: a repeat changes nothing and writes no audit entry; a new reason replaces the old, keeping since when", async () => {
    await suspendTenant(stack.deps, "repeat", { reason: "abuse report", by: operator });
    const first = await catalogRow("repeat");
    const version = (await routing("repeat"))!.version;
    expect(await suspendTenant(stack.deps, "repeat", { reason: "  abuse report ", by: operator })).toMatchObject({ changed: false });
    expect((await routing("repeat"))!.version).toBe(version);
    expect(await audits("repeat")).toHaveLength(1);

    await suspendTenant(stack.deps, "repeat", { reason: "abuse report, confirmed", by: operator });
    expect(await catalogRow("repeat")).toEqual({ ...first, suspendedReason: "abuse report, confirmed" });
    expect(await routing("repeat")).toMatchObject({
      status: "suspended",
      suspendedReason: "abuse report, confirmed",
      version: version + 1,
    });

    await resumeTenant(stack.deps, "repeat", { by: operator });
    expect(await resumeTenant(stack.deps, "repeat", { by: operator })).toMatchObject({ changed: false });
    expect((await audits("repeat")).map((e) => e.action)).toEqual(["tenants.suspend", "tenants.suspend", "tenants.resume"]);
  });

  it("finishes a suspension that stopped after the catalog and before routing", async () => {
    // As if the process died between the transaction and the routing write.
    await catalog.db.tenant.update({
      where: { id: "half" },
      data: { status: "suspended", suspendedReason: "chargeback", suspendedAt: new Date() },
    });
    expect(await routing("half")).toMatchObject({ status: "active", suspendedReason: null });
    expect(await suspendTenant(stack.deps, "half", { reason: "chargeback", by: operator })).toMatchObject({ changed: false });
    expect(await routing("half")).toMatchObject({ status: "suspended", suspendedReason: "chargeback" });
  });

  it("refuses a tenant another operation holds, but not the operation that holds it", async () => {
    const operation = await catalog.db.operation.create({
      data: {
        kind: "offboard",
        status: "running",
        tenantId: "held",
        activeTenantId: "held",
        requestedById: operator.id,
        idempotencyKey: randomUUID(),
      },
    });
    await expect(suspendTenant(stack.deps, "held", { reason: "unpaid", by: operator })).rejects.toThrow(SuspensionRefusal);
    await expect(suspendTenant(stack.deps, "held", { reason: "unpaid", by: operator })).rejects.toThrow(/being offboarded/);
    expect(await catalogRow("held")).toMatchObject({ status: "active" });

    await suspendTenant(stack.deps, "held", { reason: "offboarding", by: operator, operationId: operation.id });
    expect(await routing("held")).toMatchObject({ status: "suspended", suspendedReason: "offboarding" });
    await expect(resumeTenant(stack.deps, "held", { by: operator })).rejects.toThrow(/cancel the offboarding/);
    const [entry] = await audits("held");
    expect(entry).toMatchObject({ action: "tenants.suspend", operationId: operation.id });

    await resumeTenant(stack.deps, "held", { by: operator, operationId: operation.id });
    expect(await routing("held")).toMatchObject({ status: "active", suspendedReason: null });
  });

  it("refuses an offboarded tenant, an unknown one and an empty reason", async () => {
    await catalog.db.tenant.update({ where: { id: "gone" }, data: { status: "offboarded", offboardedAt: new Date() } });
    await expect(suspendTenant(stack.deps, "gone", { reason: "x", by: operator })).rejects.toThrow(/is offboarded/);
    await expect(resumeTenant(stack.deps, "gone", { by: operator })).rejects.toThrow(/is offboarded/);
    await expect(suspendTenant(stack.deps, "nobody", { reason: "x", by: operator })).rejects.toThrow(/No tenant nobody/);
    await expect(suspendTenant(stack.deps, "unpaid", { reason: "   ", by: operator })).rejects.toThrow(/needs a reason/);
    expect(await audits("gone")).toHaveLength(0);
  });
});
