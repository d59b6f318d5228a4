// Backups of a 200,000-item pool under each strategy, and in-place restores of
// one 20,000-item tenant from each, against the raw ceilings of the same
// dynalite (in its own process) measured in the same run: a parallel Scan that
// only counts, and BatchWriteItem of pre-built items.
//   bench backup-<strategy>-200k-p50 ms, its items/s and % of the Scan ceiling
//   bench restore-20k-<strategy>-p50 ms (queued to done) with every item changed, its write freeze,
//   the read-and-check time, and the write rate against the BatchWriteItem ceiling.
// Then staged restores (issue 19), from per-tenant backups, of the 20,000-item tenant and of a 200,000-item
// tenant alone in a third pool, each writing through the data plane throughout (every item changed first):
//   bench restore-staged-<20k|200k>-freeze-p50 ms, beside the in-place freeze at 20,000 measured above,
//   and the whole staged restore's p50 (it is longer: staging, the catch-up and the old copy's deletion).
import { randomUUID } from "node:crypto";
import path from "node:path";
import { ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { DirectoryBackupStore } from "../lib/storage/backup-store";
import { testDatabases } from "../lib/db/__tests__/databases";
import { parseSteps, recordedOutputs } from "../lib/operations/definition";
import { operationDeps } from "../lib/operations/deps";
import { operationDefinitions } from "../lib/worker/kinds";
import { backupOperation, exportStep } from "../lib/backup/backup-operation";
import { loadStep, replaceStep, restoreOperation, unfreezeStep } from "../lib/backup/restore-operation";
import { startWritingDataPlane, waitForOperation } from "../lib/operations/__tests__/live-fixtures";
import { fillTenant, migrationFleet, pool } from "../lib/operations/__tests__/migration-fixture";
import { enqueueOperation } from "../lib/operations/queue";
import { startWorker } from "../lib/operations/worker";
import { ensureReadersTable } from "../lib/routing/readers";
import { publishCatalogRouting } from "../lib/routing/publish";
import { ensureRoutingTable } from "../lib/routing/routing-table";
import { provisionCatalogTables } from "../lib/storage/provision-catalog-tables";
import { seedCatalog } from "../prisma/seed-catalog";
import { percentile, report } from "./stats";
import { batchWriteCeiling, startDynamoDbProcess } from "./support/dynamodb";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION ??= "us-east-1";
const tenantCount = 10;
const perTenant = Number(process.env.BENCH_BACKUP_TENANT_ITEMS ?? 20_000);
const runs = 3;
const itemBytes = 300;
const routingTable = "bench-backup-routing";
const tenantIds = Array.from({ length: tenantCount }, (_, i) => `tenant-${String(i).padStart(2, "0")}`);
const bigItems = Number(process.env.BENCH_STAGED_BIG_ITEMS ?? 200_000);
const stagedRuns = Number(process.env.BENCH_STAGED_RUNS ?? 3);
const sizeLabel = (items: number) => (items % 1000 === 0 ? `${items / 1000}k` : String(items));

const dynamoDb = await startDynamoDbProcess();
const { dynamo } = dynamoDb;
const database = await testDatabases[0]!.start();
const { db } = database;
const backupDir = await mkdtemp(path.join(tmpdir(), "tsc-bench-backups-"));

async function finished(operationId: string) {
  const operation = await waitForOperation(db, operationId, 600_000);
  if (operation.status !== "succeeded") throw new Error(`operation ${operationId} ${operation.status}: ${operation.error}`);
  return operation;
}

try {
  const template = migrationFleet.tenants[0]!;
  await seedCatalog(db, {
    ...migrationFleet,
    instances: [...migrationFleet.instances, pool("pool-c")],
    tenants: [...tenantIds, "big"].map((id) => ({
      ...template,
      id,
      name: id,
      keyPrefix: `${id}#`,
      storageInstanceId: id === "big" ? "pool-c" : "pool-a",
      contactEmail: `ops@${id}.example`,
    })),
  });
  await provisionCatalogTables(db, () => dynamo);
  await ensureRoutingTable(dynamo, routingTable);
  await ensureReadersTable(dynamo);
  await publishCatalogRouting(db, dynamo, routingTable);
  const total = tenantCount * perTenant;
  console.log(`# filling ${total.toLocaleString("en-US")} items of ${itemBytes} bytes (${tenantCount} tenants)`);
  for (const id of tenantIds) await fillTenant(dynamo, "tsc-pool-a", id, perTenant, itemBytes);

  // Ceilings. Scan: the same table, 4 segments (the backup's), items counted and dropped.
  const scanCeilings: number[] = [];
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    let scanned = 0;
    await Promise.all(
      Array.from({ length: 4 }, async (_, segment) => {
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const page = await dynamo.send(
            new ScanCommand({
              TableName: "tsc-pool-a",
              Segment: segment,
              TotalSegments: 4,
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
          );
          scanned += page.Items?.length ?? 0;
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    );
    scanCeilings.push(scanned / ((performance.now() - started) / 1000));
  }
  const scanCeiling = Math.max(...scanCeilings);
  report("backup-scan-ceiling", scanCeiling, "items/s");
  // BatchWriteItem: one tenant's worth of pre-built items, 4 calls in flight (the restore's concurrency).
  const writeCeiling = await batchWriteCeiling(dynamo, perTenant, itemBytes, 4);
  report("backup-batchwrite-ceiling", writeCeiling, "items/s");

  const deps = operationDeps({
    db,
    dynamoDb: () => dynamo,
    routingTable,
    routingRegion: "us-east-1",
    routingPropagationMs: 0,
    backupStore: new DirectoryBackupStore(backupDir),
    // An idle fleet in CloudWatch: every pool has headroom for a staged restore.
    metrics: {
      read: async (_queries, _range, periodSeconds) => ({ series: new Map(), cost: { calls: 0, metricsRequested: 0 }, periodSeconds }),
    },
  });
  const worker = startWorker({ deps, definitions: operationDefinitions, pollMs: 20, leaseMs: 30_000, log: () => undefined });
  // A data-plane reader that writes nothing but acknowledges freezes, as the demo's workload does (else a freeze waits out the routing cache).
  const reader = await startWritingDataPlane({ dynamo, routingTable, tenants: {}, seed: 1, readerId: "bench-reader" });
  const user = await db.user.findFirstOrThrow({ where: { role: "operator" } });
  const requester = { id: user.id, email: user.email, name: user.name, role: user.role };
  const backUp = async (storageInstanceId: string, strategy: "per_tenant" | "whole_table") => {
    const { operation } = await enqueueOperation(db, backupOperation, {
      kind: "backup",
      tenantId: null,
      storageInstanceId,
      parameters: { storageInstanceId, strategy, scheduled: false, retentionDays: 1, segments: 4 },
      idempotencyKey: randomUUID(),
      user: requester,
      action: "backups.create",
      target: { type: "storageInstance", id: storageInstanceId },
    });
    return finished(operation.id);
  };
  const restoreFrom = async (tenantId: string, backupId: string, mode: "in_place" | "staged") => {
    const { operation } = await enqueueOperation(db, restoreOperation, {
      kind: "restore",
      tenantId,
      parameters: { tenantId, source: { kind: "backup", backupId }, mode },
      idempotencyKey: randomUUID(),
      user: requester,
      action: "tenants.restore",
      target: { type: "tenant", id: tenantId },
    });
    return finished(operation.id);
  };
  let perTenantBackup = "";
  try {
    for (const strategy of ["per_tenant", "whole_table"] as const) {
      const label = strategy === "per_tenant" ? "per-tenant" : "whole-table";
      const backups: { id: string; ms: number; bytes: number }[] = [];
      for (let run = 0; run < runs; run++) {
        const done = await backUp("pool-a", strategy);
        const exported = recordedOutputs(parseSteps(done.steps)).output(exportStep);
        backups.push({ id: done.id, ms: exported.ms, bytes: exported.sizeBytes });
        console.log(
          `# backup ${label} run ${run + 1}: ${exported.ms} ms, ${exported.itemsPerSec} items/s, ${(exported.sizeBytes / 1024 / 1024).toFixed(1)} MiB`,
        );
      }
      const backupMs = percentile(
        backups.map((b) => b.ms),
        50,
      );
      report(`backup-${label}-200k-p50`, backupMs, "ms");
      report(`backup-${label}-200k-items-per-sec-p50`, total / (backupMs / 1000), "items/s");
      report(`backup-${label}-vs-scan-ceiling-p50`, (total / (backupMs / 1000) / scanCeiling) * 100, "%");
      report(`backup-${label}-size`, backups[0]!.bytes / 1024 / 1024, "MiB");

      // Restore the first tenant in place from the last backup, after every one of its items was changed (all are saved, written back and verified).
      const restores: { ms: number; readMs: number; writeMs: number; frozenMs: number }[] = [];
      for (let run = 0; run < runs; run++) {
        await fillTenant(dynamo, "tsc-pool-a", tenantIds[0]!, perTenant, itemBytes - 1 - run);
        const started = performance.now();
        const done = await restoreFrom(tenantIds[0]!, backups.at(-1)!.id, "in_place");
        const steps = new Map(parseSteps(done.steps).map((s) => [s.name, s]));
        const recorded = recordedOutputs([...steps.values()]);
        const stepMs = (name: string) => Date.parse(steps.get(name)!.finishedAt!) - Date.parse(steps.get(name)!.startedAt!);
        const { changed } = recorded.output(replaceStep);
        if (changed !== perTenant) throw new Error(`restore changed ${changed} items, not ${perTenant}`);
        restores.push({
          ms: performance.now() - started,
          readMs: recorded.output(loadStep).ms,
          writeMs: stepMs("replace"),
          frozenMs: recorded.output(unfreezeStep).frozenMs ?? 0,
        });
        const timeline = [...steps.values()].map((s) => `${s.name} ${Date.parse(s.finishedAt!) - Date.parse(s.startedAt!)}`).join(", ");
        console.log(
          `# restore ${label} run ${run + 1}: ${Math.round(restores.at(-1)!.ms)} ms, frozen ${restores.at(-1)!.frozenMs} ms (steps, ms: ${timeline})`,
        );
      }
      report(
        `restore-20k-${label}-p50`,
        percentile(
          restores.map((r) => r.ms),
          50,
        ),
        "ms",
      );
      report(
        `restore-20k-${label}-freeze-p50`,
        percentile(
          restores.map((r) => r.frozenMs),
          50,
        ),
        "ms",
      );
      report(
        `restore-20k-${label}-read-p50`,
        percentile(
          restores.map((r) => r.readMs),
          50,
        ),
        "ms",
      );
      const writeRate =
        perTenant /
        (percentile(
          restores.map((r) => r.writeMs),
          50,
        ) /
          1000);
      report(`restore-20k-${label}-write-p50`, writeRate, "items/s");
      report(`restore-20k-${label}-write-vs-batchwrite-ceiling-p50`, (writeRate / writeCeiling) * 100, "%");
      if (strategy === "per_tenant") perTenantBackup = backups.at(-1)!.id;
    }

    // Staged restores, while the tenants write (about 20 a second each) through the data plane.
    console.log(`# filling big: ${bigItems.toLocaleString("en-US")} items alone in pool-c`);
    await fillTenant(dynamo, "tsc-pool-c", "big", bigItems, itemBytes);
    const bigBackup = (await backUp("pool-c", "per_tenant")).id;
    const writer = await startWritingDataPlane({
      dynamo,
      routingTable,
      tenants: Object.fromEntries(
        [tenantIds[0]!, "big"].map((id) => [id, { ratePerSec: 20, readRatio: 0.2, itemBytes, maxItems: bigItems + perTenant }]),
      ),
      seed: 7,
      readerId: "bench-writer",
    });
    try {
      for (const [tenantId, items, backupId] of [
        [tenantIds[0]!, perTenant, perTenantBackup],
        ["big", bigItems, bigBackup],
      ] as const) {
        const staged: { ms: number; frozenMs: number; stageMs: number; cleanUpMs: number }[] = [];
        for (let run = 0; run < stagedRuns; run++) {
          const where = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, include: { storageInstance: true } });
          await fillTenant(dynamo, where.storageInstance!.tableName, tenantId, items, itemBytes - 1 - run);
          const started = performance.now();
          const done = await restoreFrom(tenantId, backupId, "staged");
          const steps = parseSteps(done.steps);
          const stepMs = (name: string) => {
            const step = steps.find((s) => s.name === name)!;
            return Date.parse(step.finishedAt!) - Date.parse(step.startedAt!);
          };
          staged.push({
            ms: performance.now() - started,
            frozenMs: recordedOutputs(steps).output(unfreezeStep).frozenMs ?? 0,
            stageMs: stepMs("stage"),
            cleanUpMs: stepMs("cleanUp"),
          });
          const timeline = steps.map((s) => `${s.name} ${Date.parse(s.finishedAt!) - Date.parse(s.startedAt!)}`).join(", ");
          // Where the frozen time goes: each frozen step's own account (and the comparison made before the freeze).
          for (const name of ["verifyAll", "freeze", "verify"]) console.log(`#   ${name}: ${steps.find((s) => s.name === name)!.detail}`);
          console.log(
            `# staged restore ${sizeLabel(items)} run ${run + 1} (${where.storageInstanceId} → ${steps.find((s) => s.name === "unfreeze")!.detail}): ${Math.round(staged.at(-1)!.ms)} ms, frozen ${staged.at(-1)!.frozenMs} ms (steps, ms: ${timeline})`,
          );
        }
        const p50 = (values: number[]) => percentile(values, 50);
        report(`restore-staged-${sizeLabel(items)}-freeze-p50`, p50(staged.map((r) => r.frozenMs)), "ms");
        report(`restore-staged-${sizeLabel(items)}-p50`, p50(staged.map((r) => r.ms)), "ms");
        report(`restore-staged-${sizeLabel(items)}-stage-p50`, p50(staged.map((r) => r.stageMs)), "ms");
        report(`restore-staged-${sizeLabel(items)}-cleanup-p50`, p50(staged.map((r) => r.cleanUpMs)), "ms");
      }
    } finally {
      await writer.stop();
    }
  } finally {
    await reader.stop();
    await worker.stop();
  }
} finally {
  await database.stop();
  await dynamoDb.stop();
  await rm(backupDir, { recursive: true, force: true });
}
