// An offboarding's purge of a pooled tenant against the raw BatchWriteItem
// delete ceiling of the same dynalite (in its own process), measured in the same
// run, alternately, with the same number of requests in flight:
//   ceiling: deletes of keys known in advance (25 a request), nothing read;
//   purge:   what the purge step runs for a pool (lib/lifecycle/offboarding-purge.ts):
//            the tenant's keys read page by page from its partitions through its
//            tenant-scoped client, each page deleted, every key checked, no cap.
//   bench offboarding-purge-<n>-items-per-sec-p50, the ceiling's, and their ratio (goal ≥ 0.7).
import type { WriteRequest } from "@aws-sdk/client-dynamodb";
import { fillTenant } from "../lib/operations/__tests__/migration-fixture";
import { purgeTenantItems } from "../lib/lifecycle/offboarding-purge";
import { defaultKeyScheme } from "../lib/storage/key-scheme";
import { tenantScopedClient } from "../lib/storage/tenant-access";
import { tenantEntities } from "../lib/storage/tenant-items";
import { seedKey } from "../lib/storage/seed-tenant";
import { ensureTenantTable } from "../lib/storage/tenant-tables";
import { countTenantItems } from "../lib/storage/tenant-partitions";
import { percentile, report } from "./stats";
import { sendBatches, startDynamoDbProcess } from "./support/dynamodb";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION ??= "us-east-1";
const items = Number(process.env.BENCH_OFFBOARDING_ITEMS ?? 20_000);
const runs = Number(process.env.BENCH_OFFBOARDING_RUNS ?? 3);
const concurrency = 8;
const itemBytes = 300;
const table = "bench-offboarding-pool";
const capacity = { capacityMode: "on_demand" as const, readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 };

const dynamoDb = await startDynamoDbProcess();
const { dynamo } = dynamoDb;

/** Every key `fillTenant` writes for the tenant (entities round robin), as delete requests of 25. */
function deleteBatches(tenantId: string): WriteRequest[][] {
  const batches: WriteRequest[][] = [];
  for (let n = 0; n < items; n += 25)
    batches.push(
      Array.from({ length: Math.min(25, items - n) }, (_, i) => {
        const at = n + i;
        const entity = tenantEntities[at % tenantEntities.length]!;
        return { DeleteRequest: { Key: seedKey(defaultKeyScheme, tenantId, entity, Math.floor(at / tenantEntities.length)) } };
      }),
    );
  return batches;
}

async function ceiling(tenantId: string): Promise<number> {
  return items / ((await sendBatches(dynamo, table, deleteBatches(tenantId), concurrency)) / 1000);
}

async function purge(tenantId: string): Promise<number> {
  const tenant = { tenantId, keyScheme: defaultKeyScheme };
  const client = tenantScopedClient(dynamo, { ...tenant, tables: [table], operation: "bench offboarding" });
  const started = performance.now();
  const deleted = await purgeTenantItems({ client, tableName: table }, tenant, tenantEntities, { concurrency });
  const rate = deleted / ((performance.now() - started) / 1000);
  if (deleted !== items) throw new Error(`the purge deleted ${deleted} items of ${items}`);
  return rate;
}

try {
  await ensureTenantTable(dynamo, table, capacity);
  // A co-tenant stays in the pool throughout, so the purge's partitions are not the table's only ones.
  await fillTenant(dynamo, table, "co-tenant", 2_000, itemBytes);
  const ceilings: number[] = [];
  const purges: number[] = [];
  for (let run = 0; run < runs; run++) {
    for (const [label, measure, out] of [
      ["ceiling", ceiling, ceilings],
      ["purge", purge, purges],
    ] as const) {
      const tenantId = `${label}-${run}`;
      await fillTenant(dynamo, table, tenantId, items, itemBytes);
      out.push(await measure(tenantId));
      const left = await countTenantItems(
        {
          client: tenantScopedClient(dynamo, { tenantId, keyScheme: defaultKeyScheme, tables: [table], operation: "bench check" }),
          tableName: table,
        },
        { tenantId, keyScheme: defaultKeyScheme },
        tenantEntities,
      );
      if (left !== 0) throw new Error(`${left} items of ${tenantId} left after the ${label}`);
    }
  }
  const k = `${Math.round(items / 1000)}k`;
  const ceilingP50 = percentile(ceilings, 50);
  const purgeP50 = percentile(purges, 50);
  report(`offboarding-delete-ceiling-${k}-items-per-sec-p50`, ceilingP50, "items/s");
  report(`offboarding-purge-${k}-items-per-sec-p50`, purgeP50, "items/s");
  report(`offboarding-purge-vs-ceiling-${k}-p50`, purgeP50 / ceilingP50, "ratio");
  console.log(
    `runs: ceiling ${ceilings.map((r) => Math.round(r)).join(", ")} items/s; purge ${purges.map((r) => Math.round(r)).join(", ")} items/s`,
  );
} finally {
  await dynamoDb.stop();
}
