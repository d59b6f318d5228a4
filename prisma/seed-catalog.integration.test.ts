import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../lib/auth/passwords";
import { testDatabases, type TestDatabase } from "../lib/db/__tests__/databases";
import { demoUsers, generateFleet } from "./demo-fleet";
import { seedCatalog } from "./seed-catalog";

describe.each(testDatabases)("the demo seed on $name", ({ start }) => {
  let t: TestDatabase;
  const fleet = generateFleet();
  beforeAll(async () => {
    t = await start();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("creates the whole fleet once", async () => {
    const first = await seedCatalog(t.db, fleet);
    expect(first).toEqual({
      plans: fleet.plans.length,
      instances: fleet.instances.length,
      tenants: fleet.tenants.length,
      users: demoUsers.length,
    });
    expect(await t.db.tenant.count()).toBe(fleet.tenants.length);
    const admin = await t.db.user.findUniqueOrThrow({ where: { email: "admin@example.com" }, omit: { passwordHash: false } });
    expect(admin.role).toBe("admin");
    expect(await verifyPassword("demo-admin-pass", admin.passwordHash!)).toBe(true);
  });

  it("creates nothing and undoes nothing when run again", async () => {
    const tenant = fleet.tenants.find((x) => x.tier === "basic")!;
    await t.db.tenant.update({ where: { id: tenant.id }, data: { planId: "enterprise", status: "suspended" } });
    await t.db.throttlingPlan.update({ where: { id: "basic" }, data: { ratePerSec: 60 } });
    await t.db.user.update({ where: { email: "operator@example.com" }, data: { role: "support" } });

    expect(await seedCatalog(t.db, fleet)).toEqual({ plans: 0, instances: 0, tenants: 0, users: 0 });

    expect(await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ planId: "enterprise", status: "suspended" });
    expect((await t.db.throttlingPlan.findUniqueOrThrow({ where: { id: "basic" } })).ratePerSec).toBe(60);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "operator@example.com" } })).role).toBe("support");
    expect(await t.db.tenant.count()).toBe(fleet.tenants.length);
  });
});
