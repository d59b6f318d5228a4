import { describe, expect, it } from "vitest";
import { defaultKeyScheme, type KeyScheme } from "../storage/key-scheme";
import { planImport, type CatalogInstance, type CatalogState, type CatalogTenant } from "./plan";
import { checkTable, onDemandDefaultUnits, tableFactsOf, type TableFacts } from "./table-check";
import type { DeclaredFleet, DeclaredInstance, DeclaredTenant } from "./validate";

const tenantScheme: KeyScheme = { ...defaultKeyScheme, partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}" };

const instance = (id: string, more: Partial<DeclaredInstance> = {}): DeclaredInstance => ({
  line: 2,
  id,
  tableName: `t-${id}`,
  region: "us-east-1",
  mode: "pool",
  keyScheme: defaultKeyScheme,
  customScheme: false,
  ...more,
});

const tenant = (id: string, storageInstanceId: string, more: Partial<DeclaredTenant> = {}): DeclaredTenant => ({
  line: 10,
  id,
  name: id.toUpperCase(),
  tier: "standard",
  deploymentModel: "pool",
  planId: "standard",
  storageInstanceId,
  bridgeEntity: null,
  bridgeInstanceId: null,
  contactEmail: null,
  ...more,
});

const table = (scheme: KeyScheme, more: Partial<Extract<TableFacts, { found: true }>> = {}): TableFacts => ({
  found: true,
  region: "us-east-1",
  status: "ACTIVE",
  partitionKey: { name: scheme.partitionKey, type: "S" },
  sortKey: scheme.sortKey ? { name: scheme.sortKey, type: "S" } : null,
  capacityMode: "provisioned",
  readUnitsPerSec: 100,
  writeUnitsPerSec: 50,
  indexes: {},
  ...more,
});

const registered = (declared: DeclaredInstance, more: Partial<CatalogInstance> = {}): CatalogInstance => ({
  id: declared.id,
  tableName: declared.tableName,
  region: declared.region,
  mode: declared.mode,
  status: "active",
  keyScheme: declared.customScheme ? declared.keyScheme : null,
  ...more,
});

const inCatalog = (declared: DeclaredTenant, keyPrefix: string, more: Partial<CatalogTenant> = {}): CatalogTenant => ({
  id: declared.id,
  name: declared.name,
  tier: declared.tier,
  deploymentModel: declared.deploymentModel,
  status: "active",
  planId: declared.planId,
  storageInstanceId: declared.storageInstanceId,
  bridgeEntity: declared.bridgeEntity,
  bridgeInstanceId: declared.bridgeInstanceId,
  contactEmail: declared.contactEmail,
  keyPrefix,
  ...more,
});

const empty: CatalogState = { instances: [], tenants: [] };
const actions = (plan: ReturnType<typeof planImport>) =>
  plan.rows.map((r) => `${r.kind} ${r.id} ${r.action}${r.reasons.length ? `: ${r.reasons.join(" | ")}` : ""}`);

describe("the import plan", () => {
  const poolA = instance("pool-a", { keyScheme: tenantScheme, customScheme: true });
  const siloB = instance("silo-b", { mode: "silo" });
  const fleet: DeclaredFleet = {
    instances: [poolA, siloB],
    tenants: [tenant("globex", "pool-a"), tenant("initech", "silo-b", { deploymentModel: "silo", tier: "premium" })],
  };
  const tables = new Map([
    ["pool-a", table(tenantScheme)],
    ["silo-b", table(defaultKeyScheme, { capacityMode: "on_demand", readUnitsPerSec: null, writeUnitsPerSec: null })],
  ]);

  it("creates everything in an empty catalog, with key prefixes from each instance's scheme and the tables' capacity", () => {
    const plan = planImport(fleet, empty, tables);
    expect(actions(plan)).toEqual(["instance pool-a create", "instance silo-b create", "tenant globex create", "tenant initech create"]);
    expect(plan.instances).toEqual({ create: 2, unchanged: 0, conflict: 0 });
    expect(plan.creates.instances).toEqual([
      expect.objectContaining({
        id: "pool-a",
        capacityMode: "provisioned",
        readUnitsPerSec: 100,
        writeUnitsPerSec: 50,
        keyScheme: tenantScheme,
      }),
      expect.objectContaining({
        id: "silo-b",
        capacityMode: "on_demand",
        readUnitsPerSec: onDemandDefaultUnits,
        writeUnitsPerSec: onDemandDefaultUnits,
        keyScheme: null,
      }),
    ]);
    expect(plan.rows[1]!.notes).toEqual([expect.stringMatching(/no maximum throughput/)]);
    expect(plan.creates.tenants.map((t) => [t.id, t.keyPrefix])).toEqual([
      ["globex", "TENANT#globex"],
      ["initech", "initech#"],
    ]);
    expect(plan.tenantIds).toEqual(["globex", "initech"]);
  });

  it("finds nothing to do once the catalog says what the file says (importing twice changes nothing)", () => {
    const first = planImport(fleet, empty, tables);
    const catalog: CatalogState = {
      instances: [registered(poolA), registered(siloB)],
      tenants: first.creates.tenants.map((t) =>
        inCatalog(
          fleet.tenants.find((d) => d.id === t.id)!,
          t.keyPrefix,
        ),
      ),
    };
    const again = planImport(fleet, catalog, tables);
    expect(actions(again)).toEqual([
      "instance pool-a unchanged",
      "instance silo-b unchanged",
      "tenant globex unchanged",
      "tenant initech unchanged",
    ]);
    expect(again.creates).toEqual({ instances: [], tenants: [] });
    // Routing is still published for them: an apply that stopped before publishing is finished by the next.
    expect(again.tenantIds).toEqual(["globex", "initech"]);
    expect(again.fingerprint).not.toBe(first.fingerprint);
  });

  it("reports a tenant that exists with another placement or plan, and creates nothing", () => {
    const catalog: CatalogState = {
      instances: [registered(poolA), registered(siloB), { ...registered(instance("pool-z")) }],
      tenants: [inCatalog(tenant("globex", "pool-z", { planId: "basic" }), "globex#")],
    };
    const plan = planImport(fleet, catalog, tables);
    expect(actions(plan)[2]).toBe(
      "tenant globex conflict: tenant globex exists with another placement (catalog: pool-z; file: pool-a); another plan (catalog: basic; file: standard)",
    );
    expect(plan.creates).toEqual({ instances: [], tenants: [] });
    expect(plan.tenantIds).toEqual([]);
  });

  it("reports a name that looks like another tenant's, in the catalog or earlier in the file (issue 18)", () => {
    const catalog: CatalogState = {
      instances: [registered(poolA), registered(siloB)],
      tenants: [inCatalog(tenant("acme", "pool-a", { name: "Acme" }), "TENANT#acme", { nameKey: "acme" })],
    };
    const named: DeclaredFleet = {
      instances: [poolA, siloB],
      tenants: [
        tenant("globex", "pool-a", { name: "\uFF21\uFF23\uFF2D\uFF25" }),
        tenant("initech", "silo-b", { deploymentModel: "silo", tier: "premium", name: "Initech" }),
        tenant("initech-2", "pool-a", { name: "INI\u200BTECH" }),
      ],
    };
    expect(actions(planImport(named, catalog, tables)).slice(2)).toEqual([
      'tenant globex conflict: its name "ＡＣＭＥ" looks the same as tenant acme\'s ("Acme")',
      "tenant initech create",
      'tenant initech-2 conflict: its name "INI\u200BTECH" looks the same as tenant initech\'s ("Initech")',
    ]);
  });

  it("reports a table registered under another id, an id registered with another table, and their tenants", () => {
    const catalog: CatalogState = {
      instances: [
        registered(instance("pool-old", { tableName: "t-pool-a" })),
        registered(instance("silo-b", { tableName: "t-other", mode: "silo" })),
      ],
      tenants: [],
    };
    expect(actions(planImport(fleet, catalog, tables))).toEqual([
      "instance pool-a conflict: table t-pool-a is already registered as storage instance pool-old",
      "instance silo-b conflict: storage instance silo-b is already registered with table t-other",
      "tenant globex conflict: its storage instance pool-a cannot be imported (see its row)",
      "tenant initech conflict: its storage instance silo-b cannot be imported (see its row)",
    ]);
  });

  it("reports a key scheme that differs from the registered one", () => {
    const catalog: CatalogState = { instances: [registered(poolA, { keyScheme: null })], tenants: [] };
    expect(actions(planImport({ instances: [poolA], tenants: [] }, catalog, tables))[0]).toMatch(
      /^instance pool-a conflict: storage instance pool-a is already registered with key scheme pk = \{tenantId\}#\{entity\}/,
    );
  });

  it("reports a key prefix another tenant holds, a silo already taken, offboarded ids and instances not active", () => {
    const catalog: CatalogState = {
      instances: [registered(poolA), registered(siloB), registered(instance("pool-retired"), { status: "retired" })],
      tenants: [
        inCatalog(tenant("other", "pool-a"), "TENANT#globex"),
        inCatalog(tenant("occupant", "silo-b", { deploymentModel: "silo" }), "occupant#"),
        inCatalog(tenant("gone", "pool-a"), "TENANT#gone", { status: "offboarded" }),
      ],
    };
    const plan = planImport(
      { instances: [poolA, siloB], tenants: [...fleet.tenants, tenant("gone", "pool-a"), tenant("late", "pool-retired")] },
      catalog,
      tables,
    );
    expect(actions(plan).slice(2)).toEqual([
      "tenant globex conflict: key prefix TENANT#globex already belongs to tenant other",
      "tenant initech conflict: silo silo-b already holds tenant occupant",
      "tenant gone conflict: tenant gone was offboarded (tenant ids are never reused)",
      "tenant late conflict: storage instance pool-retired is retired: new tenants are placed only on active instances",
    ]);
  });

  it("makes a table that is missing or keyed otherwise a conflict", () => {
    const plan = planImport(
      fleet,
      empty,
      new Map([
        ["pool-a", table(defaultKeyScheme)],
        ["silo-b", { found: false, region: "us-east-1" }],
      ]),
    );
    expect(actions(plan).slice(0, 2)).toEqual([
      "instance pool-a conflict: the table's partition key is pk, the key scheme says PK | the table's sort key is sk, the key scheme says SK",
      "instance silo-b conflict: no table t-silo-b in us-east-1",
    ]);
  });
});

describe("checking a table against its declaration", () => {
  const declared = { tableName: "t", region: "eu-west-1", keyScheme: { ...tenantScheme, sortKey: null, tenantIndex: "byTenant" } };

  it("reads DescribeTable's key schema, capacity and indexes", () => {
    const facts = tableFactsOf("eu-west-1", {
      TableName: "t",
      TableStatus: "ACTIVE",
      AttributeDefinitions: [
        { AttributeName: "PK", AttributeType: "N" },
        { AttributeName: "SK", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "PK", KeyType: "HASH" },
        { AttributeName: "SK", KeyType: "RANGE" },
      ],
      BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
      OnDemandThroughput: { MaxReadRequestUnits: 500, MaxWriteRequestUnits: -1 },
      GlobalSecondaryIndexes: [{ IndexName: "byTenant", KeySchema: [{ AttributeName: "owner", KeyType: "HASH" }] }],
    });
    expect(facts).toMatchObject({
      found: true,
      capacityMode: "on_demand",
      readUnitsPerSec: 500,
      writeUnitsPerSec: null,
      indexes: { byTenant: "owner" },
    });
    const check = checkTable(declared, facts);
    expect(check.problems).toEqual([
      "the table's partition key PK is of type N; the key scheme needs strings (S)",
      "the table has a sort key (SK) but the key scheme declares none",
      "index byTenant's partition key is owner, not the tenant attribute tenantId",
    ]);
    // An index named like a property every object has is an index the table does not have (issue 18).
    expect(checkTable({ ...declared, keyScheme: { ...declared.keyScheme, tenantIndex: "toString" } }, facts).problems).toContain(
      "the table has no global secondary index toString (the key scheme's tenant index)",
    );
    expect(check.capacity).toEqual({ capacityMode: "on_demand", readUnitsPerSec: 500, writeUnitsPerSec: onDemandDefaultUnits });
  });

  it("reads provisioned capacity and a table still being created", () => {
    const facts = tableFactsOf("eu-west-1", {
      TableStatus: "CREATING",
      AttributeDefinitions: [{ AttributeName: "PK", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }],
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [{ IndexName: "byTenant", KeySchema: [{ AttributeName: "tenantId", KeyType: "HASH" }] }],
    });
    const check = checkTable(declared, facts);
    expect(check.problems).toEqual(["the table is CREATING, not ACTIVE"]);
    expect(check.capacity).toEqual({ capacityMode: "provisioned", readUnitsPerSec: 10, writeUnitsPerSec: 5 });
  });
});
