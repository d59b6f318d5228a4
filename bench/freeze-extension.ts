// How much one worker death lengthens a tenant's write freeze, for each step
// that holds it: a migration's freeze, verify (frozen) and cut-over, and an
// in-place restore's freeze, snapshot, replace, verify and unfreeze. A pooled
// tenant of 20,000 items writes throughout through the real data plane;
// DynamoDB (dynalite) runs in its own process, the workers are real worker
// processes (lib/operations/__tests__/migration-worker.ts, production's lease:
// 15 s, 3 s while frozen). Each run starts one worker; in a run with a death it
// SIGKILLs itself in the step (at its end, its work done and its checkpoint not
// written, the most a death there can cost; in the step that lifts the freeze,
// at its start, the last moment it is still frozen), and a standby worker
// started once the operation is claimed takes over, as another worker of the
// fleet would. Per step, the freeze with the death less the freeze of the run
// without one in the same round (p50 over the rounds):
//   bench freeze-extension-<migration|restore>-<step> <ms> ms
// and the freezes without a death: bench freeze-<migration|restore>-no-death-p50 <ms> ms.
// BENCH_FREEZE_ITEMS (20,000), BENCH_FREEZE_RUNS (2 rounds) and BENCH_FREEZE_KINDS (migration,restore) change
// the size, the rounds and what is measured. Each run with a death says when the standby took over and how
// much of its lease the dead worker had left.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ActionContext } from "../lib/auth/action-context";
import { backupInput, queueBackup } from "../lib/backup/requests";
import { restoreOperation, unfreezeStep } from "../lib/backup/restore-operation";
import { testDatabases } from "../lib/db/__tests__/databases";
import { migrationInput, requestMigration } from "../lib/migration/requests";
import { moveOutputs } from "../lib/migration/moving";
import { findOutput, parseSteps } from "../lib/operations/definition";
import { startWritingDataPlane, waitForOperation } from "../lib/operations/__tests__/live-fixtures";
import { fillTenant, migrationFleet } from "../lib/operations/__tests__/migration-fixture";
import { killWorkerProcess, startWorkerProcess } from "../lib/operations/__tests__/worker-process";
import { enqueueOperation } from "../lib/operations/queue";
import { ensureReadersTable } from "../lib/routing/readers";
import { publishCatalogRouting } from "../lib/routing/publish";
import { ensureRoutingTable } from "../lib/routing/routing-table";
import { provisionCatalogTables } from "../lib/storage/provision-catalog-tables";
import { stopProcessGroup } from "../local/child-process";
import { seedCatalog } from "../prisma/seed-catalog";
import { percentile, report } from "./stats";
import { startDynamoDbProcess } from "./support/dynamodb";
import { roomyTargets } from "../lib/migration/__tests__/target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION ??= "us-east-1";
const items = Number(process.env.BENCH_FREEZE_ITEMS ?? 20_000);
const rounds = Number(process.env.BENCH_FREEZE_RUNS ?? 2);
const kinds = (process.env.BENCH_FREEZE_KINDS ?? "migration,restore").split(",") as Kind[];
/** Items a restore has to put back (changed since the backup), besides what the tenant wrote since. */
const damaged = Math.round(items / 10);
const routingTable = "bench-freeze-routing";

type Kind = "migration" | "restore";
/** Where a death lands in each step that holds the freeze. */
const deaths: Record<Kind, { step: string; point: string }[]> = {
  migration: [
    { step: "freeze", point: "freeze:end" },
    { step: "verify", point: "verify:end" },
    { step: "cutOver", point: "cutOver:start" },
  ],
  restore: [
    { step: "freeze", point: "freeze:end" },
    { step: "snapshot", point: "snapshot:end" },
    { step: "replace", point: "replace:end" },
    { step: "verify", point: "verify:end" },
    { step: "unfreeze", point: "unfreeze:start" },
  ],
};

const dynamoDb = await startDynamoDbProcess();
const { dynamo } = dynamoDb;
const database = await testDatabases[0]!.start();
const { db } = database;
const backupDir = await mkdtemp(path.join(tmpdir(), "tsc-bench-freeze-"));
const running = new Set<ChildProcess>();

try {
  await seedCatalog(db, migrationFleet);
  await provisionCatalogTables(db, () => dynamo);
  await ensureRoutingTable(dynamo, routingTable);
  await ensureReadersTable(dynamo);
  await publishCatalogRouting(db, dynamo, routingTable);
  console.log(`# filling ${items.toLocaleString("en-US")} items`);
  await fillTenant(dynamo, "tsc-pool-a", "mover", items);
  // The tenant keeps writing (about 30 writes a second); its data-plane reader acknowledges freezes.
  const writing = await startWritingDataPlane({
    dynamo,
    routingTable,
    tenants: { mover: { ratePerSec: 40, readRatio: 0.25, itemBytes: 300, maxItems: items * 2 } },
    seed: 9,
    readerId: "bench-freeze-reader",
  });
  const user = await db.user.findFirstOrThrow({ where: { role: "operator" } });
  const ctx: ActionContext = { db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
  let workers = 0;
  const worker = async (crashAt?: string) => {
    const id = `bench-freeze-${++workers}`;
    const child = await startWorkerProcess({
      databaseUrl: database.url,
      dynamoDbUrl: dynamoDb.url,
      routingTable,
      backupDir,
      workerId: id,
      leaseMs: 15_000,
      crashAt: crashAt ? { point: crashAt } : undefined,
    });
    running.add(child);
    child.once("exit", () => running.delete(child));
    return { id, child };
  };

  /** Runs one operation with a worker that dies at `crashAt` (and a standby), or with one that does not; its freeze, ms. */
  async function freezeOf(kind: Kind, crashAt: string | undefined): Promise<number> {
    const first = await worker(crashAt);
    let operationId: string;
    if (kind === "migration") {
      const from = (await db.tenant.findUniqueOrThrow({ where: { id: "mover" } })).storageInstanceId!;
      const { data } = await requestMigration(
        ctx,
        migrationInput.parse({
          tenantId: "mover",
          target: from === "pool-a" ? "pool-b" : "pool-a",
          copyRatePerSec: 0,
          idempotencyKey: randomUUID(),
        }),
        roomyTargets,
      );
      operationId = data.operationId;
    } else {
      const tenant = await db.tenant.findUniqueOrThrow({ where: { id: "mover" }, include: { storageInstance: true } });
      await fillTenant(dynamo, tenant.storageInstance!.tableName, "mover", damaged, 250 + (workers % 40));
      const { operation } = await enqueueOperation(db, restoreOperation, {
        kind: "restore",
        tenantId: "mover",
        parameters: { tenantId: "mover", source: { kind: "backup", backupId: restoreSource }, mode: "in_place" },
        idempotencyKey: randomUUID(),
        user: ctx.user,
        action: "tenants.restore",
        target: { type: "tenant", id: "mover" },
      });
      operationId = operation.id;
    }
    let standby: { id: string; child: ChildProcess } | null = null;
    if (crashAt) {
      for (;;) {
        const row = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
        if (row.leaseOwner === first.id) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      standby = await worker();
      if (first.child.exitCode !== null || first.child.signalCode !== null)
        throw new Error(`the worker died at ${crashAt} before its standby was ready: make the tenant bigger (BENCH_FREEZE_ITEMS)`);
    }
    // When the worker died and when the standby took the operation over (it explains the figure: takeover, then the step again).
    let leaseLeftAtDeath: number | null = null;
    const diedAt = new Promise<number>((resolve) =>
      first.child.once("exit", () => {
        resolve(Date.now());
        void db.$queryRaw<{ left: number }[]>`
          SELECT (EXTRACT(EPOCH FROM ("leaseExpiresAt" - now())) * 1000)::float8 AS left FROM "Operation" WHERE id = ${operationId}`.then(
          (rows) => (leaseLeftAtDeath = rows[0]?.left ?? null),
        );
      }),
    );
    let takenOverAt: number | null = null;
    let watching = Boolean(standby);
    const watch = (async () => {
      while (watching && takenOverAt === null) {
        const row = await db.operation.findUniqueOrThrow({ where: { id: operationId }, select: { leaseOwner: true } });
        if (row.leaseOwner === standby?.id) takenOverAt = Date.now();
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const done = await waitForOperation(db, operationId, 900_000);
    watching = false;
    await watch;
    if (done.status !== "succeeded") throw new Error(`${kind} ${operationId} ${done.status}: ${done.error}`);
    if (crashAt && first.child.signalCode !== "SIGKILL") throw new Error(`the worker never reached ${crashAt}`);
    await stopProcessGroup(first.child, 10_000);
    if (standby) await stopProcessGroup(standby.child, 10_000);
    const takeover =
      standby && takenOverAt !== null
        ? `, taken over ${takenOverAt - (await diedAt)} ms after the death (its lease had ${Math.round(leaseLeftAtDeath ?? NaN)} ms left)`
        : "";
    const steps = parseSteps(done.steps);
    const frozenMs = kind === "migration" ? findOutput(steps, moveOutputs.cutOver)?.freezeMs : findOutput(steps, unfreezeStep)?.frozenMs;
    if (frozenMs === null || frozenMs === undefined) throw new Error(`${kind} ${operationId} recorded no freeze`);
    const timeline = steps.map((s) => `${s.name} ${Date.parse(s.finishedAt!) - Date.parse(s.startedAt!)}`).join(", ");
    console.log(`# ${kind}${crashAt ? `, killed at ${crashAt}` : ", no death"}: frozen ${frozenMs} ms${takeover} (steps, ms: ${timeline})`);
    return frozenMs;
  }

  // The restores' source: a backup of the pool the tenant lives in, by a worker that is not killed.
  const backupWorker = await worker();
  const { data: backup } = await queueBackup(
    ctx,
    backupInput.parse({ storageInstanceId: "pool-a", strategy: "per_tenant", idempotencyKey: randomUUID() }),
  );
  if ((await waitForOperation(db, backup.operationId, 600_000)).status !== "succeeded") throw new Error("the backup failed");
  await stopProcessGroup(backupWorker.child, 10_000);
  const restoreSource = backup.operationId;

  const baselines: Record<Kind, number[]> = { migration: [], restore: [] };
  const extensions = new Map<string, number[]>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const kind of kinds) {
        const without = await freezeOf(kind, undefined);
        baselines[kind].push(without);
        for (const { step, point } of deaths[kind]) {
          const name = `freeze-extension-${kind}-${step}`;
          extensions.set(name, [...(extensions.get(name) ?? []), (await freezeOf(kind, point)) - without]);
        }
      }
    }
  } finally {
    await writing.stop();
  }
  for (const kind of kinds) report(`freeze-${kind}-no-death-p50`, percentile(baselines[kind], 50), "ms");
  for (const [name, values] of extensions) report(name, percentile(values, 50), "ms");
} finally {
  await Promise.all([...running].map((child) => killWorkerProcess(child)));
  await database.stop();
  await dynamoDb.stop();
  await rm(backupDir, { recursive: true, force: true });
}
