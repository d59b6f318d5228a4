// Migration of a 100,000-item tenant between two pools, five times (back and
// forth), while the synthetic data plane keeps writing to it and acknowledges
// the freeze. DynamoDB (dynalite) runs in its own process, as a remote
// service would. Reports the copy's throughput against the raw BatchWriteItem
// ceiling measured in the same run (same items, same calls in flight), the
// total migration time, and the write freeze.
import { randomUUID } from "node:crypto";
import type { ActionContext } from "../lib/auth/action-context";
import { testDatabases } from "../lib/db/__tests__/databases";
import { parseSteps, recordedOutputs } from "../lib/operations/definition";
import { operationDefinitions } from "../lib/worker/kinds";
import { startWritingDataPlane } from "../lib/operations/__tests__/live-fixtures";
import { fillTenant, migrationFleet } from "../lib/operations/__tests__/migration-fixture";
import { operationDeps } from "../lib/operations/deps";
import { startWorker } from "../lib/operations/worker";
import { ensureReadersTable } from "../lib/routing/readers";
import { publishCatalogRouting } from "../lib/routing/publish";
import { ensureRoutingTable } from "../lib/routing/routing-table";
import { provisionCatalogTables } from "../lib/storage/provision-catalog-tables";
import { migrationInput, requestMigration } from "../lib/migration/requests";
import { moveOutputs } from "../lib/migration/moving";
import { seedCatalog } from "../prisma/seed-catalog";
import { percentile, report } from "./stats";
import { batchWriteCeiling, startDynamoDbProcess } from "./support/dynamodb";
import { roomyTargets } from "../lib/migration/__tests__/target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION ??= "us-east-1";
const items = Number(process.env.BENCH_MIGRATION_ITEMS ?? 100_000);
const runs = 5;
const itemBytes = 300;
const routingTable = "bench-migration-routing";

const dynamoDb = await startDynamoDbProcess();
const { dynamo } = dynamoDb;
const database = await testDatabases[0]!.start();
const { db } = database;

try {
  await seedCatalog(db, migrationFleet);
  await provisionCatalogTables(db, () => dynamo);
  await ensureRoutingTable(dynamo, routingTable);
  await ensureReadersTable(dynamo);
  await publishCatalogRouting(db, dynamo, routingTable);
  console.log(`# filling ${items.toLocaleString("en-US")} items of ${itemBytes} bytes`);
  await fillTenant(dynamo, "tsc-pool-a", "mover", items, itemBytes);

  // The ceiling: the same number of items, pre-built, written with BatchWriteItem at the copy's concurrency (4 partitions × 2 calls).
  const ceiling = await batchWriteCeiling(dynamo, items, itemBytes, 8);
  report("migration-batchwrite-ceiling", ceiling, "items/s");

  const deps = operationDeps({ db, dynamoDb: () => dynamo, routingTable, routingRegion: "us-east-1", routingPropagationMs: 5_000 });
  const worker = startWorker({ deps, definitions: operationDefinitions, pollMs: 50, leaseMs: 15_000, log: () => undefined });
  // The tenant keeps writing (about 30 writes a second) and a data-plane reader acknowledges freezes.
  const writing = await startWritingDataPlane({
    dynamo,
    routingTable,
    tenants: { mover: { ratePerSec: 40, readRatio: 0.25, itemBytes, maxItems: items * 2 } },
    seed: 5,
    readerId: "bench-reader",
  });

  const user = await db.user.findFirstOrThrow({ where: { role: "operator" } });
  const ctx: ActionContext = { db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
  const totals: number[] = [];
  const copyRates: number[] = [];
  const freezes: number[] = [];
  const verifyAll: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const target = run % 2 === 0 ? "pool-b" : "pool-a";
      const started = performance.now();
      const { data } = await requestMigration(
        ctx,
        migrationInput.parse({ tenantId: "mover", target, copyRatePerSec: 0, idempotencyKey: randomUUID() }),
        roomyTargets,
      );
      for (;;) {
        const operation = await db.operation.findUniqueOrThrow({ where: { id: data.operationId } });
        if (operation.status === "failed") throw new Error(`migration failed: ${operation.error}`);
        if (operation.status === "succeeded") {
          totals.push(performance.now() - started);
          const steps = parseSteps(operation.steps);
          const recorded = recordedOutputs(steps);
          copyRates.push(recorded.output(moveOutputs.copy).itemsPerSec);
          freezes.push(recorded.output(moveOutputs.cutOver).freezeMs ?? 0);
          const all = steps.find((s) => s.name === "verifyAll")!;
          verifyAll.push(Date.parse(all.finishedAt!) - Date.parse(all.startedAt!));
          console.log(
            `# run ${run + 1}: to ${target} in ${((performance.now() - started) / 1000).toFixed(1)} s, copy ${copyRates.at(-1)} items/s, freeze ${freezes.at(-1)} ms`,
          );
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await writing.stop();
    await worker.stop();
  }
  report("migration-copy-p50", percentile(copyRates, 50), "items/s");
  report("migration-copy-vs-ceiling-p50", (percentile(copyRates, 50) / ceiling) * 100, "%");
  report("migration-total-p50", percentile(totals, 50) / 1000, "s");
  report("migration-verify-all-p50", percentile(verifyAll, 50), "ms");
  report("migration-freeze-p50", percentile(freezes, 50), "ms");
  report("migration-freeze-max", Math.max(...freezes), "ms");
} finally {
  await database.stop();
  await dynamoDb.stop();
}
