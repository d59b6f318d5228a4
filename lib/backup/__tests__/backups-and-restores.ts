// Backups and single-tenant restores end to end against dynalite and the
// catalog database: a pool of many tenants is backed up under both strategies,
// one tenant's items are damaged, and the tenant is restored (dry run first)
// while a neighbour keeps writing through the real data plane. The restored
// tenant must equal the backup exactly; every other tenant must be untouched.
import { defaultKeyScheme } from "../../storage/key-scheme";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../../local/operation-stack";
import { seedCatalog } from "../../../prisma/seed-catalog";
import type { ActionContext } from "../../auth/action-context";
import { auditWhere, parseAuditFilters } from "../../audit/queries";
import { backupInput, queueBackup, requestRestore, restoreInput } from "../requests";
import type { TestDatabase, TestDatabaseTarget } from "../../db/__tests__/databases";
import { getRoutingRecord } from "../../routing/routing-table";
import { putReaderState } from "../../routing/reader-state";
import { routingReadersTableName } from "../../routing/readers";
import { migrationInput, requestMigration } from "../../migration/requests";
import { parseSteps, type OperationDefinition } from "../../operations/definition";
import { startWritingDataPlane, waitForOperation } from "../../operations/__tests__/live-fixtures";
import { fillTenant, migrationFleet, tenantDigest } from "../../operations/__tests__/migration-fixture";
import { WriteLedger } from "../../operations/__tests__/write-ledger";
import { operationDefinitions } from "../../worker/kinds";
import { enqueueOperation } from "../../operations/queue";
import { restoreOperation } from "../restore-operation";
import { readManifest, readTenantFromBackup } from "../read";
import { itemHash, itemKey } from "../../storage/tenant-partitions";
import { operationLabel, tenantData } from "../../operations/tenant-data";
import { startWorker } from "../../operations/worker";
import { roomyTargets } from "../../migration/__tests__/target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// A worker the test stops hands its operations back at once, so its lease only matters when the machine is too busy for
// it to renew in time: a long one keeps a live worker's operation from being taken over (and counted as another attempt).
// A crash test's killed worker holds its own lease, which the test ends once the worker is dead.
const leaseMs = 60_000;
process.env.AWS_REGION = "us-east-1";
const routingTable = "backup-it-routing";
const poolA = "tsc-pool-a";
const quiet = ["neighbour-a", "q01", "q02", "q03", "q04", "q05", "q06"];

const fleet = {
  ...migrationFleet,
  tenants: [
    ...migrationFleet.tenants,
    ...quiet
      .slice(1)
      .map((id) => ({ ...migrationFleet.tenants[2]!, id, name: id, keyPrefix: `${id}#`, contactEmail: `ops@${id}.example` })),
  ],
};

export function backupsAndRestoresOn(target: TestDatabaseTarget): void {
  describe(`backups and restores on ${target.name}`, () => {
    let catalog: TestDatabase;
    let stack: OperationStack;
    let ctx: ActionContext;
    let worker: ReturnType<typeof startWorker> | null = null;
    let writing: Awaited<ReturnType<typeof startWritingDataPlane>> | undefined;
    /** The writing neighbour's acknowledged writes (as a ledger, and each one as it was acknowledged). */
    let neighbourWrites: WriteLedger;
    const moverTwoAcks: { item: Record<string, AttributeValue>; where: { tableName: string; routingVersion: number }; ackedAt: number }[] =
      [];
    const backups: Record<"per_tenant" | "whole_table", string> = { per_tenant: "", whole_table: "" };
    let atBackup: Map<string, string>;
    const quietBefore = new Map<string, Map<string, string>>();

    beforeAll(async () => {
      catalog = await target.start();
      await seedCatalog(catalog.db, fleet);
      stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: "BackupTest", worker: false });
      await fillTenant(stack.dynamo, poolA, "mover", 2_400);
      await fillTenant(stack.dynamo, poolA, "mover-two", 1_000);
      neighbourWrites = new WriteLedger(await tenantDigest(stack.dynamo, poolA, "mover-two"));
      for (const id of quiet) await fillTenant(stack.dynamo, poolA, id, 200);
      await fillTenant(stack.dynamo, "tsc-pool-b", "neighbour-b", 300);
      for (const id of quiet) quietBefore.set(id, await tenantDigest(stack.dynamo, poolA, id));
      const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
      ctx = { db: catalog.db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };

      // mover-two keeps writing (~30/s) through the real data plane, which honours freezes and acknowledges them.
      writing = await startWritingDataPlane({
        dynamo: stack.dynamo,
        routingTable,
        tenants: { "mover-two": { ratePerSec: 30, readRatio: 0.2, itemBytes: 300, maxItems: 3_000 } },
        seed: 17,
        readerId: "backup-test-reader",
        onWriteAcknowledged: (tenantId, item, where) => {
          if (tenantId !== "mover-two") throw new Error(`the data plane wrote for ${tenantId}`);
          neighbourWrites.acknowledged(item, where);
          moverTwoAcks.push({ item, where, ackedAt: Date.now() });
        },
      });
      worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
    }, 300_000);

    afterAll(async () => {
      await writing?.stop();
      await worker?.stop();
      await stack?.stop();
      await catalog?.stop();
    });

    const finished = (operationId: string) => waitForOperation(catalog.db, operationId);

    // PostgreSQL 15 (production's engine) runs every case; PGlite restores each strategy's backup once (in place from a
    // whole-table one, to a side table from a per-tenant one) and makes every kind of restore, but skips the refusals of
    // a backup (without the tenant, a changed or truncated file: checks of the backup's manifest and files) and the
    // real SIGKILL mid-replace (resuming is the runner's logic, the same on either database; the migration suite kills
    // a worker process on PGlite, and the crash matrix kills restores mid-replace on both).
    const everyCase = target.name === "postgresql-15";

    const restore = async (
      tenantId: string,
      backupId: string,
      mode: "dry_run" | "in_place" | "staged" | "side_table",
      dryRunId?: string,
    ) => {
      const { data } = await requestRestore(ctx, restoreInput.parse({ tenantId, backupId, mode, dryRunId, idempotencyKey: randomUUID() }));
      return finished(data.operationId);
    };

    /** Changes 40 of the tenant's items, deletes 30 and adds 5 it never had. */
    async function damage(tableName: string, tenantId: string, count = { change: 40, remove: 30, add: 5 }) {
      const keys = [...(await tenantDigest(stack.dynamo, tableName, tenantId)).keys()].sort();
      const split = (key: string) => key.split("\u001f") as [string, string];
      for (const key of keys.slice(0, count.change)) {
        const [pk, sk] = split(key);
        await stack.dynamo.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: pk },
              sk: { S: sk },
              tenantId: { S: tenantId },
              entity: { S: "x" },
              updatedAt: { N: "1" },
              payload: { S: "corrupted" },
            },
          }),
        );
      }
      for (const key of keys.slice(count.change, count.change + count.remove)) {
        const [pk, sk] = split(key);
        await stack.dynamo.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } } }));
      }
      for (let i = 0; i < count.add; i++) {
        await stack.dynamo.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { pk: { S: `${tenantId}#orders` }, sk: { S: `stray-${i}` }, tenantId: { S: tenantId }, payload: { S: "stray" } },
          }),
        );
      }
    }

    async function expectNeighboursUntouched() {
      for (const id of quiet) expect(await tenantDigest(stack.dynamo, poolA, id)).toEqual(quietBefore.get(id));
      // The writing neighbour: every write it had acknowledged is there (or one that may have landed after it).
      expect(
        await neighbourWrites.problemsIn(
          () => tenantDigest(stack.dynamo, poolA, "mover-two"),
          () => writing!.dataPlane.oldestWriteInFlight("mover-two"),
        ),
      ).toEqual([]);
      expect(neighbourWrites.writes).toBeGreaterThan(20);
    }

    it("backs up a pool of many tenants under both strategies, with a manifest counting each tenant", async () => {
      atBackup = await tenantDigest(stack.dynamo, poolA, "mover");
      for (const strategy of ["per_tenant", "whole_table"] as const) {
        const { data } = await queueBackup(ctx, backupInput.parse({ storageInstanceId: "pool-a", strategy, idempotencyKey: randomUUID() }));
        const operation = await finished(data.operationId);
        expect(operation.error).toBeNull();
        backups[strategy] = data.operationId;
        const backup = await catalog.db.backup.findUniqueOrThrow({ where: { id: data.operationId }, include: { tenants: true } });
        expect(backup).toMatchObject({ status: "complete", strategy, storageInstanceId: "pool-a" });
        expect(backup.durationMs).toBeGreaterThan(0);
        expect(Number(backup.sizeBytes)).toBeGreaterThan(0);
        expect(backup.tenants.map((t) => t.tenantId).sort()).toEqual(["mover", "mover-two", ...quiet].sort());
        expect(backup.tenants.find((t) => t.tenantId === "mover")!.items).toBe(2_400);
        expect(backup.tenants.find((t) => t.tenantId === "q01")!.items).toBe(200);
      }
      // The audit log files the backup under its instance and every tenant in it, not only under the operation.
      for (const filter of [{ tenant: "q01" }, { tenant: "mover" }, { instance: "pool-a" }]) {
        const entries = await catalog.db.auditEntry.findMany({
          where: { AND: [auditWhere(parseAuditFilters(filter)), { operationId: backups.per_tenant }] },
          select: { action: true, outcome: true },
        });
        expect(entries.map((e) => `${e.action} ${e.outcome}`).sort(), JSON.stringify(filter)).toEqual([
          "backups.create succeeded",
          "operations.backup succeeded",
        ]);
      }
      expect(await catalog.db.auditEntry.count({ where: { ...auditWhere(parseAuditFilters({ tenant: "neighbour-b" })) } })).toBe(0);
      // One backup of an instance at a time.
      const { data } = await queueBackup(
        ctx,
        backupInput.parse({ storageInstanceId: "pool-b", strategy: "per_tenant", idempotencyKey: randomUUID() }),
      );
      await expect(
        queueBackup(ctx, backupInput.parse({ storageInstanceId: "pool-b", strategy: "per_tenant", idempotencyKey: randomUUID() })),
      ).rejects.toThrow(/already in progress/);
      expect((await finished(data.operationId)).status).toBe("succeeded");
    }, 300_000);

    it("restores one damaged tenant in place after a dry run: exactly the backup, neighbours untouched", async () => {
      for (const strategy of everyCase ? (["whole_table", "per_tenant"] as const) : (["whole_table"] as const)) {
        await damage(poolA, "mover");
        const dryRun = await restore("mover", backups[strategy], "dry_run");
        expect(dryRun.error).toBeNull();
        const compare = parseSteps(dryRun.steps).find((s) => s.name === "compare")!.output!;
        expect(compare).toMatchObject({ add: 30, change: 40, remove: 5 });
        expect((compare.samples as { remove: string[] }).remove).toContain("mover#orders\u001fstray-0");
        expect(await tenantDigest(stack.dynamo, poolA, "mover")).not.toEqual(atBackup); // a dry run changes nothing

        // A restore without the dry run is refused.
        await expect(restore("mover", backups[strategy], "in_place")).rejects.toThrow(/dry run/);
        const restored = await restore("mover", backups[strategy], "in_place", dryRun.id);
        expect(restored.error).toBeNull();
        expect(restored.status).toBe("succeeded");
        expect(await tenantDigest(stack.dynamo, poolA, "mover")).toEqual(atBackup);
        expect(await getRoutingRecord(stack.dynamo, "mover", routingTable)).toMatchObject({ status: "active", writeFrozen: false });
        expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover" } })).toMatchObject({ status: "active" });
        await expectNeighboursUntouched();
      }
    }, 300_000);

    it("refuses a backup without the tenant, and a changed or truncated backup file before writing anything", async ({ skip }) => {
      skip(!everyCase, "on PostgreSQL 15 only");
      const poolB = await catalog.db.backup.findFirstOrThrow({ where: { storageInstanceId: "pool-b" } });
      await expect(restore("mover", poolB.id, "dry_run")).rejects.toThrow(/does not hold mover/);
      // Past the request's check (as a stale form would), the operation refuses too.
      const { operation } = await enqueueOperation(catalog.db, restoreOperation, {
        kind: "restore",
        tenantId: "mover",
        parameters: { tenantId: "mover", source: { kind: "backup", backupId: poolB.id }, mode: "dry_run" },
        idempotencyKey: randomUUID(),
        user: ctx.user,
        action: "tenants.restoreDryRun",
        target: { type: "tenant", id: "mover" },
      });
      const refused = await finished(operation.id);
      expect(refused.status).toBe("failed");
      expect(refused.error).toMatch(/does not hold tenant mover's data/);

      await damage(poolA, "mover", { change: 10, remove: 0, add: 0 });
      const damaged = await tenantDigest(stack.dynamo, poolA, "mover");
      const backup = await catalog.db.backup.findUniqueOrThrow({ where: { id: backups.per_tenant } });
      const file = path.join(stack.backupDir, backup.location, "tenants/mover.part-0000.jsonl.gz");
      const original = await readFile(file);
      const dryRun = await restore("mover", backup.id, "dry_run");
      expect(dryRun.status).toBe("succeeded");
      for (const broken of [
        Buffer.concat([original.subarray(0, 100), Buffer.from([original[100]! ^ 0xff]), original.subarray(101)]),
        original.subarray(0, original.length - 200),
      ]) {
        await writeFile(file, broken);
        const refusedRestore = await restore("mover", backup.id, "in_place", dryRun.id);
        expect(refusedRestore.status).toBe("failed");
        expect(refusedRestore.error).toMatch(/does not match its manifest.*changed or truncated.*nothing was written/s);
        expect(await tenantDigest(stack.dynamo, poolA, "mover")).toEqual(damaged);
        expect(await getRoutingRecord(stack.dynamo, "mover", routingTable)).toMatchObject({ status: "active", writeFrozen: false });
      }
      await writeFile(file, original);
      expect((await restore("mover", backup.id, "in_place", dryRun.id)).status).toBe("succeeded");
      expect(await tenantDigest(stack.dynamo, poolA, "mover")).toEqual(atBackup);
    }, 300_000);

    it("is replaced by a new worker when killed mid-replace: the restore finishes, the tenant is unfrozen, neighbours untouched", async ({
      skip,
    }) => {
      skip(!everyCase, "on PostgreSQL 15 only");
      await worker?.stop();
      worker = null;
      await damage(poolA, "mover", { change: 700, remove: 500, add: 0 });
      const dryRun = await (async () => {
        worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
        const run = await restore("mover", backups.whole_table, "dry_run");
        await worker.stop();
        worker = null;
        return run;
      })();
      const { data } = await requestRestore(
        ctx,
        restoreInput.parse({
          tenantId: "mover",
          backupId: backups.whole_table,
          mode: "in_place",
          dryRunId: dryRun.id,
          idempotencyKey: randomUUID(),
        }),
      );
      const child = spawn(
        process.execPath,
        ["--conditions=react-server", "--import", "tsx", path.join(import.meta.dirname, "../../operations/__tests__/migration-worker.ts")],
        {
          env: {
            ...process.env,
            DATABASE_URL: catalog.url,
            FIXTURE_DYNAMODB_URL: stack.dynamoUrl,
            FIXTURE_ROUTING_TABLE: routingTable,
            BACKUP_STORE: stack.backupDir,
            CRASH_AT: "replace:mid",
            CRASH_AFTER: "1",
          },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exit = await new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on("exit", (code, signal) => resolve(signal ?? code)),
      );
      expect(exit).toBe("SIGKILL");
      const interrupted = await catalog.db.operation.findUniqueOrThrow({ where: { id: data.operationId } });
      expect(interrupted).toMatchObject({ status: "running", currentStep: "replace" });
      // The dead worker's lease would run out in its own time (lease expiry itself: engine.integration.test.ts); end it now.
      await catalog.db.operation.update({ where: { id: data.operationId }, data: { leaseExpiresAt: new Date(0) } });
      expect(await getRoutingRecord(stack.dynamo, "mover", routingTable)).toMatchObject({ writeFrozen: true });
      worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
      const operation = await finished(data.operationId);
      expect(operation.error).toBeNull();
      expect(operation).toMatchObject({ status: "succeeded", attempts: 1 });
      expect(await tenantDigest(stack.dynamo, poolA, "mover")).toEqual(atBackup);
      expect(await getRoutingRecord(stack.dynamo, "mover", routingTable)).toMatchObject({ status: "active", writeFrozen: false });
      await expectNeighboursUntouched();
    }, 300_000);

    it("restores to a side table without touching the tenant, and restores a tenant that moved to a silo into the silo", async () => {
      await damage(poolA, "mover", { change: 5, remove: 5, add: 0 });
      const live = await tenantDigest(stack.dynamo, poolA, "mover");
      const dryRun = await restore("mover", backups.per_tenant, "dry_run");
      const side = await restore("mover", backups.per_tenant, "side_table", dryRun.id);
      expect(side.error).toBeNull();
      const sideTable = String(parseSteps(side.steps).find((s) => s.name === "sideTable")!.output!.sideTable);
      expect(await tenantDigest(stack.dynamo, sideTable, "mover")).toEqual(atBackup);
      expect(await tenantDigest(stack.dynamo, poolA, "mover")).toEqual(live);

      const { data } = await requestMigration(
        ctx,
        migrationInput.parse({ tenantId: "mover", target: "new-silo", copyRatePerSec: 0, idempotencyKey: randomUUID() }),
        roomyTargets,
      );
      expect((await finished(data.operationId)).status).toBe("succeeded");
      await damage("tsc-silo-mover", "mover", { change: 20, remove: 20, add: 2 });
      const leftover = await tenantDigest(stack.dynamo, poolA, "mover"); // the migration's kept source copy
      const siloDryRun = await restore("mover", backups.per_tenant, "dry_run");
      expect(parseSteps(siloDryRun.steps).find((s) => s.name === "validate")!.detail).toMatch(/into silo-mover/);
      const restored = await restore("mover", backups.per_tenant, "in_place", siloDryRun.id);
      expect(restored.error).toBeNull();
      expect(await tenantDigest(stack.dynamo, "tsc-silo-mover", "mover")).toEqual(atBackup);
      expect(await tenantDigest(stack.dynamo, poolA, "mover")).toEqual(leftover);
      await expectNeighboursUntouched();
    }, 300_000);

    it("fails a deliberately broken step that reaches for a neighbour's key through the tenant's scoped client: nothing of the batch is written", async () => {
      const before = await tenantDigest(stack.dynamo, poolA, "q01");
      const mine = await tenantDigest(stack.dynamo, "tsc-silo-mover", "mover");
      const broken: OperationDefinition<{ tenantId: string }> = {
        kind: "restore",
        parameters: z.object({ tenantId: z.string() }),
        describe: () => "broken",
        steps: [
          {
            name: "reach",
            label: "Write one own item and delete a neighbour's",
            changesTenant: true,
            async run({ deps, operation }) {
              const data = tenantData(deps, {
                tenantId: "mover",
                keyScheme: defaultKeyScheme,
                operation: operationLabel(operation),
                tables: [
                  { tableName: "tsc-silo-mover", region: "us-east-1" },
                  { tableName: poolA, region: "us-east-1" },
                ],
              });
              await data.table(poolA).client.send(
                new BatchWriteItemCommand({
                  RequestItems: {
                    [poolA]: [
                      { PutRequest: { Item: { pk: { S: "mover#orders" }, sk: { S: "broken" }, tenantId: { S: "mover" } } } },
                      { DeleteRequest: { Key: { pk: { S: "q01#orders" }, sk: { S: "00000001" } } } },
                    ],
                  },
                }),
              );
              return {};
            },
          },
        ],
      };
      await worker?.stop();
      const brokenWorker = startWorker({
        deps: stack.deps,
        definitions: { ...operationDefinitions, restore: broken as OperationDefinition<unknown> },
        pollMs: 50,
        leaseMs,
        log: () => undefined,
      });
      try {
        const { operation } = await enqueueOperation(catalog.db, broken, {
          kind: "restore",
          tenantId: "mover",
          parameters: { tenantId: "mover" },
          idempotencyKey: randomUUID(),
          user: ctx.user,
          action: "tenants.restore",
          target: { type: "tenant", id: "mover" },
        });
        const failed = await finished(operation.id);
        expect(failed.status).toBe("failed");
        expect(failed.error).toMatch(
          new RegExp(
            `restore ${operation.id} refused a request outside tenant mover's data \\(not one of its partitions: pk must begin with mover#\\): batch delete pk q01#orders`,
          ),
        );
      } finally {
        await brokenWorker.stop();
        worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
      }
      expect(await tenantDigest(stack.dynamo, poolA, "q01")).toEqual(before);
      expect((await tenantDigest(stack.dynamo, poolA, "mover")).has("mover#orders\u001fbroken")).toBe(false);
      expect(await tenantDigest(stack.dynamo, "tsc-silo-mover", "mover")).toEqual(mine);
    }, 60_000);

    it("restores a pooled tenant staged while it writes: its writes kept, the backup's items for the rest, into another pool, co-tenants untouched", async () => {
      const backup = await catalog.db.backup.findUniqueOrThrow({ where: { id: backups.per_tenant }, include: { tenants: true } });
      const manifest = await readManifest(stack.deps.backupStore, backup.location);
      const held = await readTenantFromBackup(stack.deps.backupStore, backup.location, manifest, "mover-two");
      const backupDigest = new Map(held.items.map((item) => [itemKey(defaultKeyScheme, item), itemHash(item)]));
      const neighbourB = await tenantDigest(stack.dynamo, "tsc-pool-b", "neighbour-b");
      await damage(poolA, "mover-two", { change: 25, remove: 20, add: 4 });
      const dryRun = await restore("mover-two", backup.id, "dry_run");
      expect(dryRun.error).toBeNull();
      const validated = parseSteps(dryRun.steps).find((s) => s.name === "validate")!;
      expect(validated.detail).toMatch(/a restore can be staged: staged into pool pool-b/);
      // The staging holds on for a while, so the tenant writes during it (at ~30/s) as it would during a long one. Through
      // the same library it also writes two items of its own and deletes them later: one after the first catch-up pass
      // copied it, one just before the freeze. Deletes leave no change stamp; the journal names them.
      const library = writing!.dataPlane.library.forTenant("mover-two");
      const ownKey = (sk: string) => ({ pk: "mover-two#orders", sk });
      const deletes: Record<string, () => Promise<unknown>> = {
        "catchUp:mid": () => library.delete(ownKey("deleted-after-catch-up")),
        "freeze:start": () => library.delete(ownKey("deleted-before-freeze")),
      };
      await worker?.stop();
      worker = startWorker({
        deps: {
          ...stack.deps,
          faultPoint: async (point) => {
            if (point === "stage:mid") {
              await library.put({ ...ownKey("deleted-after-catch-up"), note: "written while staged" });
              await library.put({ ...ownKey("deleted-before-freeze"), note: "written while staged" });
              await sleep(1_500);
            }
            const remove = deletes[point];
            delete deletes[point];
            await remove?.();
          },
        },
        definitions: operationDefinitions,
        pollMs: 50,
        leaseMs,
        log: () => undefined,
      });
      const restored = await restore("mover-two", backup.id, "staged", dryRun.id);
      expect(restored.error).toBeNull();
      const steps = parseSteps(restored.steps);
      expect(steps.map((s) => s.name)).toEqual([
        "validate",
        "load",
        "compare",
        "prepare",
        "start",
        "stage",
        "verifyStaged",
        "catchUp",
        "verifyAll",
        "freeze",
        "verify",
        "unfreeze",
        "cleanUp",
      ]);
      const output = (name: string) => steps.find((s) => s.name === name)!.output!;
      const copyFrom = Number(output("start").copyFrom);
      // Every reader kept the journal: the frozen steps read only the keys it named, and the deletes were applied.
      expect(Object.keys(deletes)).toEqual([]);
      expect(output("verifyAll")).toMatchObject({ journal: true });
      const journaled = z.object({ keys: z.number(), deleted: z.number() }).parse(output("freeze").journaled);
      // The key deleted before the freeze (and the one deleted after the first pass, if the journal's window still held it).
      expect(journaled.deleted).toBeGreaterThanOrEqual(1);
      expect(journaled.keys).toBeGreaterThanOrEqual(journaled.deleted);
      expect(output("catchUp").deleted).toBe(1);
      // It lives in pool-b now, active and unfrozen; nothing of it is left in pool-a.
      expect(await getRoutingRecord(stack.dynamo, "mover-two", routingTable)).toMatchObject({
        status: "active",
        writeFrozen: false,
        placement: { storageInstanceId: "pool-b", tableName: "tsc-pool-b" },
      });
      expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover-two" } })).toMatchObject({
        status: "active",
        storageInstanceId: "pool-b",
      });
      expect((await tenantDigest(stack.dynamo, poolA, "mover-two")).size).toBe(0);
      // The tenant wrote while it was staged (before the freeze), and those writes are there.
      const frozenSince = Date.parse(String(output("freeze").frozenSince));
      expect(moverTwoAcks.filter((w) => Number(w.item.updatedAt?.N) >= copyFrom && w.ackedAt < frozenSince).length).toBeGreaterThan(10);
      // Its items: the backup's, overwritten by every write it made since the restore began (none of the damage).
      // (Read while it keeps writing, then judged by every write acknowledged by the end of the read.)
      const readStartedAt = Date.now();
      const now = await tenantDigest(stack.dynamo, "tsc-pool-b", "mover-two");
      await writing!.settled();
      const expected = new WriteLedger(backupDigest);
      for (const w of moverTwoAcks) if (Number(w.item.updatedAt?.N) >= copyFrom) expected.acknowledged(w.item, w.where, w.ackedAt);
      expect(expected.mismatches(now, readStartedAt)).toEqual([]);
      expect(now.has("mover-two#orders\u001fstray-0")).toBe(false);
      expect(now.has("mover-two#orders\u001fdeleted-after-catch-up")).toBe(false);
      expect(now.has("mover-two#orders\u001fdeleted-before-freeze")).toBe(false);
      // The freeze lasted only for the last changes and the switch (its length is the bench's business: here, that it was recorded).
      expect(output("unfreeze").frozenMs).toEqual(expect.any(Number));
      for (const id of quiet) expect(await tenantDigest(stack.dynamo, poolA, id), id).toEqual(quietBefore.get(id));
      expect(await tenantDigest(stack.dynamo, "tsc-pool-b", "neighbour-b")).toEqual(neighbourB);
      await worker.stop();
      worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
    }, 300_000);

    it("restores a silo tenant staged into a new table of its own and retires the old one; a dry run says when only in place is possible", async () => {
      expect((await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover" } })).storageInstanceId).toBe("silo-mover");
      await damage("tsc-silo-mover", "mover", { change: 10, remove: 10, add: 1 });
      const dryRun = await restore("mover", backups.whole_table, "dry_run");
      expect(parseSteps(dryRun.steps).find((s) => s.name === "validate")!.detail).toMatch(/a silo tenant: staged into a new table/);
      // A reader of an older library version (its state names no journal) serves the tenant meanwhile: the restore cannot
      // rely on the journal and reads every item while frozen instead.
      const oldReader = setInterval(() => {
        const state = { readerId: "older-library", heartbeatAt: Date.now(), acks: { mover: Number.MAX_SAFE_INTEGER }, writesFrom: {} };
        void putReaderState(stack.dynamo, state, routingReadersTableName());
      }, 200);
      let restored: Awaited<ReturnType<typeof restore>>;
      try {
        await sleep(300);
        restored = await restore("mover", backups.whole_table, "staged", dryRun.id);
      } finally {
        clearInterval(oldReader);
      }
      expect(restored.error).toBeNull();
      const silo = parseSteps(restored.steps);
      expect(silo.find((step) => step.name === "verifyAll")!.output).toMatchObject({
        journal: false,
        why: expect.stringMatching(/older-library keep no journal/),
      });
      expect(silo.find((step) => step.name === "freeze")!.output).toMatchObject({ journaled: null, liveRead: expect.any(Object) });
      const tenant = await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover" }, include: { storageInstance: true } });
      expect(tenant.storageInstance).toMatchObject({ mode: "silo", status: "active" });
      expect(tenant.storageInstance!.tableName).toMatch(/^tsc-silo-mover-r[a-z0-9]{6}$/);
      expect(await tenantDigest(stack.dynamo, tenant.storageInstance!.tableName, "mover")).toEqual(atBackup);
      expect((await tenantDigest(stack.dynamo, "tsc-silo-mover", "mover")).size).toBe(0);
      expect(await catalog.db.storageInstance.findUniqueOrThrow({ where: { id: "silo-mover" } })).toMatchObject({ status: "retired" });
      expect(await getRoutingRecord(stack.dynamo, "mover", routingTable)).toMatchObject({
        status: "active",
        writeFrozen: false,
        placement: { tableName: tenant.storageInstance!.tableName },
      });

      // Only pool-a is left for a pooled tenant of pool-b to go to, and it keeps pool-b's layout: mover-two can be staged back.
      // With pool-a retired for a moment, it has nowhere to go: the dry run says in place, and a staged restore is refused.
      await catalog.db.storageInstance.update({ where: { id: "pool-a" }, data: { status: "draining" } });
      try {
        const onlyInPlace = await restore("mover-two", backups.per_tenant, "dry_run");
        expect(parseSteps(onlyInPlace.steps).find((s) => s.name === "validate")!.detail).toMatch(
          /a restore can only be made in place .*no other active pool in us-east-1/,
        );
        await expect(restore("mover-two", backups.per_tenant, "staged", onlyInPlace.id)).rejects.toThrow(
          /cannot be restored staged: no other active pool/,
        );
      } finally {
        await catalog.db.storageInstance.update({ where: { id: "pool-a" }, data: { status: "active" } });
      }
      for (const id of quiet) expect(await tenantDigest(stack.dynamo, poolA, id), id).toEqual(quietBefore.get(id));
    }, 300_000);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
