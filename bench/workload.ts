// The synthetic workload on this machine: the demo fleet's 60 tenants against
// dynalite and the CloudWatch endpoint (in their own process, as in the demo).
// Prints the 24 h backfill time, the demo scenario's sustained DynamoDB calls
// per second, the most the data plane sustains when every tenant asks for ten
// times more, and the memory of both processes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { routingContentFor } from "../lib/routing/record";
import { ensureRoutingTable, putRoutingRecord } from "../lib/routing/routing-table";
import { ensureTenantTable } from "../lib/storage/tenant-tables";
import { startLocalEndpoints } from "./support/local-endpoints";
import { backfillHistory } from "../local/workload/backfill";
import { DataPlane } from "../local/workload/data-plane";
import { loadScenario, scenarioSchema } from "../local/workload/scenario";
import { demoPlans, generateFleet } from "../prisma/demo-fleet";
import { report } from "./stats";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const liveSeconds = Number(process.env.BENCH_WORKLOAD_SECONDS ?? 30);
const region = "us-east-1";

function rssMb(pid: number | "self"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

const endpoints = await startLocalEndpoints(region);
try {
  const { dynamo, cloudWatch } = endpoints;

  const fleet = generateFleet();
  const routingTable = "bench-routing";
  await ensureRoutingTable(dynamo, routingTable);
  for (const instance of fleet.instances) await ensureTenantTable(dynamo, instance.tableName, instance);
  const instances = new Map(fleet.instances.map((i) => [i.id, i]));
  const plans = new Map(demoPlans.map((p) => [p.id, p]));
  const stressRoutingTable = "bench-routing-stress";
  const stressPlacement = { storageInstanceId: "stress-pool", tableName: "bench-stress-pool", region };
  await ensureRoutingTable(dynamo, stressRoutingTable);
  await ensureTenantTable(dynamo, stressPlacement.tableName, {
    capacityMode: "on_demand",
    readUnitsPerSec: 12_000,
    writeUnitsPerSec: 4_000,
  });
  for (const tenant of fleet.tenants) {
    const content = routingContentFor({
      ...tenant,
      plan: plans.get(tenant.planId as (typeof demoPlans)[number]["id"])!,
      storageInstance: instances.get(tenant.storageInstanceId) ?? null,
      bridgeInstance: tenant.bridgeInstanceId ? (instances.get(tenant.bridgeInstanceId) ?? null) : null,
    });
    if (!content) continue;
    await putRoutingRecord(dynamo, content, 0, routingTable);
    // For the ceiling: everyone on one on-demand table, so capacity never throttles.
    await putRoutingRecord(dynamo, { ...content, placement: stressPlacement, bridge: null }, 0, stressRoutingTable);
  }

  const demoScenario = loadScenario(path.resolve("local/workload/scenario.json"));
  const now = Date.now();
  const demo = new DataPlane({ dynamoDb: () => dynamo, routingTable, scenario: demoScenario, originMs: now - 86_400_000, seed: 42 });
  await demo.refreshRouting(now, true);
  await demo.refreshCapacity(now);

  const backfillStarted = performance.now();
  const backfill = await backfillHistory({
    cloudWatch,
    namespace: "BenchWorkload",
    records: demo.routing(),
    profiles: demo.profilesByTenant(),
    capacityOf: (id) => demo.capacityOf(id),
    originMs: now - 86_400_000,
    fromMs: now - 86_400_000,
    toMs: now,
    seed: 42,
  });
  report("workload-backfill-24h", (performance.now() - backfillStarted) / 1000, "s");
  report("workload-backfill-datapoints", backfill.datums, "datapoints");

  async function sustained(dataPlane: DataPlane, seconds: number): Promise<{ opsPerSecond: number; lateTicks: number }> {
    let operations = 0;
    let lateTicks = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const stats = await dataPlane.tick(Date.now(), 1);
      operations += stats.operations - stats.failures;
      if (stats.elapsedMs > 1_100) lateTicks++;
    }
    return { opsPerSecond: operations / ((performance.now() - started) / 1000), lateTicks };
  }

  const live = await sustained(demo, liveSeconds);
  report("workload-demo-ops", live.opsPerSecond, "ops/s");
  report("workload-demo-late-ticks", live.lateTicks, "ticks");
  report("workload-process-rss", rssMb("self"), "MB");
  report("aws-endpoints-process-rss", rssMb(endpoints.process.pid!), "MB");

  // About ten times the demand on every tenant, and room on the table: how far the data plane goes on this machine.
  const heavy = scenarioSchema.parse({ baseShareOfPlanRate: [0.3, 0.5] });
  const stress = new DataPlane({
    dynamoDb: () => dynamo,
    routingTable: stressRoutingTable,
    scenario: heavy,
    originMs: now,
    seed: 43,
    concurrency: 64,
  });
  await stress.refreshRouting(Date.now(), true);
  await stress.refreshCapacity(Date.now());
  const max = await sustained(stress, Math.max(10, liveSeconds / 2));
  report("workload-max-ops", max.opsPerSecond, "ops/s");
} finally {
  await endpoints.stop();
}
