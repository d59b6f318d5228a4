// Offboarding under worker deaths at every step, while co-tenants in the same
// pool keep writing through the real data plane (issue 19), the way the crash
// matrix (lib/worker/__tests__/crash-matrix.ts) kills migrations and restores:
// each worker dies at a named point as strictly as a SIGKILL and a fresh one
// takes over (at every kill point on PostgreSQL 15, at a sample of them on
// PGlite: killsOn in lib/operations/__tests__/crash-harness.ts says why).
// The tenants being offboarded write too, until their suspension.
// After each case: the operation succeeded with a certificate that checks; no
// item of the tenant is left; its export holds every write acknowledged to it,
// proved against its manifest; catalog and routing say offboarded; the writing
// co-tenant kept every acknowledged write and the quiet one is exactly as it
// was. Also: a real SIGKILL of a worker process mid-purge; a pool, a silo and a
// bridge tenant; waking after the grace period; cancel during it (also with a
// worker dying while it undoes); a co-tenant item damaged during the purge; the
// approval rules.
import { randomUUID } from "node:crypto";
import { GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../../local/operation-stack";
import { demoPlans, demoUsers, type DemoFleet } from "../../../prisma/demo-fleet";
import { seedCatalog } from "../../../prisma/seed-catalog";
import type { ActionContext, SignedInUser } from "../../auth/action-context";
import { ActionRefusal } from "../../auth/action-context";
import type { TestDatabase, TestDatabaseTarget } from "../../db/__tests__/databases";
import { parseSteps, stepsOf } from "../../operations/definition";
import { CrashHarness, killsOn, type KillAt } from "../../operations/__tests__/crash-harness";
import { startWritingDataPlane, waitForOperation } from "../../operations/__tests__/live-fixtures";
import { killWorkerProcess, startWorkerProcess } from "../../operations/__tests__/worker-process";
import { fillTenant, pool, tenant as fleetTenant, tenantDigest } from "../../operations/__tests__/migration-fixture";
import { unchangedProblems, writeProblems, settledProblems } from "../../operations/__tests__/tenant-invariants";
import { WriteJournal } from "../../operations/__tests__/write-ledger";
import { retryOperation } from "../../operations/queue";
import { checkTenantState } from "../../fleet-checks/tenant-state";
import { getRoutingRecord } from "../../routing/routing-table";
import { defaultKeyScheme } from "../../storage/key-scheme";
import { readItemFile } from "../../storage/item-files";
import { itemHash, itemKey } from "../../storage/tenant-partitions";
import { tableExists } from "../../storage/tenant-tables";
import { operationDefinitions } from "../../worker/kinds";
import { certificateHash, type DeletionCertificate } from "../offboarding-certificate";
import { checkExport, exportLocation, readExportManifest } from "../offboarding-export";
import { offboardOperation } from "../offboarding-operation";
import { approveOffboarding, cancelOffboarding, rejectOffboarding, requestOffboarding } from "../offboarding-requests";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION = "us-east-1";
const routingTable = "offboarding-crash-routing";
const maxAttempts = 3;

type Kill = KillAt & { label: string };
const kill = (point: string, occurrence = 1): Kill => ({ point, occurrence, label: occurrence > 1 ? `${point} (×${occurrence})` : point });

/** Each step's kill points: the runner's start and end and its own; the steps that only read or wait share one case. */
const matrix = {
  steps: ["suspend", "export", "grace", "purge", "verify", "retire", "certificate"],
  cases: [
    ...["start", "effect", "effect×2", "end"].map((p) => (p.includes("×") ? kill("suspend:effect", 2) : kill(`suspend:${p}`))),
    ...["start", "mid", "end"].map((p) => kill(`export:${p}`)),
    ...["start", "mid", "end"].map((p) => kill(`purge:${p}`)),
    ...["start", "effect", "end"].map((p) => kill(`retire:${p}`)),
    ...["start", "end"].map((p) => kill(`certificate:${p}`)),
  ],
  readOnly: ["grace", "verify"],
  readOnlyKills: ["grace:start", "grace:end", "verify:start", "verify:end"].map((p) => kill(p)),
};

/** That the matrix kills every step of the kind, on PostgreSQL 15 at every point (called by one of its files). */
export function offboardingMatrixCoverage(): void {
  describe("the offboarding crash matrix", () => {
    it("covers every step, on each database", () => {
      expect(matrix.steps).toEqual(stepsOf(offboardOperation, undefined as never).map((s) => s.name));
      expect(killsOn("postgresql-15", matrix.cases)).toEqual(matrix.cases);
      for (const database of ["postgresql-15", "pglite"] as const) {
        const killed = new Set([...killsOn(database, matrix.cases), ...matrix.readOnlyKills].map((k) => k.point.split(":")[0]));
        expect([...killed].sort(), database).toEqual([...matrix.steps].sort());
      }
    });
  });
}

const leavers = Array.from({ length: matrix.cases.length + 10 }, (_, i) => `leaver-${i + 1}`);
const siloInstance = { ...pool("silo-s"), mode: "silo" as const, tableName: "tsc-silo-s" };
const bridgeInstance = { ...pool("silo-b"), mode: "silo" as const, tableName: "tsc-silo-b" };
const fleet: DemoFleet = {
  plans: demoPlans,
  instances: [pool("pool-a"), siloInstance, bridgeInstance],
  tenants: [
    ...leavers.map((id) => fleetTenant(id, "pool-a")),
    fleetTenant("neighbour", "pool-a"),
    fleetTenant("quiet", "pool-a"),
    fleetTenant("silo-leaver", "silo-s", "silo"),
    { ...fleetTenant("bridger", "pool-a"), deploymentModel: "bridge" as const, bridgeEntity: "orders", bridgeInstanceId: "silo-b" },
  ],
  users: demoUsers,
};
const leaverItems = 48;

export function offboardingCrashOn(target: TestDatabaseTarget): void {
  describe(`offboarding under worker deaths on ${target.name}`, () => {
    let catalog: TestDatabase;
    let stack: OperationStack;
    let harness: CrashHarness;
    let operator: SignedInUser;
    let admin: SignedInUser;
    let support: SignedInUser;
    let secondAdmin: SignedInUser;
    let writing: Awaited<ReturnType<typeof startWritingDataPlane>>;
    const journals = new Map<string, WriteJournal>();
    let quietBefore: Map<string, { tableName: string; digest: Map<string, string> }>;
    let next = 0;

    const as = (user: SignedInUser): ActionContext => ({ db: catalog.db, user });

    beforeAll(async () => {
      catalog = await target.start();
      await seedCatalog(catalog.db, fleet);
      stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: "OffboardingCrash", worker: false });
      for (const id of [...leavers, "neighbour", "quiet", "bridger"]) await fillTenant(stack.dynamo, "tsc-pool-a", id, leaverItems);
      await fillTenant(stack.dynamo, "tsc-silo-s", "silo-leaver", leaverItems);
      quietBefore = new Map([["quiet", { tableName: "tsc-pool-a", digest: await tenantDigest(stack.dynamo, "tsc-pool-a", "quiet") }]]);
      for (const id of [...leavers, "neighbour"]) journals.set(id, new WriteJournal(await tenantDigest(stack.dynamo, "tsc-pool-a", id)));
      const user = async (role: "operator" | "admin" | "support") => {
        const row = await catalog.db.user.findFirstOrThrow({ where: { role } });
        return { id: row.id, email: row.email, name: row.name, role: row.role };
      };
      [operator, admin, support] = [await user("operator"), await user("admin"), await user("support")];
      const other = await catalog.db.user.create({ data: { email: "second-admin@example.com", name: "Second Admin", role: "admin" } });
      secondAdmin = { id: other.id, email: other.email, name: other.name, role: other.role };
      harness = new CrashHarness({ deps: stack.deps, definitions: operationDefinitions, runner: { maxAttempts } });
      writing = await startWritingDataPlane({
        dynamo: stack.dynamo,
        routingTable,
        tenants: Object.fromEntries([
          ["neighbour", { ratePerSec: 12, readRatio: 0.2, itemBytes: 200, maxItems: 120 }],
          ...leavers.map((id) => [id, { ratePerSec: 2, readRatio: 0, itemBytes: 200, maxItems: 80 }]),
        ]),
        seed: 19,
        readerId: "offboarding-crash-reader",
        routingRefreshMs: 100,
        onWriteAcknowledged: (tenantId, item, where) => {
          const journal = journals.get(tenantId);
          if (!journal) throw new Error(`the data plane wrote for ${tenantId}`);
          journal.acknowledged(item, where);
        },
      });
    }, 180_000);

    afterAll(async () => {
      await writing?.stop();
      await stack?.stop();
      await catalog?.stop();
    });

    const operation = (id: string) => catalog.db.operation.findUniqueOrThrow({ where: { id } });
    const tenantItem = async (pk: string, sk: string) =>
      (
        await stack.dynamo.send(
          new GetItemCommand({ TableName: "tsc-pool-a", Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }),
        )
      ).Item;

    /** Requested by the operator, approved by the admin; grace `graceDays`. */
    async function offboard(tenantId: string, graceDays = 0): Promise<string> {
      const { data } = await requestOffboarding(as(operator), {
        tenantId,
        confirmTenantId: tenantId,
        reason: "contract ended",
        graceDays,
        idempotencyKey: randomUUID(),
      });
      await approveOffboarding(as(admin), { operationId: data.operationId });
      return data.operationId;
    }

    async function runWithDeaths(operationId: string, kills: KillAt[], expected: string) {
      const { outcome, lives } = await harness.run(operationId, kills);
      const row = await operation(operationId);
      expect(
        { outcome, status: row.status },
        `${lives.map((l) => `${l.workerId}: ${l.outcome}`).join(", ")}\n${row.error ?? ""}\n${timeline(row.steps)}`,
      ).toEqual({ outcome: expected, status: expected });
      return row;
    }

    /** The export holds every write acknowledged to the tenant (it wrote until its suspension), proved against its manifest. */
    async function expectExported(tenantId: string, operationId: string) {
      const { manifest } = await readExportManifest(stack.deps.backupStore, operationId);
      await checkExport(stack.deps.backupStore, manifest);
      const exported = new Map<string, string>();
      for (const file of manifest.files)
        for (const item of await readItemFile(stack.deps.backupStore, exportLocation(operationId), { ...file, tenantId }))
          exported.set(itemKey(defaultKeyScheme, item), itemHash(item));
      const journal = journals.get(tenantId);
      if (journal) {
        await writing.settled();
        const problems = journal.ledger().mismatches(exported, Number.POSITIVE_INFINITY);
        expect(problems.slice(0, 5), `${problems.length} problem(s)`).toEqual([]);
      }
      return manifest;
    }

    /** Gone everywhere, retired, certified; co-tenants as they were (the writing one with every acknowledged write). */
    async function expectOffboarded(tenantId: string, operationId: string, tables: string[] = ["tsc-pool-a"]) {
      const row = await operation(operationId);
      expect(row.activeTenantId).toBeNull();
      for (const table of tables)
        if (await tableExists(stack.dynamo, table)) expect((await tenantDigest(stack.dynamo, table, tenantId)).size, table).toBe(0);
      const tenant = await catalog.db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
      expect(tenant).toMatchObject({ status: "offboarded", keyPrefix: `${tenantId}#` });
      expect(tenant.offboardedAt).not.toBeNull();
      const routing = await getRoutingRecord(stack.dynamo, tenantId, routingTable);
      expect(routing).toMatchObject({ status: "offboarded", writeFrozen: false });
      // The fleet checks find nothing to say about it.
      const instances = new Set((await catalog.db.storageInstance.findMany({ select: { id: true } })).map((i) => i.id));
      expect(checkTenantState({ tenant, routing, heldBy: null, knownInstances: instances, last: null })).toEqual({ verdict: "agrees" });
      const manifest = await expectExported(tenantId, operationId);
      const certificate = row.result as unknown as DeletionCertificate;
      expect(certificate.sha256).toBe(certificateHash(certificate));
      expect(certificate).toMatchObject({
        tenant: { id: tenantId },
        requestedBy: { email: operator.email },
        approvedBy: { email: admin.email },
        items: manifest.items,
        export: { contentHash: manifest.contentHash },
        verification: { result: "passed" },
      });
      await expectCoTenantsKept();
      return certificate;
    }

    async function expectCoTenantsKept() {
      expect(await unchangedProblems(stack.dynamo, quietBefore)).toEqual([]);
      const problems = await writeProblems(
        stack.dynamo,
        "tsc-pool-a",
        "neighbour",
        () => journals.get("neighbour")!.ledger(),
        writing.settled,
      );
      expect(problems.slice(0, 5), `${problems.length} problem(s)`).toEqual([]);
    }

    // Every kill point on PostgreSQL 15, a sample on PGlite (why: killsOn).
    it.each(killsOn(target.name, matrix.cases))("killed at $label: a fresh worker finishes it", async (at) => {
      const tenantId = leavers[next++]!;
      const operationId = await offboard(tenantId);
      await runWithDeaths(operationId, [at], "succeeded");
      await expectOffboarded(tenantId, operationId);
    });

    it(`killed at the start and the end of the steps that only read or wait (${matrix.readOnly.join(", ")}), one worker after another`, async () => {
      const tenantId = leavers[next++]!;
      const operationId = await offboard(tenantId);
      await runWithDeaths(operationId, matrix.readOnlyKills, "succeeded");
      await expectOffboarded(tenantId, operationId);
    });

    it("needs attention when its purge kills every worker (past the point of no return, never undone); a retry finishes it", async () => {
      const tenantId = leavers[next++]!;
      const operationId = await offboard(tenantId);
      const stopped = await runWithDeaths(
        operationId,
        // The first dies after a page of deletes, the next ones (finding fewer to delete) once they are done.
        [{ point: "purge:mid" }, ...Array.from({ length: maxAttempts - 1 }, () => ({ point: "purge:end" }))],
        "needs_attention",
      );
      expect(stopped.error).toMatch(/past its point of no return, so it was not undone/);
      expect(await getRoutingRecord(stack.dynamo, tenantId, routingTable)).toMatchObject({ status: "suspended" });
      await retryOperation(catalog.db, operationDefinitions, operationId, operator);
      await runWithDeaths(operationId, [], "succeeded");
      await expectOffboarded(tenantId, operationId);
    });

    it("is finished by another worker process after a real SIGKILL mid-purge", async () => {
      const tenantId = leavers[next++]!;
      const operationId = await offboard(tenantId);
      const common = { databaseUrl: catalog.url, dynamoDbUrl: stack.dynamoUrl, routingTable, backupDir: stack.backupDir, leaseMs: 4_000 };
      const doomed = await startWorkerProcess({ ...common, workerId: "doomed", crashAt: { point: "purge:mid" } });
      await new Promise<void>((resolve) => doomed.once("exit", () => resolve()));
      expect(doomed.signalCode).toBe("SIGKILL");
      const killed = await operation(operationId);
      expect({ status: killed.status, leaseOwner: killed.leaseOwner, step: killed.currentStep }).toEqual({
        status: "running",
        leaseOwner: "doomed",
        step: "purge",
      });
      const successor = await startWorkerProcess({ ...common, workerId: "successor" });
      try {
        const done = await waitForOperation(catalog.db, operationId, 120_000);
        expect(done.status).toBe("succeeded");
      } finally {
        await killWorkerProcess(successor);
      }
      await expectOffboarded(tenantId, operationId);
    });

    it("drops a silo tenant's table (killed right after the drop) and retires its instance", async () => {
      const operationId = await offboard("silo-leaver");
      await runWithDeaths(operationId, [kill("purge:effect")], "succeeded");
      expect(await tableExists(stack.dynamo, "tsc-silo-s")).toBe(false);
      expect((await catalog.db.storageInstance.findUniqueOrThrow({ where: { id: "silo-s" } })).status).toBe("retired");
      const certificate = await expectOffboarded("silo-leaver", operationId, ["tsc-silo-s"]);
      expect(certificate.deleted).toEqual([expect.objectContaining({ tableName: "tsc-silo-s", how: "table dropped", items: leaverItems })]);
    });

    it("offboards a bridge tenant: its pool items deleted by key, its own table dropped", async () => {
      const operationId = await offboard("bridger");
      await runWithDeaths(operationId, [kill("purge:mid")], "succeeded");
      expect(await tableExists(stack.dynamo, "tsc-silo-b")).toBe(false);
      const certificate = await expectOffboarded("bridger", operationId, ["tsc-pool-a", "tsc-silo-b"]);
      expect(certificate.deleted.map((d) => [d.tableName, d.how])).toEqual([
        ["tsc-pool-a", "deleted by key"],
        ["tsc-silo-b", "table dropped"],
      ]);
      // Filled into the pool here, orders too: every partition of it there is exported and purged (its own table was empty).
      expect(certificate.items).toBe(leaverItems);
    });

    it("waits out the grace period unclaimed, then purges (a worker killed as it wakes)", async () => {
      const tenantId = leavers[next++]!;
      const operationId = await offboard(tenantId, 1);
      expect((await harness.run(operationId)).outcome).toBe("waiting");
      await expect(harness.turn(operationId)).rejects.toThrow(/claimed nothing/);
      // A day later, for the queue (runAfter passed) and for the workers' clock.
      await catalog.db.operation.update({ where: { id: operationId }, data: { runAfter: new Date(Date.now() - 1_000) } });
      const later = new CrashHarness({
        deps: { ...stack.deps, now: () => Date.now() + 86_400_000 + 60_000 },
        definitions: operationDefinitions,
        runner: { maxAttempts },
      });
      const { outcome } = await later.run(operationId, [kill("grace:end")]);
      expect(outcome).toBe("succeeded");
      const row = await operation(operationId);
      const grace = parseSteps(row.steps).find((s) => s.name === "grace")!;
      expect(grace.status).toBe("done");
      await expectOffboarded(tenantId, operationId);
    });

    it("stops (needs attention) naming a co-tenant item changed without a write of its own during the purge", async () => {
      const tenantId = leavers[next++]!;
      const operationId = await offboard(tenantId);
      const [victim] = [...quietBefore.get("quiet")!.digest.keys()];
      const [pk, sk] = victim!.split("\u001f") as [string, string];
      const tampering = new CrashHarness({
        deps: {
          ...stack.deps,
          // What a faulty purge could do: a co-tenant's item rewritten, its old stamp kept.
          faultPoint: async (point) => {
            if (point !== "purge:mid") return;
            await stack.dynamo.send(
              new UpdateItemCommand({
                TableName: "tsc-pool-a",
                Key: { pk: { S: pk }, sk: { S: sk } },
                UpdateExpression: "SET payload = :p",
                ExpressionAttributeValues: { ":p": { S: "damaged" } },
              }),
            );
          },
        },
        definitions: operationDefinitions,
        runner: { maxAttempts },
      });
      const { outcome } = await tampering.run(operationId);
      expect(outcome).toBe("needs_attention");
      expect((await operation(operationId)).error).toMatch(
        /verification failed: 1 co-tenant item\(s\) in tsc-pool-a changed without a write of their own: quiet#/,
      );
      // Put back, so the quiet co-tenant is as it was for the cases after this one.
      quietBefore.get("quiet")!.digest.set(victim!, itemHash((await tenantItem(pk, sk))!));
    });

    describe("cancelled during the grace period", () => {
      it("resumes the tenant (its data untouched, the export deleted), also when a worker dies while undoing", async () => {
        for (const kills of [[], [kill("undoOnCancel:start")], [kill("undoOnCancel:effect")]]) {
          const tenantId = leavers[next++]!;
          const operationId = await offboard(tenantId, 7);
          expect((await harness.run(operationId)).outcome).toBe("waiting");
          const waiting = await operation(operationId);
          expect(waiting.status).toBe("queued");
          expect(waiting.runAfter!.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
          expect(parseSteps(waiting.steps).find((s) => s.name === "grace")?.status).toBe("waiting");
          expect(await getRoutingRecord(stack.dynamo, tenantId, routingTable)).toMatchObject({ status: "suspended", writeFrozen: true });
          // Suspended and frozen: no write of it is acknowledged any more, and its export holds every one that was.
          await writing.settled();
          const writesWhileSuspended = journals.get(tenantId)!.writes;
          await new Promise((resolve) => setTimeout(resolve, 600));
          expect(journals.get(tenantId)!.writes).toBe(writesWhileSuspended);
          await expectExported(tenantId, operationId);

          const cancelled = await cancelOffboarding(as(operator), { operationId });
          expect(cancelled.message).toMatch(/Cancelling/);
          await runWithDeaths(operationId, kills, "cancelled");
          const { problems } = await settledProblems(catalog.db, stack.dynamo, routingTable, tenantId);
          expect(problems).toEqual([]);
          // Service restored: the data plane writes for it again, and nothing it wrote was lost.
          const journal = journals.get(tenantId)!;
          const since = journal.writes;
          await waitFor(() => journal.writes > since);
          const problems2 = await writeProblems(stack.dynamo, "tsc-pool-a", tenantId, () => journal.ledger(), writing.settled);
          expect(problems2.slice(0, 5), `${problems2.length} problem(s)`).toEqual([]);
          await expect(readExportManifest(stack.deps.backupStore, operationId)).rejects.toThrow();
          const audit = await catalog.db.auditEntry.findMany({ where: { operationId }, select: { action: true, detail: true } });
          expect(audit.map((a) => a.action)).toEqual(
            expect.arrayContaining(["tenants.offboard", "tenants.approveOffboarding", "operations.cancel"]),
          );
          expect(audit.map((a) => a.detail).join("\n")).toMatch(/cancelled while waiting in "Grace period".*(resumed|serves it again)/);
        }
        await expectCoTenantsKept();
      });
    });

    describe("approval", () => {
      it("refuses approval by the requester and by support; support can neither request, reject nor cancel; a rejection frees the tenant", async () => {
        const tenantId = leavers[next++]!;
        const { data } = await requestOffboarding(as(admin), {
          tenantId,
          confirmTenantId: tenantId,
          reason: "contract ended",
          graceDays: 0,
          idempotencyKey: randomUUID(),
        });
        const awaiting = await operation(data.operationId);
        expect(awaiting.status).toBe("awaiting_approval");
        expect(awaiting.activeTenantId).toBe(tenantId);
        // No worker claims it before the approval.
        expect(await harness.turn(data.operationId).catch((error: Error) => error.message)).toMatch(/claimed nothing/);

        await expect(approveOffboarding(as(admin), { operationId: data.operationId })).rejects.toThrow(/You requested operation/);
        await expect(approveOffboarding(as(support), { operationId: data.operationId })).rejects.toThrow(/support role cannot approve/);
        await expect(approveOffboarding(as(operator), { operationId: data.operationId })).rejects.toThrow(/operator role cannot approve/);
        await expect(rejectOffboarding(as(support), { operationId: data.operationId, reason: "no" })).rejects.toThrow(ActionRefusal);
        await expect(cancelOffboarding(as(support), { operationId: data.operationId })).rejects.toThrow(/support role cannot cancel/);
        // A typed confirmation that does not match is refused.
        await expect(
          requestOffboarding(as(operator), { tenantId, confirmTenantId: "leaver-x", reason: "r", idempotencyKey: randomUUID() }),
        ).rejects.toThrow(/confirmation does not match/);

        await rejectOffboarding(as(secondAdmin), { operationId: data.operationId, reason: "not yet" });
        const rejected = await operation(data.operationId);
        expect(rejected).toMatchObject({ status: "cancelled", activeTenantId: null });
        expect((await catalog.db.tenant.findUniqueOrThrow({ where: { id: tenantId } })).status).toBe("active");
      });
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function timeline(raw: unknown): string {
  return parseSteps(raw)
    .map((s) => `  ${s.name} ${s.status}${s.detail ? `: ${s.detail}` : ""}`)
    .join("\n");
}
