// Importing an existing fleet through the page's server actions, against
// dynalite tables and the catalog on PGlite and PostgreSQL 15: into an empty
// catalog (instances and tenants created active, key prefixes from each
// instance's key scheme, routing published, one audit entry), the same file
// again (nothing changes), a file with a conflict (reported, nothing applied,
// the refusal audited), a stale confirmation, and roles that may not import.
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { SignedInUser } from "../auth/action-context";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import type { Db } from "../db/client";
import { getRoutingRecord, scanRoutingRecords, ensureRoutingTable } from "../routing/routing-table";
import type { ImportAccess } from "./access";

const server = vi.hoisted(() => ({ user: null as SignedInUser | null, db: null as Db | null, access: null as ImportAccess | null }));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => server.user }));
vi.mock("@/lib/db/client", async (original) => ({ ...(await original<object>()), getDb: () => server.db }));
vi.mock("@/lib/fleet-import/access", () => ({ consoleAccess: (db: Db) => ({ ...server.access, db }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { applyImportAction, dryRunImportAction } = await import("../../app/(console)/fleet/import/actions");

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const routingTable = "fleet-import-it-routing";

const table = (name: string, keys: [string, string | null], more: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName: name,
  AttributeDefinitions: keys.filter((k) => k !== null).map((k) => ({ AttributeName: k, AttributeType: "S" })),
  KeySchema: [{ AttributeName: keys[0], KeyType: "HASH" }, ...(keys[1] ? [{ AttributeName: keys[1], KeyType: "RANGE" as const }] : [])],
  BillingMode: "PROVISIONED",
  ProvisionedThroughput: { ReadCapacityUnits: 40, WriteCapacityUnits: 20 },
  ...more,
});

// The SaaS's existing tables: a pool keyed the console's default way, a pool keyed TENANT#<id> in PK/SK, an on-demand silo.
const existingTables = [
  table("acme-pool-1", ["pk", "sk"]),
  table("acme-pool-2", ["PK", "SK"]),
  table("acme-silo-initech", ["pk", "sk"], { BillingMode: "PAY_PER_REQUEST", ProvisionedThroughput: undefined }),
];

const fleetFile = JSON.stringify(
  {
    instances: [
      { id: "pool-1", tableName: "acme-pool-1", region: "us-east-1", mode: "pool" },
      {
        id: "pool-2",
        tableName: "acme-pool-2",
        region: "us-east-1",
        mode: "pool",
        keyScheme: { partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}", tenantAttribute: "tenantId" },
      },
      { id: "silo-initech", tableName: "acme-silo-initech", region: "eu-west-1", mode: "silo" },
    ],
    tenants: [
      { id: "globex", name: "Globex", tier: "standard", deploymentModel: "pool", planId: "standard", storageInstanceId: "pool-1" },
      {
        id: "hooli",
        name: "Hooli ✓",
        tier: "basic",
        deploymentModel: "pool",
        planId: "basic",
        storageInstanceId: "pool-2",
        contactEmail: "ops@hooli.test",
      },
      { id: "initech", name: "Initech", tier: "premium", deploymentModel: "silo", planId: "premium", storageInstanceId: "silo-initech" },
    ],
  },
  null,
  2,
);

describe.each(testDatabases)("importing a fleet on $name", (target) => {
  let catalog: TestDatabase;
  let dynamo: DynamoDBClient;
  let dynamoServer: Server;
  const users = new Map<string, SignedInUser>();
  const as = (role: string) => {
    server.user = users.get(role)!;
  };
  const items = async (tableName: string) => (await dynamo.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
  const audits = (action: string) => catalog.db.auditEntry.findMany({ where: { action }, orderBy: { at: "asc" } });

  beforeAll(async () => {
    catalog = await target.start();
    await seedCatalog(catalog.db, { plans: demoPlans, instances: [], tenants: [], users: demoUsers });
    for (const user of await catalog.db.user.findMany())
      users.set(user.role, { id: user.id, email: user.email, name: user.name, role: user.role });
    dynamoServer = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => dynamoServer.listen(0, "127.0.0.1", () => resolve()));
    dynamo = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(dynamoServer.address() as { port: number }).port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    for (const input of existingTables) await dynamo.send(new CreateTableCommand(input));
    await ensureRoutingTable(dynamo, routingTable);
    // A tenant item that is already there: the import must leave it exactly as it is.
    await dynamo.send(
      new PutItemCommand({ TableName: "acme-pool-2", Item: { PK: { S: "TENANT#hooli" }, SK: { S: "order#1" }, tenantId: { S: "hooli" } } }),
    );
    server.db = catalog.db;
    server.access = { db: catalog.db, dynamoDb: () => dynamo, routingTable, routingRegion: "us-east-1" };
  });

  afterAll(async () => {
    await new Promise((resolve) => dynamoServer?.close(resolve));
    await catalog?.stop();
  });

  it("imports a fleet into an empty catalog after a dry run that changes nothing", async () => {
    as("admin");
    const dryRun = await dryRunImportAction({ file: fleetFile });
    expect(dryRun.ok).toBe(true);
    if (!dryRun.ok || !dryRun.data.ok) throw new Error(JSON.stringify(dryRun));
    expect(dryRun.data.rows.map((r) => `${r.id} ${r.action}`)).toEqual([
      "pool-1 create",
      "pool-2 create",
      "silo-initech create",
      "globex create",
      "hooli create",
      "initech create",
    ]);
    expect(await catalog.db.tenant.count()).toBe(0);
    expect(await scanRoutingRecords(dynamo, routingTable)).toEqual([]);

    const applied = await applyImportAction({ file: fleetFile, fingerprint: dryRun.data.fingerprint });
    expect(applied).toMatchObject({ ok: true, data: { instancesCreated: 3, tenantsCreated: 3, routingPublished: 3 } });

    const instances = await catalog.db.storageInstance.findMany({ orderBy: { id: "asc" } });
    expect(instances.map((i) => [i.id, i.status, i.capacityMode, i.readUnitsPerSec, i.region, i.keyScheme])).toEqual([
      ["pool-1", "active", "provisioned", 40, "us-east-1", null],
      [
        "pool-2",
        "active",
        "provisioned",
        40,
        "us-east-1",
        {
          partitionKey: "PK",
          sortKey: "SK",
          template: "TENANT#{tenantId}",
          tenantAttribute: "tenantId",
          tenantIndex: null,
          changeStamp: "updatedAt",
        },
      ],
      ["silo-initech", "active", "on_demand", 40_000, "eu-west-1", null],
    ]);
    const tenants = await catalog.db.tenant.findMany({ orderBy: { id: "asc" } });
    expect(tenants.map((t) => [t.id, t.status, t.storageInstanceId, t.keyPrefix, t.planId, t.contactEmail])).toEqual([
      ["globex", "active", "pool-1", "globex#", "standard", null],
      ["hooli", "active", "pool-2", "TENANT#hooli", "basic", "ops@hooli.test"],
      ["initech", "active", "silo-initech", "initech#", "premium", null],
    ]);
    const hooli = await getRoutingRecord(dynamo, "hooli", routingTable);
    expect(hooli).toMatchObject({
      version: 1,
      status: "active",
      keyPrefix: "TENANT#hooli",
      keyScheme: { partitionKey: "PK", template: "TENANT#{tenantId}" },
      placement: { storageInstanceId: "pool-2", tableName: "acme-pool-2", region: "us-east-1" },
      ratePerSec: 50,
      writeFrozen: false,
    });
    const [entry, ...more] = await audits("fleet.import");
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorEmail: "admin@example.com",
      outcome: "succeeded",
      parameters: expect.objectContaining({ instancesCreated: 3, tenantsCreated: 3, tenantsUnchanged: 0 }),
    });
    // Tenant items: untouched.
    expect(await items("acme-pool-2")).toHaveLength(1);
    expect(await items("acme-pool-1")).toHaveLength(0);
  });

  it("imports the same file again and nothing changes", async () => {
    as("admin");
    const before = {
      instances: await catalog.db.storageInstance.findMany({ orderBy: { id: "asc" } }),
      tenants: await catalog.db.tenant.findMany({ orderBy: { id: "asc" } }),
      routing: await scanRoutingRecords(dynamo, routingTable),
    };
    const dryRun = await dryRunImportAction({ file: fleetFile });
    if (!dryRun.ok || !dryRun.data.ok) throw new Error(JSON.stringify(dryRun));
    expect(new Set(dryRun.data.rows.map((r) => r.action))).toEqual(new Set(["unchanged"]));
    const applied = await applyImportAction({ file: fleetFile, fingerprint: dryRun.data.fingerprint });
    expect(applied).toMatchObject({ ok: true, data: { instancesCreated: 0, tenantsCreated: 0, routingPublished: 0 } });
    expect(await catalog.db.storageInstance.findMany({ orderBy: { id: "asc" } })).toEqual(before.instances);
    expect(await catalog.db.tenant.findMany({ orderBy: { id: "asc" } })).toEqual(before.tenants);
    expect(await scanRoutingRecords(dynamo, routingTable)).toEqual(before.routing);
  });

  it("reports a conflict and applies nothing, auditing the refusal", async () => {
    as("admin");
    const moved = JSON.parse(fleetFile) as { tenants: Record<string, unknown>[] };
    moved.tenants[0]!.storageInstanceId = "pool-2"; // globex is in pool-1
    moved.tenants.push({
      id: "umbrella",
      name: "Umbrella",
      tier: "basic",
      deploymentModel: "pool",
      planId: "basic",
      storageInstanceId: "pool-1",
    });
    const file = JSON.stringify(moved, null, 2);
    const dryRun = await dryRunImportAction({ file });
    if (!dryRun.ok || !dryRun.data.ok) throw new Error(JSON.stringify(dryRun));
    const globex = dryRun.data.rows.find((r) => r.id === "globex")!;
    expect(globex).toMatchObject({
      action: "conflict",
      reasons: [expect.stringMatching(/exists with another placement \(catalog: pool-1; file: pool-2\)/)],
    });
    expect(dryRun.data.rows.find((r) => r.id === "umbrella")).toMatchObject({ action: "create" });
    expect(dryRun.data.tenants).toEqual({ create: 1, unchanged: 2, conflict: 1 });

    const applied = await applyImportAction({ file, fingerprint: dryRun.data.fingerprint });
    expect(applied).toMatchObject({ ok: false, error: "Nothing imported: 1 row conflicts with the catalog or AWS." });
    expect(await catalog.db.tenant.findUnique({ where: { id: "umbrella" } })).toBeNull();
    expect(await getRoutingRecord(dynamo, "umbrella", routingTable)).toBeNull();
    expect((await audits("fleet.import")).at(-1)).toMatchObject({
      outcome: "refused",
      detail: "Nothing imported: 1 row conflicts with the catalog or AWS.",
    });
  });

  it("refuses a file with problems, naming each row, and a confirmation of a plan that has changed since", async () => {
    as("admin");
    const bad = "kind,id,name,tier,deploymentModel,planId,storageInstanceId\ntenant,umbrella,Umbrella,basic,pool,gold,pool-9\n";
    const dryRun = await dryRunImportAction({ file: bad });
    expect(dryRun).toMatchObject({
      ok: true,
      data: {
        ok: false,
        format: "csv",
        problems: [
          { line: 2, field: "planId", message: expect.stringMatching(/^unknown throttling plan gold/) },
          { line: 2, field: "storageInstanceId", message: "unknown storage instance pool-9: neither in this file nor in the catalog" },
        ],
      },
    });
    expect(await applyImportAction({ file: bad, fingerprint: "0123456789abcdef" })).toMatchObject({
      ok: false,
      error: "Nothing imported: 2 problems in the file.",
    });

    const newcomer = fleetFile.replace(
      '"tenants": [',
      '"tenants": [\n{ "id": "umbrella", "name": "Umbrella", "tier": "basic", "deploymentModel": "pool", "planId": "basic", "storageInstanceId": "pool-1" },',
    );
    expect(await applyImportAction({ file: newcomer, fingerprint: "0123456789abcdef" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/changed since the dry run/),
    });
    expect(await catalog.db.tenant.findUnique({ where: { id: "umbrella" } })).toBeNull();
  });

  it("refuses support and operators, and audits the refusals", async () => {
    for (const role of ["support", "operator"]) {
      as(role);
      expect(await dryRunImportAction({ file: fleetFile })).toMatchObject({ ok: false, error: expect.stringMatching(/^Forbidden/) });
      expect(await applyImportAction({ file: fleetFile, fingerprint: "0123456789abcdef" })).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^Forbidden/),
      });
    }
    const refused = await catalog.db.auditEntry.findMany({
      where: { outcome: "refused", action: { in: ["fleet.import", "fleet.importDryRun"] }, actorRole: { not: "admin" } },
    });
    expect(refused.map((r) => `${r.actorRole} ${r.action}`).sort()).toEqual([
      "operator fleet.import",
      "operator fleet.importDryRun",
      "support fleet.import",
      "support fleet.importDryRun",
    ]);
  });
});
