// The integration check against dynalite, the local CloudWatch endpoint and
// the catalog (PGlite and PostgreSQL 15): a tenant whose application publishes
// its metrics and reads routing as a data-plane reader passes every item and
// is writing again afterwards; one whose application does neither is told so
// item by item and is not left frozen; a check that fails after freezing
// lifts its freeze.
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../local/operation-stack";
import { demoPlans, demoUsers, type DemoFleet } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../metrics/contract";
import { enqueueOperation } from "../operations/queue";
import { OperationRunner } from "../operations/runner";
import { fillTenant, pool, tenant } from "../operations/__tests__/migration-fixture";
import { startWritingDataPlane } from "../operations/__tests__/live-fixtures";
import { liveReaderIds } from "../routing/readers";
import { getRoutingRecord } from "../routing/routing-table";
import { operationDefinitions } from "../worker/kinds";
import { integrationCheckOperation } from "./operation";
import { latestIntegrationCheck } from "./queries";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION = "us-east-1";
const routingTable = "integration-check-it-routing";
const namespace = "IntegrationCheckTest";

const fleet: DemoFleet = {
  plans: demoPlans,
  instances: [pool("pool-a")],
  tenants: [tenant("integrated", "pool-a"), tenant("unintegrated", "pool-a"), tenant("interrupted", "pool-a")],
  users: demoUsers,
};

// The check keeps nothing in the catalog but its operation's row, which every kind writes alike on both databases
// (the crash matrix and the other kinds' tests cover that): one database is enough, and the check waits out a routing
// cache per case.
describe.each(testDatabases.slice(0, 1))("integration check on $name", (target) => {
  let catalog: TestDatabase;
  let stack: OperationStack;
  let requestedBy: string;

  const check = async (tenantId: string, faultPoint?: (point: string) => Promise<void>) => {
    const { operation } = await enqueueOperation(catalog.db, integrationCheckOperation, {
      kind: "integration_check",
      tenantId,
      parameters: { tenantId },
      idempotencyKey: `check-${tenantId}-${Date.now()}`,
      user: { id: requestedBy, email: "operator@example.com", name: "Operator", role: "operator" },
      action: "tenants.checkIntegration",
      target: { type: "tenant", id: tenantId },
    });
    const runner = new OperationRunner({ ...stack.deps, faultPoint }, operationDefinitions, {
      workerId: `check-${tenantId}`,
      leaseMs: 60_000,
      frozenLeaseMs: 3_000,
      maxAttempts: 3,
    });
    expect(await runner.claim()).toBe(operation.id);
    await runner.run(operation.id, new AbortController().signal);
    return latestIntegrationCheck(catalog.db, tenantId);
  };
  const frozen = async (tenantId: string) => (await getRoutingRecord(stack.dynamo, tenantId, routingTable))?.writeFrozen;

  beforeAll(async () => {
    catalog = await target.start();
    await seedCatalog(catalog.db, fleet);
    requestedBy = (await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } })).id;
    stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: namespace, worker: false });
    for (const id of ["integrated", "unintegrated", "interrupted"]) await fillTenant(stack.dynamo, "tsc-pool-a", id, 50);
  });

  afterAll(async () => {
    await stack?.stop();
    await catalog?.stop();
  });

  it("names every item an application that speaks no protocol fails, and leaves the tenant writable", async () => {
    const checklist = await check("unintegrated");
    expect(checklist?.status).toBe("succeeded");
    const states = Object.fromEntries(checklist!.items.map((item) => [item.name, item.state]));
    expect(states).toEqual({ metrics: "failed", readers: "failed", freeze: "failed", unfreeze: "passed" });
    expect(checklist!.items[0]!.detail).toMatch(/no Requests for TenantId unintegrated/);
    expect(checklist!.items[1]!.detail).toMatch(/no data-plane reader is registered/);
    expect(await frozen("unintegrated")).toBe(false);
  });

  it("passes a tenant whose application publishes its metrics and acknowledges the freeze, which then writes again", async () => {
    await stack.cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: namespace,
        MetricData: [
          {
            MetricName: tenantMetrics.requests.name,
            Dimensions: [
              { Name: dimensionTenant, Value: "integrated" },
              { Name: dimensionInstance, Value: "pool-a" },
            ],
            Timestamp: new Date(Date.now() - 60_000),
            Value: 42,
            Unit: "Count",
          },
        ],
      }),
    );
    let acknowledged = 0;
    let frozenAt = Infinity;
    const writing = await startWritingDataPlane({
      dynamo: stack.dynamo,
      routingTable,
      tenants: { integrated: { ratePerSec: 40, readRatio: 0, itemBytes: 200, maxItems: 500 } },
      seed: 7,
      readerId: "integration-check-reader",
      onWriteAcknowledged: (tenantId, item) => {
        if (tenantId === "integrated" && Number(item.updatedAt?.N) > frozenAt) acknowledged++;
      },
    });
    try {
      // An application that has been running: its reader has published its first heartbeat.
      while (!(await liveReaderIds(stack.dynamo)).includes("integration-check-reader")) await new Promise((r) => setTimeout(r, 50));
      const checklist = await check("integrated");
      frozenAt = Date.now();
      expect(checklist?.items.map((item) => [item.name, item.state])).toEqual([
        ["metrics", "passed"],
        ["readers", "passed"],
        ["freeze", "passed"],
        ["unfreeze", "passed"],
      ]);
      expect(checklist!.items[2]!.detail).toMatch(/reader\(s\) acknowledged routing version \d+/);
      expect(await frozen("integrated")).toBe(false);
      const deadline = Date.now() + 30_000;
      while (acknowledged === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(acknowledged, "writes acknowledged after the check").toBeGreaterThan(0);
    } finally {
      await writing.stop();
    }
  });

  it("lifts its freeze when it fails after freezing", async () => {
    const checklist = await check("interrupted", async (point) => {
      if (point === "freeze:effect") throw new Error("the routing table stopped answering");
    });
    expect(checklist?.status).toBe("failed");
    expect(checklist?.items.find((item) => item.name === "freeze")?.state).toBe("failed");
    expect(await frozen("interrupted")).toBe(false);
  });
});
