// `npm run soak` (not part of CI; docs/testing.md): an operator's worst night
// on the embedded stack. A pooled tenant of many items writes throughout
// through the real data plane; migrations (pool ↔ pool), their clean-ups,
// backups and in-place restores (each after its dry run) run one after
// another, started as the console starts them; the worker process is
// SIGKILLed at random moments and started again. After each operation the
// crash matrix's invariants are checked (lib/operations/__tests__/tenant-invariants.ts);
// an operation that stopped (failed and undone, or needing attention) is
// checked in that state, then retried as an operator would. Prints a line per
// operation and what it found; exits 1 if anything was wrong.
//   --minutes=5  --items=20000  --db=pglite|postgresql-15  --kill-every=1-15 (s)  --seed=1
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { startOperationStack } from "../local/operation-stack";
import { stopProcessGroup } from "../local/child-process";
import { demoPlans, demoUsers, type DemoFleet } from "../prisma/demo-fleet";
import { seedCatalog } from "../prisma/seed-catalog";
import type { ActionContext } from "../lib/auth/action-context";
import { backupInput, queueBackup, requestRestore, restoreInput } from "../lib/backup/requests";
import { readManifest, readTenantFromBackup } from "../lib/backup/read";
import { testDatabases } from "../lib/db/__tests__/databases";
import { migrationFollowUpInput, migrationInput, requestCleanup, requestMigration } from "../lib/migration/requests";
import { findOutput, parseSteps } from "../lib/operations/definition";
import { moveOutputs } from "../lib/migration/moving";
import { unfreezeStep } from "../lib/backup/restore-operation";
import { retryOperation } from "../lib/operations/queue";
import { startWritingDataPlane } from "../lib/operations/__tests__/live-fixtures";
import { fillTenant, migrationFleet, pooledTenant, tenantDigest } from "../lib/operations/__tests__/migration-fixture";
import { filesUnder, settledProblems, unchangedProblems, writeProblems } from "../lib/operations/__tests__/tenant-invariants";
import { killWorkerProcess, startWorkerProcess } from "../lib/operations/__tests__/worker-process";
import { WriteJournal } from "../lib/operations/__tests__/write-ledger";
import { getRoutingRecord } from "../lib/routing/routing-table";
import { itemHash, itemKey } from "../lib/storage/tenant-partitions";
import { defaultKeyScheme } from "../lib/storage/key-scheme";
import { operationDefinitions } from "../lib/worker/kinds";
import { prng } from "../lib/random";
import type { Operation } from "../lib/generated/prisma/client.ts";
import { roomyTargets } from "../lib/migration/__tests__/target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION ??= "us-east-1";

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=");
    return [key!, value ?? "true"];
  }),
);
const minutes = Number(args.get("minutes") ?? 5);
const items = Number(args.get("items") ?? 20_000);
const databaseName = args.get("db") ?? "pglite";
const [killMin, killMax] = (args.get("kill-every") ?? "1-15").split("-").map((s) => Number(s) * 1000) as [number, number];
const random = prng(Number(args.get("seed") ?? 1));
const routingTable = "soak-routing";
const tenantId = "busy";
const tableOf: Record<string, string> = { "pool-a": "tsc-pool-a", "pool-b": "tsc-pool-b" };
/** An operation that shows no progress for this long is stuck: a finding, and the soak stops. */
const stuckAfterMs = 180_000;

const fleet: DemoFleet = {
  plans: demoPlans,
  instances: migrationFleet.instances,
  tenants: [pooledTenant(tenantId, "pool-a"), pooledTenant("neighbour-a", "pool-a"), pooledTenant("neighbour-b", "pool-b")],
  users: demoUsers,
};

const started = Date.now();
const clock = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s]`;
const problems: string[] = [];
const found = (what: string, list: string[]) => {
  for (const p of list) problems.push(`${what}: ${p}`);
  return list;
};

const target = testDatabases.find((d) => d.name === databaseName);
if (!target) throw new Error(`--db must be one of ${testDatabases.map((d) => d.name).join(", ")}`);
console.log(
  `soak: ${minutes} min on ${databaseName}, tenant ${tenantId} of ${items.toLocaleString("en-US")} items, worker killed every ${killMin / 1000}–${killMax / 1000} s`,
);
const database = await target.start();
const { db } = database;
const backupDir = await mkdtemp(path.join(tmpdir(), "tsc-soak-backups-"));
await seedCatalog(db, fleet);
const stack = await startOperationStack(db, { routingTable, metricsNamespace: "Soak", worker: false, backupDir });
await fillTenant(stack.dynamo, "tsc-pool-a", tenantId, items);
const quietBefore = new Map<string, { tableName: string; digest: Map<string, string> }>();
for (const [id, pool] of [
  ["neighbour-a", "pool-a"],
  ["neighbour-b", "pool-b"],
] as const) {
  await fillTenant(stack.dynamo, tableOf[pool]!, id, 500);
  quietBefore.set(id, { tableName: tableOf[pool]!, digest: await tenantDigest(stack.dynamo, tableOf[pool]!, id) });
}
const writes = new WriteJournal(await tenantDigest(stack.dynamo, "tsc-pool-a", tenantId));
const writing = await startWritingDataPlane({
  dynamo: stack.dynamo,
  routingTable,
  tenants: { [tenantId]: { ratePerSec: 30, readRatio: 0.2, itemBytes: 300, maxItems: Math.round(items * 1.2) } },
  seed: 3,
  readerId: "soak-reader",
  onWriteAcknowledged: (id, item, where) => writes.acknowledged(item, where),
});
const user = await db.user.findFirstOrThrow({ where: { role: "operator" } });
const ctx: ActionContext = { db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };

/** The worker: one process, SIGKILLed at random moments and started again at once. */
const deaths: { step: string; frozen: boolean }[] = [];
let worker: ChildProcess | null = null;
let workerNo = 0;
const startWorker = async () => {
  worker = await startWorkerProcess({
    databaseUrl: database.url,
    dynamoDbUrl: stack.dynamoUrl,
    routingTable,
    backupDir,
    workerId: `soak-worker-${++workerNo}`,
    leaseMs: 5_000,
  });
};
let soaking = true;
const frozenSteps = new Set(["freeze", "verify", "cutOver", "snapshot", "replace", "unfreeze"]);
/** The step the current worker is running, if it holds an operation. */
const runningStep = async () => {
  const running = await db.operation.findFirst({
    where: { status: "running", leaseOwner: `soak-worker-${workerNo}` },
    select: { kind: true, currentStep: true },
  });
  return running?.currentStep ? { step: `${running.kind} ${running.currentStep}`, frozen: frozenSteps.has(running.currentStep) } : null;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const killing = (async () => {
  await startWorker();
  while (soaking) {
    // Two kills in five at a random moment; the others aimed at a step that holds the freeze (soon after it begins).
    const wait = killMin + random() * (killMax - killMin);
    if (random() < 0.4) await sleep(wait);
    else {
      const until = Date.now() + 4 * wait;
      while (soaking && Date.now() < until && !(await runningStep())?.frozen) await sleep(50);
      await sleep(random() * 400);
    }
    if (!soaking) break;
    const running = await runningStep();
    deaths.push(running ?? { step: "idle", frozen: false }); // idle: it held no operation (or had not claimed it yet)
    await killWorkerProcess(worker!);
    await startWorker();
  }
})();

/** Waits for the operation to leave queued/running; a stuck one is a finding and ends the soak. */
async function ended(operationId: string): Promise<Operation> {
  let last = "";
  let changedAt = Date.now();
  for (;;) {
    const operation = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
    if (!["queued", "running"].includes(operation.status)) return operation;
    const state = `${operation.status} ${operation.currentStep} ${operation.progress} ${operation.attempts}`;
    if (state !== last) [last, changedAt] = [state, Date.now()];
    if (Date.now() - changedAt > stuckAfterMs) throw new Error(`operation ${operationId} stuck: ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs an operation to success: each stop is checked as the state it documents, then retried as an operator would. */
async function finish(operationId: string, onStopped: (operation: Operation) => Promise<string[]>) {
  const notes: string[] = [];
  for (let stops = 0; ; stops++) {
    const deathsBefore = deaths.length;
    const operation = await ended(operationId);
    const died = deaths.slice(deathsBefore);
    if (died.length) notes.push(`${died.length} death(s): ${died.map((d) => d.step.split(" ")[1] ?? d.step).join(", ")}`);
    if (operation.status === "succeeded") return { operation, notes };
    notes.push(`${operation.status}: ${(operation.error ?? "").split("\n")[0]}`);
    found(`${operation.kind} ${operation.id} when it stopped as ${operation.status}`, await onStopped(operation));
    if (operation.status === "cancelled" || stops >= 5) {
      found(`${operation.kind} ${operation.id}`, [`ended ${operation.status}; ${stops} retries`]);
      return { operation, notes };
    }
    await retryOperation(db, operationDefinitions, operationId, ctx.user);
    notes.push("retried");
  }
}

const routing = async () => (await getRoutingRecord(stack.dynamo, tenantId, routingTable))!;

/** The invariants whenever no operation holds the tenant. */
async function settled(what: string, options: { restored?: Map<string, string> } = {}): Promise<string[]> {
  const { problems: unsettled, record } = await settledProblems(db, stack.dynamo, routingTable, tenantId);
  if (options.restored && record) writes.restored(options.restored, record.version);
  const list = [...unsettled, ...(await unchangedProblems(stack.dynamo, quietBefore))];
  if (record)
    list.push(...(await writeProblems(stack.dynamo, record.placement.tableName, tenantId, () => writes.ledger(), writing.settled)));
  return found(what, list);
}

/** What a stopped operation must look like: undone (failed) or held, past its point of no return (needs attention). */
async function stoppedState(operation: Operation, undone: () => Promise<string[]>): Promise<string[]> {
  if (operation.status === "failed") return [...(await undone()), ...(await settled(`${operation.kind} ${operation.id} undone`))];
  if (operation.status !== "needs_attention") return [`status ${operation.status}`];
  const list: string[] = [];
  if (operation.activeTenantId !== tenantId) list.push("needs attention but no longer holds the tenant");
  if (!/past its point of no return/.test(operation.error ?? "")) list.push(`error does not say why: ${operation.error}`);
  const record = await routing();
  if (record.writeFrozen) list.push("needs attention with the tenant frozen");
  return list;
}

const lines: string[] = [];
const report = (line: string) => {
  lines.push(line);
  console.log(`${clock()} ${line}`);
};
let lastMigration: { id: string; from: string } | null = null;
let lastBackup: { id: string; digest: Map<string, string> } | null = null;
const counts = new Map<string, number>();

try {
  const deadline = started + minutes * 60_000;
  for (let round = 0; Date.now() < deadline; round++) {
    // A migration to the other pool.
    const from = (await db.tenant.findUniqueOrThrow({ where: { id: tenantId } })).storageInstanceId!;
    const to = from === "pool-a" ? "pool-b" : "pool-a";
    const migration = await requestMigration(
      ctx,
      migrationInput.parse({ tenantId, target: to, copyRatePerSec: 0, idempotencyKey: randomUUID() }),
      roomyTargets,
    );
    const moved = await finish(migration.data.operationId, (op) =>
      stoppedState(op, async () => {
        const copy = (await tenantDigest(stack.dynamo, tableOf[to]!, tenantId)).size;
        return copy > 0 ? [`undone, but ${copy} items are left in ${to}`] : [];
      }),
    );
    const freezeMs = findOutput(parseSteps(moved.operation.steps), moveOutputs.cutOver)?.freezeMs;
    const migrated = await settled(`migration ${moved.operation.id}`);
    report(
      `migrate ${from} → ${to}: ${[...moved.notes, `writes frozen ${freezeMs} ms`].join("; ")} — ${migrated.length ? `${migrated.length} problem(s)` : "ok"}`,
    );
    lastMigration = { id: moved.operation.id, from };
    counts.set("migrate", (counts.get("migrate") ?? 0) + 1);
    if (Date.now() > deadline) break;

    // Its clean-up: the kept source copy removed.
    const cleanup = await requestCleanup(
      ctx,
      migrationFollowUpInput.parse({ migrationId: lastMigration.id, idempotencyKey: randomUUID() }),
    );
    const cleaned = await finish(cleanup.data.operationId, (op) => stoppedState(op, async () => []));
    const left = (await tenantDigest(stack.dynamo, tableOf[lastMigration.from]!, tenantId)).size;
    const cleanedUp = [
      ...(await settled(`clean-up ${cleaned.operation.id}`)),
      ...found(`clean-up ${cleaned.operation.id}`, left ? [`${left} items left in ${lastMigration.from}`] : []),
    ];
    report(
      `clean up ${lastMigration.from}: ${cleaned.notes.join("; ") || "no death"} — ${cleanedUp.length ? `${cleanedUp.length} problem(s)` : "ok"}`,
    );
    counts.set("cleanup_migration", (counts.get("cleanup_migration") ?? 0) + 1);
    if (Date.now() > deadline) break;

    // A backup of the pool it lives in.
    const backup = await queueBackup(
      ctx,
      backupInput.parse({ storageInstanceId: to, strategy: round % 2 ? "whole_table" : "per_tenant", idempotencyKey: randomUUID() }),
    );
    const backedUp = await finish(backup.data.operationId, (op) =>
      stoppedState(op, async () =>
        (await filesUnder(path.join(backupDir, `backups/${op.id}`))).length ? ["undone, but files are left"] : [],
      ),
    );
    const row = await db.backup.findUniqueOrThrow({ where: { id: backedUp.operation.id } });
    const manifest = await readManifest(stack.deps.backupStore, row.location);
    const held = await readTenantFromBackup(stack.deps.backupStore, row.location, manifest, tenantId);
    const stray = (await filesUnder(path.join(backupDir, row.location))).filter(
      (f) => f !== "manifest.json" && !manifest.files.some((m) => m.name === f),
    );
    const backupProblems = [
      ...(await settled(`backup ${row.id}`)),
      ...found(
        `backup ${row.id}`,
        stray.map((f) => `stray file ${f}`),
      ),
    ];
    lastBackup = { id: row.id, digest: new Map(held.items.map((item) => [itemKey(defaultKeyScheme, item), itemHash(item)])) };
    report(
      `back up ${to} (${held.items.length.toLocaleString("en-US")} of its items): ${backedUp.notes.join("; ") || "no death"} — ${backupProblems.length ? `${backupProblems.length} problem(s)` : "ok"}`,
    );
    counts.set("backup", (counts.get("backup") ?? 0) + 1);
    if (Date.now() > deadline) break;

    // An in-place restore from it, after its dry run (writes made since the backup are undone by it: that is a restore).
    const dryRun = await requestRestore(
      ctx,
      restoreInput.parse({ tenantId, backupId: lastBackup.id, mode: "dry_run", idempotencyKey: randomUUID() }),
    );
    const dry = await finish(dryRun.data.operationId, (op) => stoppedState(op, async () => []));
    const restore = await requestRestore(
      ctx,
      restoreInput.parse({ tenantId, backupId: lastBackup.id, mode: "in_place", dryRunId: dry.operation.id, idempotencyKey: randomUUID() }),
    );
    const restored = await finish(restore.data.operationId, (op) => stoppedState(op, async () => []));
    const frozenMs = findOutput(parseSteps(restored.operation.steps), unfreezeStep)?.frozenMs;
    const restoreProblems = await settled(`restore ${restored.operation.id}`, { restored: lastBackup.digest });
    report(
      `restore in place: ${[...dry.notes.map((n) => `dry run ${n}`), ...restored.notes, `writes frozen ${frozenMs} ms`].join("; ")} — ${restoreProblems.length ? `${restoreProblems.length} problem(s)` : "ok"}`,
    );
    counts.set("dry run", (counts.get("dry run") ?? 0) + 1);
    counts.set("restore", (counts.get("restore") ?? 0) + 1);
  }
} catch (error) {
  problems.push(`the soak stopped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  soaking = false;
  await killing.catch((error: unknown) =>
    problems.push(`the worker supervisor: ${error instanceof Error ? error.message : String(error)}`),
  );
  if (worker) await stopProcessGroup(worker, 5_000);
  await writing.stop();
  await stack.stop();
  await database.stop();
  await rm(backupDir, { recursive: true, force: true });
}

const frozenDeaths = deaths.filter((d) => d.frozen).length;
const byStep = new Map<string, number>();
for (const d of deaths) byStep.set(d.step, (byStep.get(d.step) ?? 0) + 1);
console.log(
  `\nsoak: ${((Date.now() - started) / 60_000).toFixed(1)} min, ${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")}; ${deaths.length} worker deaths (${frozenDeaths} in a step holding the freeze, ${deaths.filter((d) => d.step === "idle").length} idle); ${writes.writes.toLocaleString("en-US")} writes acknowledged`,
);
console.log(
  `soak: deaths by step: ${[...byStep]
    .sort((a, b) => b[1] - a[1])
    .map(([step, n]) => `${step} ${n}`)
    .join(", ")}`,
);
const stopped = lines.filter((l) => /failed:|needs_attention:/.test(l)).length;
console.log(`soak: ${stopped} operation(s) stopped (failed and undone, or needing attention) and were finished by a retry`);
if (problems.length) {
  console.log(`soak: ${problems.length} problem(s):`);
  for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
  process.exit(1);
}
console.log("soak: no problem found");
process.exit(0);
