import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases, type TestDatabase } from "../../db/__tests__/databases";
import { checkDatabase } from "../../health/check-database";
import { updateUserAccess } from "../../users/users";
import { fleetSummary } from "../fleet-summary";
import { listStorageInstances } from "../storage-instances";
import { defaultTenantListParams, type TenantListParams } from "../tenant-list-params";
import { getTenant, listTenants } from "../tenants";
import { keyPrefixFor } from "../vocabulary";
import { nameKey } from "../../validation/names";

const names = [
  "Acme Logistics",
  "acme-robotics",
  "Café Lumière",
  "50% Off Deals",
  "under_score Labs",
  "Müller Logistik GmbH",
  "株式会社さくら",
  "شركة النخيل",
  "Globex",
  "Initech",
];

async function seedFixture(t: TestDatabase) {
  const { db } = t;
  await db.throttlingPlan.createMany({
    data: [
      { id: "basic", name: "Basic", nameKey: "basic", defaultFor: "basic", ratePerSec: 50, burst: 50, quotaPerDay: 1000 },
      { id: "premium", name: "Premium", nameKey: "premium", defaultFor: "premium", ratePerSec: 100, burst: 200, quotaPerDay: 5000 },
    ],
  });
  await db.storageInstance.createMany({
    data: [
      {
        id: "pool-a",
        tableName: "t-pool-a",
        mode: "pool",
        capacityMode: "provisioned",
        readUnitsPerSec: 400,
        writeUnitsPerSec: 200,
        region: "us-east-1",
      },
      {
        id: "pool-b",
        tableName: "t-pool-b",
        mode: "pool",
        capacityMode: "on_demand",
        readUnitsPerSec: 4000,
        writeUnitsPerSec: 4000,
        region: "eu-west-1",
      },
      {
        id: "silo-globex",
        tableName: "t-silo-globex",
        mode: "silo",
        capacityMode: "on_demand",
        readUnitsPerSec: 1000,
        writeUnitsPerSec: 1000,
        region: "us-east-1",
      },
    ],
  });
  const slug = (name: string, i: number) =>
    `t${String(i).padStart(2, "0")}-${
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "x"
    }`
      .slice(0, 40)
      .replace(/-$/, "");
  await db.tenant.createMany({
    data: names.map((name, i) => {
      const id = slug(name, i);
      const silo = name === "Globex";
      return {
        id,
        name,
        nameKey: nameKey(name),
        tier: silo ? "premium" : "basic",
        deploymentModel: silo ? "silo" : i === 8 ? "bridge" : "pool",
        status: i === 9 ? "suspended" : "active",
        planId: silo ? "premium" : "basic",
        storageInstanceId: silo ? "silo-globex" : i % 2 === 0 ? "pool-a" : "pool-b",
        keyPrefix: keyPrefixFor(id),
        contactEmail: `ops@${id}.example`,
      } as const;
    }),
  });
  // A bridge tenant whose siloed entity lives on the silo instance.
  await db.tenant.create({
    data: {
      id: "bridge-co",
      name: "Bridge Co",
      nameKey: nameKey("Bridge Co"),
      tier: "premium",
      deploymentModel: "bridge",
      status: "active",
      planId: "premium",
      storageInstanceId: "pool-a",
      keyPrefix: keyPrefixFor("bridge-co"),
      bridgeEntity: "orders",
      bridgeInstanceId: "silo-globex",
    },
  });
  await db.user.createMany({
    data: [
      { id: "u-admin", email: "admin@example.com", name: "Ada Admin", role: "admin" },
      { id: "u-support", email: "support@example.com", name: "Sam Support", role: "support" },
    ],
  });
}

const list = (t: TestDatabase, change: Partial<TenantListParams>) => listTenants(t.db, { ...defaultTenantListParams, ...change });

describe.each(testDatabases)("catalog queries on $name", ({ start }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await start();
    await seedFixture(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("searches names case-insensitively, including non-Latin names", async () => {
    const acme = await list(t, { q: "ACME" });
    expect(acme.rows.map((r) => r.name).sort()).toEqual(["Acme Logistics", "acme-robotics"]);
    expect((await list(t, { q: "lumière" })).rows.map((r) => r.name)).toEqual(["Café Lumière"]);
    expect((await list(t, { q: "さくら" })).rows.map((r) => r.name)).toEqual(["株式会社さくら"]);
    expect((await list(t, { q: "النخيل" })).total).toBe(1);
  });

  it("treats LIKE wildcards in a search as literal characters", async () => {
    expect((await list(t, { q: "50%" })).rows.map((r) => r.name)).toEqual(["50% Off Deals"]);
    expect((await list(t, { q: "%" })).rows.map((r) => r.name)).toEqual(["50% Off Deals"]);
    expect((await list(t, { q: "_" })).rows.map((r) => r.name)).toEqual(["under_score Labs"]);
  });

  it("searches ids and contact e-mails too", async () => {
    expect((await list(t, { q: "t08-globex" })).rows.map((r) => r.name)).toEqual(["Globex"]);
    expect((await list(t, { q: "ops@t09" })).rows.map((r) => r.name)).toEqual(["Initech"]);
  });

  it("filters by tier, model, status and instance, the instance filter including bridged tenants", async () => {
    expect((await list(t, { tier: "premium" })).total).toBe(2);
    expect((await list(t, { status: "suspended" })).rows.map((r) => r.name)).toEqual(["Initech"]);
    expect((await list(t, { model: "silo" })).rows.map((r) => r.name)).toEqual(["Globex"]);
    const silo = await list(t, { instance: "silo-globex" });
    expect(silo.rows.map((r) => r.id).sort()).toEqual(["bridge-co", "t08-globex"]);
    expect((await list(t, { instance: "pool-a", q: "acme" })).rows.map((r) => r.name)).toEqual(["Acme Logistics"]);
  });

  it("sorts, paginates with a stable order and counts the total", async () => {
    const all = await list(t, { size: 100 });
    expect(all.total).toBe(names.length + 1);
    // Collations differ between engines; what must hold is that desc is exactly asc reversed.
    const descending = await list(t, { size: 100, dir: "desc" });
    expect(descending.rows.map((r) => r.id)).toEqual(all.rows.map((r) => r.id).reverse());
    expect(all.rows[0]?.name).toBe("50% Off Deals");
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(...(await list(t, { size: 25, page, sort: "tier", dir: "desc" })).rows);
    const ids = pages.map((r) => r.id);
    expect(new Set(ids).size).toBe(names.length + 1);
    expect(pages[0]?.tier).toBe("premium");
    const page2 = await list(t, { size: 25, page: 2 });
    expect(page2.rows).toHaveLength(0);
    expect(page2.pageCount).toBe(1);
  });

  it("loads one tenant with its placement and plan, and nothing for an unknown id", async () => {
    const tenant = await getTenant(t.db, "bridge-co");
    expect(tenant?.storageInstance?.id).toBe("pool-a");
    expect(tenant?.bridgeInstance?.id).toBe("silo-globex");
    expect(tenant?.plan.ratePerSec).toBe(100);
    expect(tenant?.operations).toEqual([]);
    expect(await getTenant(t.db, "no-such-tenant")).toBeNull();
  });

  it("counts tenants per storage instance, bridged ones included", async () => {
    const instances = await listStorageInstances(t.db);
    const counts = Object.fromEntries(instances.map((i) => [i.id, i.tenantCount]));
    expect(counts).toEqual({ "pool-a": 5, "pool-b": 5, "silo-globex": 2 });
  });

  it("summarises the fleet", async () => {
    const summary = await fleetSummary(t.db);
    expect(summary.tenants).toBe(11);
    expect(summary.status).toMatchObject({ active: 10, suspended: 1, provisioning: 0 });
    expect(summary.instances).toEqual({ pool: 2, silo: 1 });
  });

  it("changes a role with its audit entry, and refuses to remove the last admin", async () => {
    const admin = { id: "u-admin", email: "admin@example.com", name: "Ada Admin", role: "admin" as const };
    const ctx = { db: t.db, user: admin };
    await updateUserAccess(ctx, { userId: "u-support", role: "operator", disabled: false });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: "u-support" } })).role).toBe("operator");
    const entries = await t.db.auditEntry.findMany({ where: { targetId: "u-support" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "users.updateAccess", outcome: "succeeded", actorEmail: "admin@example.com" });

    await expect(updateUserAccess(ctx, { userId: "u-admin", role: "support", disabled: false })).rejects.toThrow(/last active admin/);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: "u-admin" } })).role).toBe("admin");
    expect(await t.db.auditEntry.count({ where: { targetId: "u-admin" } })).toBe(0);
  });

  it("reports the database reachable with its version", async () => {
    const health = await checkDatabase(t.db);
    expect(health.reachable).toBe(true);
    expect(health.version).toMatch(/^PostgreSQL \d+/);
  });
});
