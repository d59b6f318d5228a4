// Operations on storage instances with their own key schemes, end to end
// against dynalite and the catalog database: a "TENANT#{tenantId}" scheme
// (partition key PK, sort key SK, no tenant attribute, writes stamped in
// modifiedAt) and an "ORG#{tenantId}#..." scheme (its partitions found by a
// scan). A tenant written to throughout (a small writer that follows the
// routing, freeze and readers protocol) is migrated pool to pool and pool to
// silo with every acknowledged write present and its co-tenants unchanged;
// backed up and restored in place; and a migration to an instance keyed
// differently is refused with the reason; and both are offboarded (one from
// its silo, one from a pool by key).
import { randomUUID } from "node:crypto";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../local/operation-stack";
import { demoPlans, demoUsers, type DemoFleet } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { ActionContext } from "../auth/action-context";
import { backupInput, queueBackup, requestRestore, restoreInput } from "../backup/requests";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import { MetricsReader } from "../metrics/reader";
import { loadMigrationPlan } from "../migration/plan";
import { migrationInput, requestMigration } from "../migration/requests";
import { waitForOperation } from "../operations/__tests__/live-fixtures";
import { fillTenant, pool, tenant, tenantDigest } from "../operations/__tests__/migration-fixture";
import { SchemeWriter } from "../operations/__tests__/scheme-writer";
import { WriteLedger } from "../operations/__tests__/write-ledger";
import { startWorker } from "../operations/worker";
import { getRoutingRecord } from "../routing/routing-table";
import { keySchemeFor, storedKeyScheme, type KeyScheme } from "../storage/key-scheme";
import { operationDefinitions } from "./kinds";
import { approveOffboarding, requestOffboarding } from "../lifecycle/offboarding-requests";
import { tableExists } from "../storage/tenant-tables";
import { roomyTargets } from "../migration/__tests__/target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION = "us-east-1";
const routingTable = "key-schemes-it-routing";
const metricsNamespace = "KeySchemesTest";

const tenantScheme = keySchemeFor(
  { partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}", tenantAttribute: null, changeStamp: "modifiedAt" },
  "pool",
);
const orgScheme = keySchemeFor({ template: "ORG#{tenantId}#...", tenantAttribute: "orgId" }, "pool");

const fleet: DemoFleet = {
  plans: demoPlans,
  instances: [
    pool("pool-t1", tenantScheme),
    pool("pool-t2", tenantScheme),
    pool("pool-o1", orgScheme),
    pool("pool-o2", orgScheme),
    pool("pool-d"),
  ],
  tenants: [
    tenant("mover", "pool-t1", "pool", tenantScheme),
    tenant("quiet-t1", "pool-t1", "pool", tenantScheme),
    tenant("quiet-t2", "pool-t2", "pool", tenantScheme),
    tenant("org-mover", "pool-o1", "pool", orgScheme),
    tenant("org-quiet1", "pool-o1", "pool", orgScheme),
    tenant("org-quiet2", "pool-o2", "pool", orgScheme),
    tenant("plain", "pool-d"),
  ],
  users: demoUsers,
};
const schemeOf: Record<string, KeyScheme> = { mover: tenantScheme, "quiet-t1": tenantScheme, "quiet-t2": tenantScheme };
for (const id of ["org-mover", "org-quiet1", "org-quiet2"]) schemeOf[id] = orgScheme;
const itemsPerEntity = 300;

// Key schemes change how DynamoDB items are read and written, not what the catalog stores (a JSON column both
// databases keep alike): PGlite is enough here; the operations' catalog work runs on both in the crash matrix and the
// migration, backup and restore suites.
describe.each(testDatabases.slice(0, 1))("key schemes on $name", (target) => {
  let catalog: TestDatabase;
  let stack: OperationStack;
  let ctx: ActionContext;
  let worker: ReturnType<typeof startWorker> | null = null;
  let writer: SchemeWriter;
  const writers: SchemeWriter[] = [];
  const ledgers = new Map<string, WriteLedger>();
  const quiet = new Map<string, { tableName: string; digest: Map<string, string> }>();

  beforeAll(async () => {
    catalog = await target.start();
    await seedCatalog(catalog.db, fleet);
    stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace, worker: false });
    for (const t of fleet.tenants) {
      if (t.id === "plain") continue;
      const tableName = `tsc-${t.storageInstanceId}`;
      await fillTenant(stack.dynamo, tableName, t.id, t.id.includes("mover") ? itemsPerEntity * 4 : 200, 200, schemeOf[t.id]);
      const digest = await tenantDigest(stack.dynamo, tableName, t.id, schemeOf[t.id]);
      if (t.id.includes("mover")) ledgers.set(t.id, new WriteLedger(digest, schemeOf[t.id]));
      else quiet.set(t.id, { tableName, digest });
    }
    const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
    ctx = { db: catalog.db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
    writer = new SchemeWriter({
      dynamo: stack.dynamo,
      routingTable,
      readerId: "scheme-writer",
      itemsPerEntity: itemsPerEntity + 50,
      onWriteAcknowledged: (tenantId, item, where) => ledgers.get(tenantId)!.acknowledged(item, where),
    });
    writers.push(writer);
    await writer.start(["mover", "org-mover"]);
    worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs: 60_000, log: () => undefined });
  }, 300_000);

  afterAll(async () => {
    for (const w of writers) await w.stop();
    await worker?.stop();
    await stack?.stop();
    await catalog?.stop();
  });

  /** Migrates the tenant while it writes; the writes it made at its source during the move are counted, so the test is not vacuous. */
  const migrate = async (tenantId: string, to: string) => {
    const record = await getRoutingRecord(stack.dynamo, tenantId, routingTable);
    const ledger = ledgers.get(tenantId)!;
    const before = ledger.writesTo(record!.placement.tableName);
    const { data } = await requestMigration(
      ctx,
      migrationInput.parse({ tenantId, target: to, copyRatePerSec: 0, idempotencyKey: randomUUID() }),
      roomyTargets,
    );
    const operation = await waitForOperation(catalog.db, data.operationId, 180_000);
    expect(ledger.writesTo(record!.placement.tableName) - before).toBeGreaterThan(0);
    return operation;
  };

  /** Waits for a few more writes at the tenant's placement, then checks its items against every acknowledged write. */
  async function expectNothingLost(tenantId: string, tableName: string) {
    const ledger = ledgers.get(tenantId)!;
    const until = ledger.writesTo(tableName) + 10;
    while (ledger.writesTo(tableName) < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const record = await getRoutingRecord(stack.dynamo, tenantId, routingTable);
    expect(record).toMatchObject({ writeFrozen: false, status: "active", placement: { tableName }, keyScheme: schemeOf[tenantId] });
    const problems = await ledger.problemsIn(
      () => tenantDigest(stack.dynamo, tableName, tenantId, schemeOf[tenantId]),
      () => writer.oldestWriteInFlight(tenantId),
    );
    expect(problems.slice(0, 5)).toEqual([]);
  }

  async function expectQuietUnchanged() {
    for (const [tenantId, { tableName, digest }] of quiet)
      expect(await tenantDigest(stack.dynamo, tableName, tenantId, schemeOf[tenantId]), tenantId).toEqual(digest);
  }

  it("migrates a TENANT#{tenantId} tenant pool to pool while it writes: every acknowledged write, co-tenants untouched", async () => {
    const operation = await migrate("mover", "pool-t2");
    expect(operation.error).toBeNull();
    expect(operation.status).toBe("succeeded");
    await expectNothingLost("mover", "tsc-pool-t2");
    await expectQuietUnchanged();
    const moved = await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover" } });
    expect(moved).toMatchObject({ storageInstanceId: "pool-t2", keyPrefix: "TENANT#mover" });
  }, 300_000);

  it("migrates it on to a silo of its own, created with the pool's scheme and key attributes", async () => {
    const operation = await migrate("mover", "new-silo");
    expect(operation.error).toBeNull();
    expect(operation.status).toBe("succeeded");
    const silo = await catalog.db.storageInstance.findUniqueOrThrow({ where: { id: "silo-mover" } });
    expect(storedKeyScheme(silo.keyScheme)).toEqual(tenantScheme);
    const { Table } = await stack.dynamo.send(new DescribeTableCommand({ TableName: silo.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ]);
    await expectNothingLost("mover", silo.tableName);
    await expectQuietUnchanged();
  }, 300_000);

  it("migrates an ORG#{tenantId}#... tenant, found by scans, pool to pool while it writes", async () => {
    const operation = await migrate("org-mover", "pool-o2");
    expect(operation.error).toBeNull();
    expect(operation.status).toBe("succeeded");
    await expectNothingLost("org-mover", "tsc-pool-o2");
    await expectQuietUnchanged();
  }, 300_000);

  it("refuses a migration to an instance keyed differently, and the plan says why", async () => {
    await expect(
      requestMigration(
        ctx,
        migrationInput.parse({ tenantId: "org-mover", target: "pool-d", copyRatePerSec: 0, idempotencyKey: randomUUID() }),
        roomyTargets,
      ),
    ).rejects.toThrow(/pool-d keys its items differently \(template "ORG#\{tenantId\}#\.\.\." here, "\{tenantId\}#\{entity\}" there/);
    await expect(
      requestMigration(
        ctx,
        migrationInput.parse({ tenantId: "plain", target: "pool-t1", copyRatePerSec: 0, idempotencyKey: randomUUID() }),
        roomyTargets,
      ),
    ).rejects.toThrow(/cannot rewrite their keys/);
    const plan = await loadMigrationPlan(
      catalog.db,
      new MetricsReader(stack.cloudWatch, metricsNamespace),
      () => stack.dynamo,
      "org-mover",
    );
    const byId = new Map(plan!.targets.map((t) => [t.id, t]));
    expect(byId.get("pool-o1")?.refusal).toBeNull();
    expect(byId.get("pool-d")?.refusal).toMatch(/keys its items differently/);
    expect(byId.get("pool-t1")?.refusal).toMatch(/partitionKey "pk" here, "PK" there/);
    expect(plan!.items).toBeGreaterThanOrEqual(itemsPerEntity * 4);
  }, 120_000);

  it.each([
    ["mover", "silo-mover", "tsc-silo-mover"],
    ["org-mover", "pool-o2", "tsc-pool-o2"],
  ])(
    "backs up %s's instance and restores it in place, its co-tenants unchanged",
    async (tenantId, instanceId, tableName) => {
      await writer.stopTenant(tenantId);
      const scheme = schemeOf[tenantId]!;
      const before = await tenantDigest(stack.dynamo, tableName, tenantId, scheme);
      const { data } = await queueBackup(
        ctx,
        backupInput.parse({ storageInstanceId: instanceId, strategy: "per_tenant", idempotencyKey: randomUUID() }),
      );
      const backup = await waitForOperation(catalog.db, data.operationId, 120_000);
      expect(backup.error).toBeNull();
      const held = await catalog.db.backupTenant.findMany({ where: { backupId: backup.id }, orderBy: { tenantId: "asc" } });
      expect(held.map((t) => [t.tenantId, t.items])).toEqual(
        instanceId === "pool-o2"
          ? [
              ["org-mover", before.size],
              ["org-quiet2", 200],
            ]
          : [[tenantId, before.size]],
      );

      // The tenant writes on (another writer's items, stamped later), then the backup is put back.
      const more = new SchemeWriter({
        dynamo: stack.dynamo,
        routingTable,
        readerId: `scheme-writer-${tenantId}`,
        itemsPerEntity: itemsPerEntity + 80,
        pauseMs: 5,
        onWriteAcknowledged: () => undefined,
      });
      writers.push(more);
      await more.start([tenantId]);
      while ((await tenantDigest(stack.dynamo, tableName, tenantId, scheme)).size < before.size + 5)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await more.stop();
      expect(await tenantDigest(stack.dynamo, tableName, tenantId, scheme)).not.toEqual(before);

      const restore = async (mode: "dry_run" | "in_place", dryRunId?: string) => {
        const { data: queued } = await requestRestore(
          ctx,
          restoreInput.parse({ tenantId, backupId: backup.id, mode, dryRunId, idempotencyKey: randomUUID() }),
        );
        return waitForOperation(catalog.db, queued.operationId, 120_000);
      };
      const dryRun = await restore("dry_run");
      expect(dryRun.error).toBeNull();
      const restored = await restore("in_place", dryRun.id);
      expect(restored.error).toBeNull();
      expect(restored.status).toBe("succeeded");
      expect(await tenantDigest(stack.dynamo, tableName, tenantId, scheme)).toEqual(before);
      await expectQuietUnchanged();
    },
    300_000,
  );

  it.each([
    ["mover", "tsc-silo-mover", "table dropped"],
    ["org-mover", "tsc-pool-o2", "deleted by key"],
  ])(
    "offboards %s: exported, nothing of it left in %s (%s), its co-tenants unchanged",
    async (tenantId, tableName, how) => {
      await writer.stopTenant(tenantId);
      const scheme = schemeOf[tenantId]!;
      const items = (await tenantDigest(stack.dynamo, tableName, tenantId, scheme)).size;
      const admin = await catalog.db.user.findFirstOrThrow({ where: { role: "admin" } });
      const { data } = await requestOffboarding(ctx, {
        tenantId,
        confirmTenantId: tenantId,
        reason: "contract ended",
        graceDays: 0,
        idempotencyKey: randomUUID(),
      });
      await approveOffboarding({ db: catalog.db, user: { id: admin.id, email: admin.email, name: admin.name, role: admin.role } }, data);
      const offboarded = await waitForOperation(catalog.db, data.operationId, 180_000);
      expect(offboarded.error).toBeNull();
      expect(offboarded.status).toBe("succeeded");
      expect(offboarded.result).toMatchObject({ items, deleted: [{ tableName, how, items }] });
      if (how === "table dropped") expect(await tableExists(stack.dynamo, tableName)).toBe(false);
      else expect((await tenantDigest(stack.dynamo, tableName, tenantId, scheme)).size).toBe(0);
      await expectQuietUnchanged();
    },
    300_000,
  );
});
