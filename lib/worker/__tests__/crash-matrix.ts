// The crash matrix (issue 15): every step of onboarding, a plan change, a
// migration (pool → pool), a backup, an in-place and a staged restore (pool →
// pool, issue 19), with its worker
// killed at the step's start, in its middle (after some items) and right after
// its external effect (a routing write, a table, a replace) but before its
// checkpoint, then taken over by a fresh worker; on PostgreSQL 15 at every
// point and on PGlite at a sample of them (killsOn in
// lib/operations/__tests__/crash-harness.ts says which and why), while the
// real data plane writes for the moving and the restored tenant and
// acknowledges every write. Deaths are in-process and as strict as a SIGKILL
// (lib/operations/__tests__/crash-harness.ts), so the matrix is deterministic
// and fast; real SIGKILLs are in engine.integration.test.ts and the migration
// and backup tests. After each case: every acknowledged write is present with
// its last value where the tenant lives, co-tenants are unchanged, the tenant
// is not frozen, catalog and routing agree, nothing is orphaned, and the
// operation succeeded, or stopped as documented (failed and undone before its
// point of no return, needs attention from it on) and a retry finishes it.
import { defaultKeyScheme } from "../../storage/key-scheme";
import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  PutItemCommand,
  type AttributeValue,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../../local/operation-stack";
import { demoPlans, demoUsers, type DemoFleet } from "../../../prisma/demo-fleet";
import { seedCatalog } from "../../../prisma/seed-catalog";
import type { ActionContext } from "../../auth/action-context";
import { backupInput, queueBackup } from "../../backup/requests";
import { readManifest, readTenantFromBackup } from "../../backup/read";
import { restoreOperation } from "../../backup/restore-operation";
import { forgetSourceItems } from "../../backup/restore-source";
import type { TestDatabase, TestDatabaseTarget } from "../../db/__tests__/databases";
import { migrationInput, requestMigration } from "../../migration/requests";
import { migrationState } from "../../migration/state";
import { onboardingInput, requestOnboarding } from "../../onboarding/requests";
import { parseSteps, stepsOf } from "../../operations/definition";
import { CrashHarness, killsOn, type KillAt } from "../../operations/__tests__/crash-harness";
import { startWritingDataPlane } from "../../operations/__tests__/live-fixtures";
import { fillTenant, migrationFleet, pooledTenant, tenantDigest } from "../../operations/__tests__/migration-fixture";
import { filesUnder, settledProblems, unchangedProblems, writeProblems } from "../../operations/__tests__/tenant-invariants";
import { WriteJournal } from "../../operations/__tests__/write-ledger";
import { enqueueOperation, retryOperation } from "../../operations/queue";
import { getRoutingRecord } from "../../routing/routing-table";
import { readJournal } from "../../routing/journal";
import { changeSkewMs } from "../../routing/tenant-moves";
import type { RoutingRecord } from "../../routing/record";
import { tenantScopedClient } from "../../storage/tenant-access";
import { tenantEntities } from "../../storage/tenant-items";
import { batchWriteTenantItems, itemHash, itemKey, keyFromItemKey } from "../../storage/tenant-partitions";
import { seedItemsPerEntity } from "../../storage/seed-tenant";
import { tableExists } from "../../storage/tenant-tables";
import { planChangeInput, requestPlanChange } from "../../throttling/requests";
import { operationDefinitions } from "../kinds";
import { roomyTargets } from "../../migration/__tests__/target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION = "us-east-1";
const routingTable = "crash-matrix-routing";
const maxAttempts = 3;

type Kill = KillAt & { label: string };

const kill = (point: string, occurrence = 1): Kill => ({ point, occurrence, label: occurrence > 1 ? `${point} (×${occurrence})` : point });

/**
 * A kind's kill points. A step with an external effect (a routing write, items, a table, files, a catalog change)
 * gets a case for each of its points: the runner's start and end and its own ("mid×2": the second time it is
 * reached). The steps with none (they only read) share one case, a worker dying at each of their start and end in turn.
 */
function killPoints(steps: Record<string, string[] | "reads only">) {
  const pointsOf = (step: string, own: string[]) => [
    kill(`${step}:start`),
    ...own.map((p) => {
      const [where, times] = p.split("×");
      return kill(`${step}:${where}`, times ? Number(times) : 1);
    }),
    kill(`${step}:end`),
  ];
  const entries = Object.entries(steps);
  return {
    steps: entries.map(([step]) => step),
    cases: entries.flatMap(([step, own]) => (own === "reads only" ? [] : pointsOf(step, own))),
    readOnly: entries.filter(([, own]) => own === "reads only").map(([step]) => step),
    readOnlyKills: entries.flatMap(([step, own]) => (own === "reads only" ? pointsOf(step, []) : [])),
  };
}

/** The same kill for `n` workers in a row. */
const times = (n: number, kill: KillAt): KillAt[] => Array.from({ length: n }, () => kill);

const matrix = {
  onboard: killPoints({ validate: "reads only", place: "reads only", provision: [], publish: [], seed: ["mid×8"], activate: [] }),
  change_plan: killPoints({ validate: "reads only", enforce: [], catalog: [], publish: [], propagate: "reads only" }),
  migrate: killPoints({
    validate: "reads only",
    prepare: "reads only", // pool → pool: nothing to prepare
    start: ["effect"],
    copy: ["mid×2"],
    catchUp: ["mid"],
    verifyAll: "reads only",
    freeze: ["effect"],
    verify: "reads only",
    cutOver: ["effect"],
  }),
  backup: killPoints({ validate: [], export: ["mid"] }),
  restore: killPoints({
    validate: "reads only",
    load: "reads only",
    compare: "reads only",
    watch: ["effect"],
    freeze: ["effect"],
    snapshot: [],
    replace: ["mid"],
    verify: "reads only",
    unfreeze: ["effect"],
  }),
  // A staged restore (pool → pool) is the restore kind run with other parameters.
  restore_staged: killPoints({
    validate: "reads only",
    load: "reads only",
    compare: "reads only",
    prepare: "reads only", // into a pool: nothing to prepare
    start: ["effect"],
    stage: ["mid"],
    verifyStaged: "reads only",
    catchUp: ["mid"],
    verifyAll: "reads only",
    freeze: ["effect"],
    verify: "reads only",
    unfreeze: ["effect"],
    cleanUp: ["mid", "effect"],
  }),
};

const inPlace = { tenantId: "x", source: { kind: "backup" as const, backupId: "x" }, mode: "in_place" as const };
const parametersOf: Record<string, unknown> = { restore: inPlace, restore_staged: { ...inPlace, mode: "staged" } };

/** That the matrix kills every step of every kind it runs, on PostgreSQL 15 at every point (called by one of its files). */
export function crashMatrixCoverage(): void {
  describe("the crash matrix", () => {
    it("covers every step of every kind it runs, on each database", () => {
      for (const [kind, { steps, cases, readOnlyKills }] of Object.entries(matrix)) {
        const definition = operationDefinitions[kind === "restore_staged" ? "restore" : kind]!;
        expect(steps, kind).toEqual(stepsOf(definition, parametersOf[kind]).map((s) => s.name));
        expect(killsOn("postgresql-15", cases), kind).toEqual(cases);
        for (const database of ["postgresql-15", "pglite"] as const) {
          const killed = new Set([...killsOn(database, cases), ...readOnlyKills].map((k) => k.point.split(":")[0]));
          expect([...killed].sort(), `${kind} on ${database}`).toEqual([...steps].sort());
        }
      }
    });
  });
}

const fleet: DemoFleet = {
  plans: demoPlans,
  instances: migrationFleet.instances,
  tenants: [
    pooledTenant("mover", "pool-a"),
    pooledTenant("restorer", "pool-b"),
    pooledTenant("planner", "pool-a"),
    pooledTenant("neighbour-a", "pool-a"),
    pooledTenant("neighbour-b", "pool-b"),
  ],
  users: demoUsers,
};
const tableOf = { "pool-a": "tsc-pool-a", "pool-b": "tsc-pool-b" } as Record<string, string>;
const quiet = { "neighbour-a": "tsc-pool-a", "neighbour-b": "tsc-pool-b" } as const;
const restorerItems = 560;
/** More than a restore's write chunk (500): its replace reaches "mid" before its last chunk. */
const damagedItems = 520;

export function crashMatrixOn(target: TestDatabaseTarget): void {
  describe(`the crash matrix on ${target.name}`, () => {
    /** A kind's cases on this database: every kill point on PostgreSQL 15, a sample on PGlite (why: killsOn). */
    const casesOf = (kind: keyof typeof matrix) => killsOn(target.name, matrix[kind].cases);
    let catalog: TestDatabase;
    let stack: OperationStack;
    let ctx: ActionContext;
    let harness: CrashHarness;
    let writing: Awaited<ReturnType<typeof startWritingDataPlane>>;
    /** The writing tenants' acknowledged writes (the restores put some of the restorer's back as they were). */
    let moverWrites: WriteJournal;
    let restorerWrites: WriteJournal;
    const quietBefore = new Map<string, { tableName: string; digest: Map<string, string> }>();
    let restoreSource: { backupId: string; digest: Map<string, string> };
    let onboarded = 0;

    beforeAll(async () => {
      catalog = await target.start();
      await seedCatalog(catalog.db, fleet);
      stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: "CrashMatrix", worker: false });
      await fillTenant(stack.dynamo, "tsc-pool-a", "mover", 240);
      await fillTenant(stack.dynamo, "tsc-pool-b", "restorer", restorerItems);
      for (const [id, table] of Object.entries(quiet)) {
        await fillTenant(stack.dynamo, table, id, 80);
        quietBefore.set(id, { tableName: table, digest: await tenantDigest(stack.dynamo, table, id) });
      }
      moverWrites = new WriteJournal(await tenantDigest(stack.dynamo, "tsc-pool-a", "mover"));
      restorerWrites = new WriteJournal(await tenantDigest(stack.dynamo, "tsc-pool-b", "restorer"));
      const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
      ctx = { db: catalog.db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
      harness = new CrashHarness({
        deps: stack.deps,
        definitions: operationDefinitions,
        runner: { maxAttempts },
        onDeath: forgetSourceItems,
      });
      writing = await startWritingDataPlane({
        dynamo: stack.dynamo,
        routingTable,
        tenants: Object.fromEntries(
          ["mover", "restorer"].map((id) => [id, { ratePerSec: 12, readRatio: 0.2, itemBytes: 200, maxItems: id === "mover" ? 400 : 800 }]),
        ),
        seed: 15,
        readerId: "crash-matrix-reader",
        routingRefreshMs: 100,
        onWriteAcknowledged: (tenantId, item, where) => {
          if (tenantId === "mover") moverWrites.acknowledged(item, where);
          else if (tenantId === "restorer") restorerWrites.acknowledged(item, where);
          else throw new Error(`the data plane wrote for ${tenantId}`);
        },
      });
      // The restores' source: a backup of pool-b taken while the restorer writes.
      const { data } = await queueBackup(
        ctx,
        backupInput.parse({ storageInstanceId: "pool-b", strategy: "per_tenant", idempotencyKey: randomUUID() }),
      );
      expect((await harness.run(data.operationId)).outcome).toBe("succeeded");
      const backup = await catalog.db.backup.findUniqueOrThrow({ where: { id: data.operationId } });
      const manifest = await readManifest(stack.deps.backupStore, backup.location);
      const { items } = await readTenantFromBackup(stack.deps.backupStore, backup.location, manifest, "restorer");
      restoreSource = { backupId: backup.id, digest: new Map(items.map((item) => [itemKey(defaultKeyScheme, item), itemHash(item)])) };
    }, 180_000);

    afterAll(async () => {
      await writing?.stop();
      await stack?.stop();
      await catalog?.stop();
    });

    const operation = (id: string) => catalog.db.operation.findUniqueOrThrow({ where: { id } });
    const routing = async (tenantId: string) => (await getRoutingRecord(stack.dynamo, tenantId, routingTable))!;

    /** Runs the operation with one worker dying at each kill, then healthy ones; it must end as `expected`. */
    async function runWithDeaths(operationId: string, kills: KillAt[], expected: "succeeded" | "failed" | "needs_attention") {
      const { outcome, lives } = await harness.run(operationId, kills);
      const row = await operation(operationId);
      expect(
        { outcome, status: row.status },
        `${lives.map((l) => `${l.workerId}: ${l.outcome}`).join(", ")}\n${row.error ?? ""}\n${timeline(row.steps)}`,
      ).toEqual({ outcome: expected, status: expected });
      if (expected === "succeeded") expect(row.error).toBeNull();
      return row;
    }

    /** An operator's retry of a stopped operation, run by healthy workers to success. */
    async function retryToSuccess(operationId: string, kills: KillAt[] = []) {
      await retryOperation(catalog.db, operationDefinitions, operationId, ctx.user);
      return runWithDeaths(operationId, kills, "succeeded");
    }

    /** No operation holds the tenant, it is active and unfrozen, and the catalog says what routing says. */
    async function expectSettled(tenantId: string): Promise<RoutingRecord> {
      const { problems, record } = await settledProblems(catalog.db, stack.dynamo, routingTable, tenantId);
      expect(problems).toEqual([]);
      return record!;
    }

    async function expectQuietUntouched() {
      expect(await unchangedProblems(stack.dynamo, quietBefore)).toEqual([]);
    }

    /** Every write acknowledged for the tenant is where routing says it lives, with its last value. */
    async function expectWritesKept(tenantId: string, writes: WriteJournal) {
      const { placement } = await routing(tenantId);
      const problems = await writeProblems(stack.dynamo, placement.tableName, tenantId, () => writes.ledger(), writing.settled);
      expect(problems.slice(0, 5), `${problems.length} problem(s)`).toEqual([]);
    }

    /** Changes `count` of the restorer's items where it lives, behind the data plane's back (so a restore has them to put back). */
    async function damageRestorer(count: number) {
      const record = await routing("restorer");
      const table = record.placement.tableName;
      const keys = [...restoreSource.digest.keys()].sort().slice(0, count);
      const stamp = Date.now();
      const items = keys.map((key) => damagedItem(key, stamp));
      for (let i = 0; i < items.length; i += 25) {
        let pending: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        while (pending.length)
          pending =
            (await stack.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }))).UnprocessedItems?.[table] ?? [];
      }
      const ackedAt = Date.now();
      for (const item of items) restorerWrites.acknowledged(item, { tableName: table, routingVersion: record.version }, ackedAt);
    }

    /**
     * As damageRestorer, but the changes are stamped `msAgo` before now, as if made a while ago. An item last written
     * later than that is left alone (each put is conditional on its stamp, so stamps still order each item's writes as
     * DynamoDB applied them) and the next key is taken instead.
     */
    async function damageRestorerAgo(count: number, msAgo: number) {
      const record = await routing("restorer");
      const table = record.placement.tableName;
      const stamp = Date.now() - msAgo;
      let damaged = 0;
      for (const key of [...restoreSource.digest.keys()].sort()) {
        if (damaged === count) return;
        const item = damagedItem(key, stamp);
        try {
          await stack.dynamo.send(
            new PutItemCommand({
              TableName: table,
              Item: item,
              ConditionExpression: "attribute_not_exists(pk) OR updatedAt <= :stamp",
              ExpressionAttributeValues: { ":stamp": { N: String(stamp) } },
            }),
          );
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) continue;
          throw error;
        }
        damaged++;
        restorerWrites.acknowledged(item, { tableName: table, routingVersion: record.version });
      }
      throw new Error(`only ${damaged} of the restorer's items were last written more than ${msAgo} ms ago`);
    }

    describe("onboarding (a bridge tenant: a pool and a table of its own)", () => {
      const onboard = async () => {
        const id = `onboarded-${++onboarded}`;
        const { data } = await requestOnboarding(
          ctx,
          onboardingInput.parse({
            name: id,
            id,
            tier: "standard",
            model: "bridge",
            bridgeEntity: "orders",
            region: "us-east-1",
            contactEmail: "ops@example.com",
            idempotencyKey: randomUUID(),
          }),
        );
        return { id, operationId: data.operationId };
      };

      const expectOnboarded = async (id: string) => {
        const record = await expectSettled(id);
        expect(record.bridge).toMatchObject({ entity: "orders", tableName: `tsc-silo-${id}` });
        expect(await tableExists(stack.dynamo, record.bridge!.tableName)).toBe(true);
        // Exactly its seed, each item once, in the table its entity lives in: nothing written twice or elsewhere.
        const inPool = await tenantDigest(stack.dynamo, record.placement.tableName, id);
        const inSilo = await tenantDigest(stack.dynamo, record.bridge!.tableName, id);
        expect([inPool.size, inSilo.size]).toEqual([(tenantEntities.length - 1) * seedItemsPerEntity, seedItemsPerEntity]);
        await expectQuietUntouched();
      };

      it.each(casesOf("onboard"))("killed at $label: a fresh worker finishes it", async (kill) => {
        const { id, operationId } = await onboard();
        await runWithDeaths(operationId, [kill], "succeeded");
        await expectOnboarded(id);
      });

      it(`killed at the start and the end of each step that only reads (${matrix.onboard.readOnly.join(", ")}), one worker after another`, async () => {
        const { id, operationId } = await onboard();
        await runWithDeaths(operationId, matrix.onboard.readOnlyKills, "succeeded");
        await expectOnboarded(id);
      });

      it("stops after a step kills every worker; a retry finishes it", async () => {
        const { id, operationId } = await onboard();
        const stopped = await runWithDeaths(operationId, times(maxAttempts, { point: "seed:mid", occurrence: 3 }), "failed");
        expect(stopped.error).toMatch(/stopped after 3 claims in step "Seed initial data"/);
        await retryToSuccess(operationId);
        await expectOnboarded(id);
      });
    });

    describe("a plan change", () => {
      const change = async () => {
        const { planId } = await catalog.db.tenant.findUniqueOrThrow({ where: { id: "planner" } });
        const to = planId === "standard" ? "premium" : "standard";
        const { data } = await requestPlanChange(
          ctx,
          planChangeInput.parse({ tenantId: "planner", planId: to, confirmLowering: true, idempotencyKey: randomUUID() }),
        );
        return { to, operationId: data.operationId };
      };

      const expectChanged = async (to: string) => {
        const record = await expectSettled("planner");
        const plan = demoPlans.find((p) => p.id === to)!;
        expect([record.ratePerSec, record.burst, record.quotaPerDay]).toEqual([plan.ratePerSec, plan.burst, plan.quotaPerDay]);
        expect((await catalog.db.tenant.findUniqueOrThrow({ where: { id: "planner" } })).planId).toBe(to);
      };

      it.each(casesOf("change_plan"))("killed at $label: a fresh worker finishes it", async (kill) => {
        const { to, operationId } = await change();
        await runWithDeaths(operationId, [kill], "succeeded");
        await expectChanged(to);
      });

      it(`killed at the start and the end of each step that only reads (${matrix.change_plan.readOnly.join(", ")}), one worker after another`, async () => {
        const { to, operationId } = await change();
        await runWithDeaths(operationId, matrix.change_plan.readOnlyKills, "succeeded");
        await expectChanged(to);
      });

      it("stops after a step kills every worker; a retry finishes it", async () => {
        const { to, operationId } = await change();
        await runWithDeaths(operationId, times(maxAttempts, { point: "publish:end" }), "failed");
        await retryToSuccess(operationId);
        await expectChanged(to);
      });
    });

    describe("a migration (pool → pool) while the tenant writes", () => {
      const migrate = async () => {
        const from = (await catalog.db.tenant.findUniqueOrThrow({ where: { id: "mover" } })).storageInstanceId!;
        const to = from === "pool-a" ? "pool-b" : "pool-a";
        const { data } = await requestMigration(
          ctx,
          migrationInput.parse({ tenantId: "mover", target: to, copyRatePerSec: 0, idempotencyKey: randomUUID() }),
          roomyTargets,
        );
        return { from, to, operationId: data.operationId };
      };

      /** The mover's items in a table, through a client scoped to it. */
      const moverTable = (instanceId: string) => {
        const tableName = tableOf[instanceId]!;
        const scope = { tenantId: "mover", keyScheme: defaultKeyScheme, tables: [tableName], operation: "crash matrix" };
        return { client: tenantScopedClient(stack.dynamo, scope), tableName };
      };

      /** It lives in `to` with every acknowledged write; the copy it left is the one its migration keeps (and may clean up). */
      const expectMoved = async (operationId: string, from: string, to: string) => {
        const record = await expectSettled("mover");
        expect(record.placement.storageInstanceId).toBe(to);
        await expectWritesKept("mover", moverWrites);
        expect((await migrationState(catalog.db, operationId))?.cleanup.possible).toBe(true);
        // The frozen steps read only the keys the write journal named; the cut-over deleted it.
        const freeze = parseSteps((await operation(operationId)).steps).find((step) => step.name === "freeze")!;
        expect(freeze.output!.journaled).toEqual(expect.objectContaining({ keys: expect.any(Number) }));
        expect((await readJournal(stack.dynamo, operationId, 0)).entries).toBe(0);
        await expectQuietUntouched();
        // Tidied here (the clean-up operation's effect), so every case starts with the tenant in one table.
        const left = await tenantDigest(stack.dynamo, tableOf[from]!, "mover");
        await batchWriteTenantItems(
          moverTable(from),
          { tenantId: "mover", keyScheme: defaultKeyScheme },
          [...left.keys()].map((key) => ({ deleteKey: keyFromItemKey(defaultKeyScheme, key) })),
        );
      };

      /** Undone: still in `from` with every acknowledged write, the target copy gone. */
      const expectUndone = async (from: string, to: string) => {
        const record = await expectSettled("mover");
        expect(record.placement.storageInstanceId).toBe(from);
        await expectWritesKept("mover", moverWrites);
        expect((await tenantDigest(stack.dynamo, tableOf[to]!, "mover")).size).toBe(0);
        await expectQuietUntouched();
      };

      it.each(casesOf("migrate"))("killed at $label: a fresh worker finishes it", async (kill) => {
        const { from, to, operationId } = await migrate();
        await runWithDeaths(operationId, [kill], "succeeded");
        await expectMoved(operationId, from, to);
      });

      it(`killed at the start and the end of each step that only reads (${matrix.migrate.readOnly.join(", ")}), one worker after another`, async () => {
        const { from, to, operationId } = await migrate();
        await runWithDeaths(operationId, matrix.migrate.readOnlyKills, "succeeded");
        await expectMoved(operationId, from, to);
      });

      it("is undone when its copy kills every worker (before the point of no return); a retry moves it", async () => {
        const { from, to, operationId } = await migrate();
        const failed = await runWithDeaths(operationId, times(maxAttempts, { point: "copy:mid", occurrence: 2 }), "failed");
        expect(failed.error).toMatch(/stopped after 3 claims in step "Copy items"[\s\S]*Undone: writes unfrozen/);
        await expectUndone(from, to);
        await retryToSuccess(operationId);
        await expectMoved(operationId, from, to);
      });

      it("is undone when a worker dies while undoing it: the next one finishes undoing", async () => {
        const { from, to, operationId } = await migrate();
        const kills = [...times(maxAttempts, { point: "freeze:effect" }), { point: "compensate:start" }];
        await runWithDeaths(operationId, kills, "failed");
        await expectUndone(from, to);
        await retryToSuccess(operationId);
        await expectMoved(operationId, from, to);
      });

      it("needs attention when its cut-over kills every worker after the routing write, is never undone, and a retry finishes it", async () => {
        const { from, to, operationId } = await migrate();
        const stopped = await runWithDeaths(operationId, times(maxAttempts, { point: "cutOver:effect" }), "needs_attention");
        expect(stopped.activeTenantId).toBe("mover");
        expect(stopped.error).toMatch(/past its point of no return, so it was not undone/);
        // The switch stands: the tenant writes at the target, unfrozen, and its source copy is still there.
        expect(await routing("mover")).toMatchObject({ status: "active", writeFrozen: false, placement: { storageInstanceId: to } });
        await expectWritesKept("mover", moverWrites);
        await retryToSuccess(operationId);
        await expectMoved(operationId, from, to);
      });
    });

    describe("a backup", () => {
      const backUp = async () => {
        const { data } = await queueBackup(
          ctx,
          backupInput.parse({ storageInstanceId: "pool-b", strategy: "per_tenant", idempotencyKey: randomUUID() }),
        );
        return data.operationId;
      };

      /** Complete, restorable, counting the quiet tenant exactly, and holding no file its manifest does not name. */
      const expectBackedUp = async (operationId: string) => {
        const backup = await catalog.db.backup.findUniqueOrThrow({ where: { id: operationId } });
        expect(backup.status).toBe("complete");
        const manifest = await readManifest(stack.deps.backupStore, backup.location);
        const neighbour = await readTenantFromBackup(stack.deps.backupStore, backup.location, manifest, "neighbour-b");
        expect(new Map(neighbour.items.map((item) => [itemKey(defaultKeyScheme, item), itemHash(item)]))).toEqual(
          quietBefore.get("neighbour-b")!.digest,
        );
        await readTenantFromBackup(stack.deps.backupStore, backup.location, manifest, "restorer"); // its files match the manifest
        expect((await filesUnder(path.join(stack.backupDir, backup.location))).sort()).toEqual(
          ["manifest.json", ...manifest.files.map((f) => f.name)].sort(),
        );
        await expectQuietUntouched();
      };

      it.each(casesOf("backup"))("killed at $label: a fresh worker finishes it", async (kill) => {
        const operationId = await backUp();
        await runWithDeaths(operationId, [kill], "succeeded");
        await expectBackedUp(operationId);
      });

      it("is undone (its files deleted) when its export kills every worker; a retry makes it", async () => {
        const operationId = await backUp();
        const failed = await runWithDeaths(operationId, times(maxAttempts, { point: "export:mid" }), "failed");
        expect(failed.error).toMatch(/Undone: the backup's files were deleted/);
        const backup = await catalog.db.backup.findUniqueOrThrow({ where: { id: operationId } });
        expect(backup.status).toBe("failed");
        expect(await filesUnder(path.join(stack.backupDir, backup.location))).toEqual([]);
        await retryToSuccess(operationId);
        await expectBackedUp(operationId);
      });
    });

    describe("an in-place restore while the tenant writes", () => {
      /** Queues an in-place restore of the restorer after damaging it: much (more than one chunk of writes), or a little. */
      const restore = async (much = false) => {
        await damageRestorer(much ? damagedItems : 20);
        const { operation } = await enqueueOperation(catalog.db, restoreOperation, {
          kind: "restore",
          tenantId: "restorer",
          parameters: { tenantId: "restorer", source: { kind: "backup", backupId: restoreSource.backupId }, mode: "in_place" },
          idempotencyKey: randomUUID(),
          user: ctx.user,
          action: "tenants.restore",
          target: { type: "tenant", id: "restorer" },
        });
        return operation.id;
      };

      /** The backup's items, overwritten only by writes acknowledged since the restore unfroze the tenant. */
      const expectRestored = async () => {
        const record = await expectSettled("restorer");
        restorerWrites.restored(restoreSource.digest, record.version);
        await expectWritesKept("restorer", restorerWrites);
        await expectQuietUntouched();
      };

      /** Undone: the items as they were before the restore (as the journal has them), with every write acknowledged since. */
      const expectUndone = async () => {
        await expectSettled("restorer");
        await expectWritesKept("restorer", restorerWrites);
        await expectQuietUntouched();
      };

      it.each(casesOf("restore"))("killed at $label: a fresh worker finishes it", async (kill) => {
        const operationId = await restore(kill.point === "replace:mid");
        await runWithDeaths(operationId, [kill], "succeeded");
        await expectRestored();
      });

      it(`killed at the start and the end of each step that only reads (${matrix.restore.readOnly.join(", ")}), one worker after another`, async () => {
        const operationId = await restore();
        await runWithDeaths(operationId, matrix.restore.readOnlyKills, "succeeded");
        await expectRestored();
      });

      it("is undone (the saved items put back) when its replace kills every worker; a retry restores it", async () => {
        const operationId = await restore(true);
        // The first dies after one chunk of writes, the next ones (finding fewer to write) once they are written.
        const kills = [{ point: "replace:mid" }, ...times(maxAttempts - 1, { point: "replace:end" })];
        const failed = await runWithDeaths(operationId, kills, "failed");
        expect(failed.error).toMatch(
          /stopped after 3 claims in step "Replace the tenant's items"[\s\S]*Undone: the tenant's [0-9,]+ items put back/,
        );
        await expectUndone();
        await retryToSuccess(operationId);
        await expectRestored();
      });

      it("is undone when a worker dies while undoing it (the items put back, still frozen): the next one finishes undoing", async () => {
        const operationId = await restore(true);
        const kills = [{ point: "replace:mid" }, ...times(maxAttempts - 1, { point: "replace:end" }), { point: "compensate:mid" }];
        await runWithDeaths(operationId, kills, "failed");
        await expectUndone();
        await retryToSuccess(operationId);
        await expectRestored();
      });

      // Found by this matrix: an undo that had put the saved items back and unfrozen the tenant, and whose worker died
      // before recording the failure, was run again by the next worker, replaying the saved items over writes made since.
      it("is not undone twice when a worker dies after its undo unfroze the tenant: no write acknowledged since is lost", async () => {
        const operationId = await restore(true);
        for (const kill of [{ point: "replace:mid" }, ...times(maxAttempts - 1, { point: "replace:end" }), { point: "compensate:effect" }])
          await harness.turn(operationId, kill);
        const unfrozen = await routing("restorer");
        expect(unfrozen).toMatchObject({ status: "active", writeFrozen: false });
        // Writes resume with the undo's unfreeze; the next worker finishes the undo after some have been acknowledged.
        const since = restorerWrites.writes;
        await waitFor(() => restorerWrites.writesSince(since, unfrozen.version) > 0);
        const failed = await runWithDeaths(operationId, [], "failed");
        expect(failed.error).toMatch(/the saved items were already put back \(writes had resumed\)/);
        expect(failed.error).not.toMatch(/Undoing it failed/);
        await expectUndone();
        await retryToSuccess(operationId);
        await expectRestored();
      });

      // Defect 1 of issue 15: a restore's deaths after its unfreeze's routing write once made the next claim undo it,
      // replaying the saved items over writes the tenant had made since.
      it("is never undone when killed again and again after its unfreeze's routing write: no write acknowledged since is lost", async () => {
        const operationId = await restore();
        // The first death right after the routing write; the next workers find it written (and write nothing) and die before the checkpoint.
        const kills = [{ point: "unfreeze:effect" }, ...times(maxAttempts - 1, { point: "unfreeze:end" })];
        const stopped = await runWithDeaths(operationId, kills, "needs_attention");
        expect(stopped.activeTenantId).toBe("restorer");
        expect(stopped.error).toMatch(/past its point of no return, so it was not undone[\s\S]*Retry resumes at "Unfreeze writes"/);
        const unfrozen = await routing("restorer");
        expect(unfrozen).toMatchObject({ status: "active", writeFrozen: false });
        // Writes resumed with the unfreeze; the operator's retry (killed once more at the same point) must keep every one.
        const since = restorerWrites.writes;
        await waitFor(() => restorerWrites.writesSince(since, unfrozen.version) > 0);
        await retryToSuccess(operationId, [{ point: "unfreeze:start" }]);
        expect(restorerWrites.writesSince(since, unfrozen.version)).toBeGreaterThan(0);
        await expectRestored();
        const audit = await catalog.db.auditEntry.findMany({ where: { operationId }, select: { detail: true } });
        expect(audit.map((a) => a.detail).join("\n")).not.toMatch(/Undone/);
      });
    });

    describe("a staged restore (pool → pool) while the tenant writes", () => {
      const tableOfInstance = (id: string) => tableOf[id]!;

      // Once, before the first case: the in-place restores before it put items back without the data plane (writes the
      // journal does not see, over some it does), and a staged restore is judged by the writes stamped from its start
      // less the clock-skew allowance on; none of those may be stamped within it.
      beforeAll(() => new Promise((resolve) => setTimeout(resolve, changeSkewMs + 100)));

      const restore = async () => {
        // Stamped before the restore's start less the clock-skew allowance, so it is not kept as a write made during the
        // restore (rather than waiting out the allowance before each case).
        await damageRestorerAgo(20, changeSkewMs + 5_000);
        const from = (await routing("restorer")).placement.storageInstanceId;
        const { operation } = await enqueueOperation(catalog.db, restoreOperation, {
          kind: "restore",
          tenantId: "restorer",
          parameters: { tenantId: "restorer", source: { kind: "backup", backupId: restoreSource.backupId }, mode: "staged" },
          idempotencyKey: randomUUID(),
          user: ctx.user,
          action: "tenants.restore",
          target: { type: "tenant", id: "restorer" },
        });
        return { operationId: operation.id, from, to: from === "pool-a" ? "pool-b" : "pool-a" };
      };

      /** In `to`: the backup's items, overwritten by every write stamped since the restore began; nothing of it left in `from`. */
      const expectRestored = async (operationId: string, from: string, to: string) => {
        const record = await expectSettled("restorer");
        expect(record.placement.storageInstanceId).toBe(to);
        const steps = parseSteps((await operation(operationId)).steps);
        const start = steps.find((step) => step.name === "start")!;
        restorerWrites.restoredStaged(restoreSource.digest, Number(start.output!.copyFrom));
        // Every reader keeps the journal: the frozen steps read only its keys; it is deleted once readers stopped keeping it.
        expect(steps.find((step) => step.name === "verifyAll")!.output).toMatchObject({ journal: true });
        expect(steps.find((step) => step.name === "freeze")!.output!.journaled).toEqual(
          expect.objectContaining({ keys: expect.any(Number) }),
        );
        expect((await readJournal(stack.dynamo, operationId, 0)).entries).toBe(0);
        await expectWritesKept("restorer", restorerWrites);
        expect((await tenantDigest(stack.dynamo, tableOfInstance(from), "restorer")).size).toBe(0);
        await expectQuietUntouched();
      };

      /** Undone: still in `from` with every acknowledged write, the staged copy gone. */
      const expectUndone = async (from: string, to: string) => {
        const record = await expectSettled("restorer");
        expect(record.placement.storageInstanceId).toBe(from);
        await expectWritesKept("restorer", restorerWrites);
        expect((await tenantDigest(stack.dynamo, tableOfInstance(to), "restorer")).size).toBe(0);
        await expectQuietUntouched();
      };

      it.each(casesOf("restore_staged"))("killed at $label: a fresh worker finishes it", async (kill) => {
        const { operationId, from, to } = await restore();
        await runWithDeaths(operationId, [kill], "succeeded");
        await expectRestored(operationId, from, to);
      });

      it(`killed at the start and the end of each step that only reads (${matrix.restore_staged.readOnly.join(", ")}), one worker after another`, async () => {
        const { operationId, from, to } = await restore();
        await runWithDeaths(operationId, matrix.restore_staged.readOnlyKills, "succeeded");
        await expectRestored(operationId, from, to);
      });

      it("is undone (the staged copy removed, the tenant unfrozen where it was) when its catch-up kills every worker; a retry restores it", async () => {
        const { operationId, from, to } = await restore();
        const failed = await runWithDeaths(operationId, times(maxAttempts, { point: "catchUp:mid" }), "failed");
        expect(failed.error).toMatch(/stopped after 3 claims in step "Copy what the tenant wrote meanwhile"[\s\S]*staged items removed/);
        await expectUndone(from, to);
        await retryToSuccess(operationId);
        await expectRestored(operationId, from, to);
      });

      it("is undone when a worker dies while undoing it after the freeze: the next one finishes undoing", async () => {
        const { operationId, from, to } = await restore();
        await runWithDeaths(operationId, [...times(maxAttempts, { point: "freeze:effect" }), { point: "compensate:start" }], "failed");
        await expectUndone(from, to);
        await retryToSuccess(operationId);
        await expectRestored(operationId, from, to);
      });

      it("needs attention when its switch kills every worker after the routing write, is never undone, and a retry finishes it", async () => {
        const { operationId, from, to } = await restore();
        const stopped = await runWithDeaths(operationId, times(maxAttempts, { point: "unfreeze:effect" }), "needs_attention");
        expect(stopped.error).toMatch(/past its point of no return, so it was not undone/);
        // The switch stands: the tenant writes in its new placement, unfrozen.
        expect(await routing("restorer")).toMatchObject({ writeFrozen: false, placement: { storageInstanceId: to } });
        await retryToSuccess(operationId);
        await expectRestored(operationId, from, to);
      });
    });

    it("lost no write the movers made over the whole matrix", async () => {
      await expectWritesKept("mover", moverWrites);
      expect(moverWrites.writes).toBeGreaterThan(100);
      await expectWritesKept("restorer", restorerWrites);
    });
  });
}

/** One of the restorer's items (`key` as itemKey gives it) changed behind the data plane's back, stamped `stamp`. */
function damagedItem(key: string, stamp: number): Record<string, AttributeValue> {
  const [pk, sk] = key.split("\u001f") as [string, string];
  return {
    pk: { S: pk },
    sk: { S: sk },
    tenantId: { S: "restorer" },
    entity: { S: pk.split("#")[1]! },
    updatedAt: { N: String(stamp) },
    payload: { S: `damaged ${randomUUID()}` },
  };
}

function timeline(raw: unknown): string {
  return parseSteps(raw)
    .map((s) => `  ${s.name} ${s.status}${s.detail ? `: ${s.detail}` : ""}`)
    .join("\n");
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
