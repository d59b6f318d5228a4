// Migrations end to end against dynalite and the catalog database, with the
// real synthetic data plane writing to the moving tenant the whole time (it
// honours the freeze and acknowledges it through the readers table).
// Afterwards the tenant's items must be exactly its items before plus every
// write DynamoDB acknowledged during the move, and every neighbour's items
// must hash as before.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../../local/operation-stack";
import { seedCatalog } from "../../../prisma/seed-catalog";
import type { ActionContext } from "../../auth/action-context";
import type { TestDatabase, TestDatabaseTarget } from "../../db/__tests__/databases";
import { queueDueCleanups } from "../cleanup-schedule";
import { migrationState } from "../state";
import { readJournal } from "../../routing/journal";
import { getRoutingRecord } from "../../routing/routing-table";
import { migrationInput, migrationFollowUpInput, requestCleanup, requestMigration, requestRollback } from "../requests";
import { parseSteps } from "../../operations/definition";
import { startWritingDataPlane, waitForOperation } from "../../operations/__tests__/live-fixtures";
import { fillTenant, migrationFleet, tenantDigest } from "../../operations/__tests__/migration-fixture";
import { WriteLedger } from "../../operations/__tests__/write-ledger";
import { operationDefinitions } from "../../worker/kinds";
import { startWorker } from "../../operations/worker";
import { roomyTargets } from "./target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// A worker the test stops hands its operations back at once, so its lease only matters when the machine is too busy for
// it to renew in time: a long one keeps a live worker's operation from being taken over (and counted as another attempt).
// A crash test's killed worker holds its own lease, which the test ends once the worker is dead.
const leaseMs = 60_000;
process.env.AWS_REGION = "us-east-1";
const routingTable = "migration-it-routing";

export function migrationsOn(target: TestDatabaseTarget): void {
  describe(`migrations on ${target.name}`, () => {
    let catalog: TestDatabase;
    let stack: OperationStack;
    let ctx: ActionContext;
    let ledgers: Map<string, WriteLedger>;
    let writing: Awaited<ReturnType<typeof startWritingDataPlane>> | undefined;
    let worker: ReturnType<typeof startWorker> | null = null;
    const neighbours = new Map<string, Map<string, string>>();
    const tables = { a: "tsc-pool-a", b: "tsc-pool-b" };

    beforeAll(async () => {
      catalog = await target.start();
      await seedCatalog(catalog.db, migrationFleet);
      stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: "MigrationTest", worker: false });
      for (const tenantId of ["mover", "mover-two", "neighbour-a"])
        await fillTenant(stack.dynamo, tables.a, tenantId, tenantId === "neighbour-a" ? 600 : 3_000);
      await fillTenant(stack.dynamo, tables.b, "neighbour-b", 600);
      neighbours.set("neighbour-a", await tenantDigest(stack.dynamo, tables.a, "neighbour-a"));
      neighbours.set("neighbour-b", await tenantDigest(stack.dynamo, tables.b, "neighbour-b"));
      ledgers = new Map();
      for (const tenantId of ["mover", "mover-two"])
        ledgers.set(tenantId, new WriteLedger(await tenantDigest(stack.dynamo, tables.a, tenantId)));

      const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
      ctx = { db: catalog.db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };

      // Only the movers make requests: ~40 a second each, most of them writes, half of those new items.
      writing = await startWritingDataPlane({
        dynamo: stack.dynamo,
        routingTable,
        tenants: Object.fromEntries(
          ["mover", "mover-two"].map((id) => [id, { ratePerSec: 40, readRatio: 0.2, itemBytes: 300, maxItems: 8_000 }]),
        ),
        seed: 11,
        readerId: "test-reader",
        onWriteAcknowledged: (tenantId, item, where) => {
          const ledger = ledgers.get(tenantId);
          if (!ledger) throw new Error(`the data plane wrote for ${tenantId}`);
          ledger.acknowledged(item, where);
        },
      });
      worker = startWorker({
        deps: stack.deps,
        definitions: operationDefinitions,
        pollMs: 50,
        leaseMs,
        log: process.env.DEBUG_WORKER ? console.log : () => undefined,
      });
    }, 300_000);

    afterAll(async () => {
      await writing?.stop();
      await worker?.stop();
      await stack?.stop();
      await catalog?.stop();
    });

    const finished = (operationId: string) => waitForOperation(catalog.db, operationId);

    const migrate = async (tenantId: string, to: string, copyRatePerSec = 0) => {
      const { data } = await requestMigration(
        ctx,
        migrationInput.parse({ tenantId, target: to, copyRatePerSec, idempotencyKey: randomUUID() }),
        roomyTargets,
      );
      return finished(data.operationId);
    };

    /** Waits until `count` more of the tenant's writes have been acknowledged in `tableName`. */
    async function writesLand(tenantId: string, tableName: string, count: number) {
      const ledger = ledgers.get(tenantId)!;
      const target = ledger.writesTo(tableName) + count;
      while (ledger.writesTo(tableName) < target) await new Promise((resolve) => setTimeout(resolve, 20));
    }

    /** Lets the data plane write at the tenant's placement, then checks the tenant's items against every acknowledged write. */
    async function expectNothingLost(tenantId: string, tableName: string) {
      await writesLand(tenantId, tableName, 10);
      const record = await getRoutingRecord(stack.dynamo, tenantId, routingTable);
      expect(record).toMatchObject({ writeFrozen: false, status: "active", placement: { tableName } });
      const problems = await ledgers.get(tenantId)!.problemsIn(
        () => tenantDigest(stack.dynamo, tableName, tenantId),
        () => writing!.dataPlane.oldestWriteInFlight(tenantId),
      );
      if (problems.length > 0) console.error(await operationTimeline(tenantId));
      expect(problems.slice(0, 5)).toEqual([]);
    }

    /** The tenant's recent operations, step by step, with their outputs: what a lost write is read against. */
    async function operationTimeline(tenantId: string): Promise<string> {
      const operations = await catalog.db.operation.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" }, take: 2 });
      return operations
        .map((o) =>
          [
            `${o.kind} ${o.id} ${o.status}`,
            ...parseSteps(o.steps).map(
              (s) =>
                `  ${s.name} ${s.startedAt ? Date.parse(s.startedAt) : "-"}..${s.finishedAt ? Date.parse(s.finishedAt) : "-"} ${JSON.stringify(s.output ?? {}).slice(0, 300)}`,
            ),
          ].join("\n"),
        )
        .join("\n");
    }

    async function expectNeighboursUntouched() {
      expect(await tenantDigest(stack.dynamo, tables.a, "neighbour-a")).toEqual(neighbours.get("neighbour-a"));
      expect(await tenantDigest(stack.dynamo, tables.b, "neighbour-b")).toEqual(neighbours.get("neighbour-b"));
    }

    it("moves a writing tenant pool → pool → its own silo → pool, losing no acknowledged write and touching no neighbour", async () => {
      const toB = await migrate("mover", "pool-b");
      expect(toB.error).toBeNull();
      expect(toB.status).toBe("succeeded");
      await expectNothingLost("mover", tables.b);
      // The freeze is measured from the freeze step to the switch at the cut-over, whatever either took.
      const steps = parseSteps(toB.steps);
      const freeze = steps.find((s) => s.name === "freeze")!;
      const cutOver = steps.find((s) => s.name === "cutOver")!;
      expect(Number(cutOver.output?.freezeMs)).toBeGreaterThan(0);
      expect(Number(cutOver.output?.freezeMs)).toBeLessThanOrEqual(Date.parse(cutOver.finishedAt!) - Date.parse(freeze.startedAt!));
      // Every reader kept the move's write journal: the frozen steps read only the keys it named; it is gone after the cut-over.
      expect(freeze.output?.journaled).toEqual(expect.objectContaining({ keys: expect.any(Number) }));
      expect((await readJournal(stack.dynamo, toB.id, 0)).entries).toBe(0);

      const toSilo = await migrate("mover", "new-silo");
      expect(toSilo.error).toBeNull();
      await expectNothingLost("mover", "tsc-silo-mover");
      expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover" } })).toMatchObject({
        deploymentModel: "silo",
        storageInstanceId: "silo-mover",
        status: "active",
      });

      const back = await migrate("mover", "pool-a");
      expect(back.error).toBeNull();
      await expectNothingLost("mover", tables.a);
      expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover" } })).toMatchObject({
        deploymentModel: "pool",
        storageInstanceId: "pool-a",
      });
      expect(ledgers.get("mover")!.writes).toBeGreaterThan(100);

      // The first migration's source copy is the tenant's live data again: no clean-up may delete it.
      const first = await migrationState(catalog.db, toB.id);
      expect(first?.cleanup.possible).toBe(false);
      await expect(
        requestCleanup(ctx, migrationFollowUpInput.parse({ migrationId: toB.id, idempotencyKey: randomUUID() })),
      ).rejects.toThrow(/replaced by|lives in pool-a again/);
      // The silo migration's source copy (in pool-b) is a leftover: cleaning it up removes only the mover's keys.
      const { data } = await requestCleanup(ctx, migrationFollowUpInput.parse({ migrationId: toSilo.id, idempotencyKey: randomUUID() }));
      expect((await finished(data.operationId)).status).toBe("succeeded");
      expect((await tenantDigest(stack.dynamo, tables.b, "mover")).size).toBe(0);
      await expectNeighboursUntouched();

      // Once the rollback window has ended, the schedule queues the one clean-up still due (the silo the tenant left), once.
      const later = Date.now() + 25 * 3_600_000;
      const queued = await queueDueCleanups(catalog.db, later);
      expect(queued).toHaveLength(1);
      expect((await finished(queued[0]!)).status).toBe("succeeded");
      expect((await tenantDigest(stack.dynamo, "tsc-silo-mover", "mover")).size).toBe(0);
      expect(await catalog.db.storageInstance.findUniqueOrThrow({ where: { id: "silo-mover" } })).toMatchObject({ status: "retired" });
      expect(await queueDueCleanups(catalog.db, later)).toEqual([]);
      await expectNeighboursUntouched();
    }, 300_000);

    it("rolls a migration back with the writes made since the cut-over, and removes the abandoned copy", async () => {
      const migration = await migrate("mover-two", "pool-b");
      expect(migration.status).toBe("succeeded");
      await writesLand("mover-two", tables.b, 20); // writes land in pool-b after the cut-over
      const { data } = await requestRollback(
        ctx,
        migrationFollowUpInput.parse({ migrationId: migration.id, idempotencyKey: randomUUID() }),
      );
      const rollback = await finished(data.operationId);
      expect(rollback.error).toBeNull();
      await expectNothingLost("mover-two", tables.a);
      expect((await tenantDigest(stack.dynamo, tables.b, "mover-two")).size).toBe(0);
      expect((await migrationState(catalog.db, migration.id))?.rollback.possible).toBe(false);
      await expectNeighboursUntouched();
    }, 300_000);

    it("carries over what the tenant deletes while it is migrated (the journal names deletes, which leave no stamp)", async () => {
      const library = writing!.dataPlane.library.forTenant("mover");
      const key = (sk: string) => ({ pk: "mover#orders", sk });
      const steps: Record<string, () => Promise<unknown>> = {
        "copy:start": async () => {
          await library.put({ ...key("deleted-after-catch-up"), note: "written while migrated" });
          await library.put({ ...key("deleted-before-freeze"), note: "written while migrated" });
        },
        "catchUp:mid": () => library.delete(key("deleted-after-catch-up")),
        "freeze:start": () => library.delete(key("deleted-before-freeze")),
      };
      await worker?.stop();
      worker = startWorker({
        deps: {
          ...stack.deps,
          faultPoint: async (point) => {
            const run = steps[point];
            delete steps[point];
            await run?.();
          },
        },
        definitions: operationDefinitions,
        pollMs: 50,
        leaseMs,
        log: () => undefined,
      });
      const from = (await getRoutingRecord(stack.dynamo, "mover", routingTable))!.placement;
      const to = from.storageInstanceId === "pool-a" ? "pool-b" : "pool-a";
      const moved = await migrate("mover", to);
      await worker.stop();
      worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
      expect(moved.error).toBeNull();
      expect(Object.keys(steps)).toEqual([]);
      const there = await tenantDigest(stack.dynamo, to === "pool-a" ? tables.a : tables.b, "mover");
      expect(there.has("mover#orders\u001fdeleted-after-catch-up")).toBe(false);
      expect(there.has("mover#orders\u001fdeleted-before-freeze")).toBe(false);
      await expectNothingLost("mover", to === "pool-a" ? tables.a : tables.b);
      await expectNeighboursUntouched();
    }, 300_000);

    it("aborts the cut-over when an item differs behind the migration's back, and undoes the copy", async () => {
      const before = await tenantDigest(stack.dynamo, tables.a, "neighbour-a");
      // As verification begins, one copied item in the target changes without its updatedAt changing (no writer did it).
      const [key] = [...before.keys()];
      const [pk, sk] = key!.split("\u001f");
      const tamper = async (point: string) => {
        if (point !== "verifyAll:mid") return;
        await stack.dynamo.send(
          new PutItemCommand({
            TableName: tables.b,
            Item: {
              pk: { S: pk! },
              sk: { S: sk! },
              tenantId: { S: "neighbour-a" },
              entity: { S: "orders" },
              updatedAt: { N: String(Date.now() - 3_600_000) },
              payload: { S: "tampered" },
            },
          }),
        );
      };
      await worker?.stop();
      worker = startWorker({
        deps: { ...stack.deps, faultPoint: tamper },
        definitions: operationDefinitions,
        pollMs: 50,
        leaseMs,
        log: () => undefined,
      });
      const { data } = await requestMigration(
        ctx,
        migrationInput.parse({ tenantId: "neighbour-a", target: "pool-b", copyRatePerSec: 0, idempotencyKey: randomUUID() }),
        roomyTargets,
      );
      const operation = await finished(data.operationId);
      await worker.stop();
      worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
      expect(operation.status).toBe("failed");
      expect(operation.error).toMatch(/difference.*content differs/s);
      expect(operation.error).toMatch(/Undone: writes unfrozen/);
      expect(await getRoutingRecord(stack.dynamo, "neighbour-a", routingTable)).toMatchObject({
        writeFrozen: false,
        status: "active",
        placement: { tableName: tables.a },
      });
      expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "neighbour-a" } })).toMatchObject({
        status: "active",
        storageInstanceId: "pool-a",
      });
      expect((await tenantDigest(stack.dynamo, tables.b, "neighbour-a")).size).toBe(0);
      expect(await tenantDigest(stack.dynamo, tables.a, "neighbour-a")).toEqual(before);
      expect(await tenantDigest(stack.dynamo, tables.b, "neighbour-b")).toEqual(neighbours.get("neighbour-b"));
    }, 300_000);

    // A worker process SIGKILLed at each of these points on PostgreSQL 15, at one on PGlite: the crash matrix kills workers
    // at all three (in process) on both databases, and what a real process death adds for a database, its connections
    // dropped where they were, one case proves on PGlite (each case costs a process start and a whole migration).
    const killedAt = target.name === "postgresql-15" ? ["copy:mid", "verify:mid", "cutOver:effect"] : ["cutOver:effect"];
    describe.each(killedAt)("a worker killed at %s", (point) => {
      it("is replaced by one that finishes the migration: nothing lost, tenant not left frozen", async () => {
        await worker?.stop();
        worker = null;
        const tenantId = "mover";
        const current = await catalog.db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
        const to = current.storageInstanceId === "pool-a" ? "pool-b" : "pool-a";
        const { data } = await requestMigration(
          ctx,
          migrationInput.parse({ tenantId, target: to, copyRatePerSec: point === "copy:mid" ? 2_000 : 0, idempotencyKey: randomUUID() }),
          roomyTargets,
        );
        const child = spawn(
          process.execPath,
          [
            "--conditions=react-server",
            "--import",
            "tsx",
            path.join(import.meta.dirname, "../../operations/__tests__/migration-worker.ts"),
          ],
          {
            env: {
              ...process.env,
              DATABASE_URL: catalog.url,
              FIXTURE_DYNAMODB_URL: stack.dynamoUrl,
              FIXTURE_ROUTING_TABLE: routingTable,
              CRASH_AT: point,
              CRASH_AFTER: point === "copy:mid" ? "2" : "1",
            },
            stdio: ["ignore", "pipe", "inherit"],
          },
        );
        const exit = await new Promise<NodeJS.Signals | number | null>((resolve) =>
          child.on("exit", (code, signal) => resolve(signal ?? code)),
        );
        expect(exit).toBe("SIGKILL");
        const interrupted = await catalog.db.operation.findUniqueOrThrow({ where: { id: data.operationId } });
        expect(interrupted.status).toBe("running");
        // The dead worker's lease would run out in its own time (lease expiry itself: engine.integration.test.ts); end it now.
        await catalog.db.operation.update({ where: { id: data.operationId }, data: { leaseExpiresAt: new Date(0) } });
        worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs, log: () => undefined });
        const operation = await finished(data.operationId);
        expect(operation.error).toBeNull();
        expect(operation.status).toBe("succeeded");
        expect(operation.attempts).toBe(1);
        await expectNothingLost(tenantId, to === "pool-a" ? tables.a : tables.b);
        await expectNeighboursUntouched();
      }, 300_000);
    });
  });
}
