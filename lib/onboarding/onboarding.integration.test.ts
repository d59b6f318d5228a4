// Onboarding and plan changes end to end: a request queued as a server action
// queues it, a worker runs it against dynalite, the local CloudWatch endpoint
// (pool headroom) and the catalog database.
import { randomUUID } from "node:crypto";
import { type CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../local/operation-stack";
import { generateFleet } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import { dimensionInstance, tenantMetrics } from "../metrics/contract";
import { getRoutingRecord } from "../routing/routing-table";
import { seedItemsPerEntity } from "../storage/seed-tenant";
import { tableExists } from "../storage/tenant-tables";
import { onboardingInput, requestOnboarding } from "./requests";
import { planChangeInput, requestPlanChange } from "../throttling/requests";
import { parseSteps } from "../operations/definition";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION = "us-east-1";
const routingTable = "onboarding-it-routing";
let stack: OperationStack;
let dynamo: DynamoDBClient;
let catalog: TestDatabase;
let ctx: ActionContext;

/** 24 h of per-minute consumed write units for a pool, as a share of its capacity. */
async function publishPoolLoad(client: CloudWatchClient, poolId: string, writeUnitsPerSec: number, utilisation: number) {
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const data: MetricDatum[] = [];
  for (let m = 1; m <= 24 * 60; m++) {
    data.push({
      MetricName: tenantMetrics.consumedWriteUnits.name,
      Dimensions: [{ Name: dimensionInstance, Value: poolId }],
      Timestamp: new Date(end - m * 60_000),
      Value: writeUnitsPerSec * utilisation * 60,
      Unit: "Count",
    });
  }
  for (let i = 0; i < data.length; i += 1000)
    await client.send(new PutMetricDataCommand({ Namespace: "OnboardingTest", MetricData: data.slice(i, i + 1000) }));
}

beforeAll(async () => {
  catalog = await testDatabases[0]!.start();
  await seedCatalog(catalog.db, generateFleet());
  stack = await startOperationStack(catalog.db, { routingTable, metricsNamespace: "OnboardingTest" });
  dynamo = stack.dynamo;
  // Measured load, deliberately unlike tenant counts: the 02 pool is the quiet one.
  await publishPoolLoad(stack.cloudWatch, "pool-use1-01", 40, 0.6);
  await publishPoolLoad(stack.cloudWatch, "pool-use1-02", 30, 0.1);
  await publishPoolLoad(stack.cloudWatch, "pool-use1-03", 4_000, 0.5);
  await publishPoolLoad(stack.cloudWatch, "pool-euw1-01", 25, 0.9);
  const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
  ctx = { db: catalog.db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
});

afterAll(async () => {
  await stack?.stop();
  await catalog?.stop();
});

async function finished(operationId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const operation = await catalog.db.operation.findUniqueOrThrow({ where: { id: operationId } });
    if (operation.status === "succeeded" || operation.status === "failed") return operation;
    if (Date.now() > deadline) throw new Error(`operation ${operationId} still ${operation.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function itemsOf(tableName: string, keyPrefix: string, entity: string) {
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: `${keyPrefix}${entity}` } },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

const onboard = (fields: Record<string, string>) =>
  requestOnboarding(
    ctx,
    onboardingInput.parse({ region: "us-east-1", contactEmail: "ops@example.com", idempotencyKey: randomUUID(), ...fields }),
  );

describe("onboarding", () => {
  it("places a pooled tenant on the pool with the most measured headroom, publishes its routing, seeds it and activates it", async () => {
    const name = `Café ☕ "Lumière" <script>alert(1)</script> '; DROP TABLE "Tenant"; --`;
    const { data } = await onboard({ name, id: "nouveau-cafe", tier: "standard" });
    const operation = await finished(data.operationId);
    expect(operation.error).toBeNull();
    expect(operation.status).toBe("succeeded");

    const tenant = await catalog.db.tenant.findUniqueOrThrow({ where: { id: "nouveau-cafe" } });
    expect(tenant).toMatchObject({
      name,
      status: "active",
      deploymentModel: "pool",
      storageInstanceId: "pool-use1-02",
      planId: "standard",
    });
    const place = parseSteps(operation.steps).find((s) => s.name === "place")!;
    expect(place.detail).toMatch(/^pool-use1-02: 10 % busy at its 24 h p95/);

    const routing = await getRoutingRecord(dynamo, "nouveau-cafe", routingTable);
    expect(routing).toMatchObject({
      status: "active",
      ratePerSec: 75,
      burst: 100,
      quotaPerDay: 3_000_000,
      placement: { storageInstanceId: "pool-use1-02", tableName: "tsc-pool-use1-02" },
    });
    const orders = await itemsOf("tsc-pool-use1-02", "nouveau-cafe#", "orders");
    expect(orders).toHaveLength(seedItemsPerEntity);
    expect(orders.every((item) => item.tenantId?.S === "nouveau-cafe")).toBe(true);
    expect(
      await catalog.db.auditEntry.count({
        where: { operationId: operation.id, action: { in: ["tenants.onboard", "operations.onboard"] } },
      }),
    ).toBe(2);
  });

  it("gives a silo tenant its own table and storage instance, and a bridge tenant its siloed entity's table", async () => {
    const silo = await finished((await onboard({ name: "Silo Bank", id: "silo-bank", tier: "enterprise" })).data.operationId);
    expect(silo.status).toBe("succeeded");
    expect(await tableExists(dynamo, "tsc-silo-silo-bank")).toBe(true);
    expect(await catalog.db.storageInstance.findUniqueOrThrow({ where: { id: "silo-silo-bank" } })).toMatchObject({
      mode: "silo",
      tableName: "tsc-silo-silo-bank",
    });
    expect(await itemsOf("tsc-silo-silo-bank", "silo-bank#", "events")).toHaveLength(seedItemsPerEntity);

    const bridge = await finished(
      (await onboard({ name: "Bridge Retail", id: "bridge-retail", tier: "standard", model: "bridge", bridgeEntity: "invoices" })).data
        .operationId,
    );
    expect(bridge.status).toBe("succeeded");
    const tenant = await catalog.db.tenant.findUniqueOrThrow({ where: { id: "bridge-retail" } });
    expect(tenant).toMatchObject({
      deploymentModel: "bridge",
      storageInstanceId: "pool-use1-02",
      bridgeInstanceId: "silo-bridge-retail",
      bridgeEntity: "invoices",
    });
    expect(await itemsOf("tsc-silo-bridge-retail", "bridge-retail#", "invoices")).toHaveLength(seedItemsPerEntity);
    expect(await itemsOf("tsc-pool-use1-02", "bridge-retail#", "invoices")).toHaveLength(0);
    expect(await itemsOf("tsc-pool-use1-02", "bridge-retail#", "orders")).toHaveLength(seedItemsPerEntity);
  });

  it("fails placement when no pool in the region has room, before changing anything", async () => {
    const operation = await finished(
      (await onboard({ name: "Crowded", id: "crowded-eu", tier: "basic", region: "eu-west-1" })).data.operationId,
    );
    expect(operation.status).toBe("failed");
    expect(operation.error).toMatch(
      /No pool in eu-west-1 has room .* pool-euw1-01, would reach \d+ % .*Create a new pool, or onboard the tenant as a silo/,
    );
    expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: "crowded-eu" } })).toMatchObject({
      status: "provisioning",
      storageInstanceId: null,
    });
    expect(await getRoutingRecord(dynamo, "crowded-eu", routingTable)).toBeNull();
    expect(operation.activeTenantId).toBeNull();
  });

  it("refuses a taken id and an unknown region with field messages, and queues nothing", async () => {
    const before = await catalog.db.operation.count();
    await expect(onboard({ name: "Again", id: "nouveau-cafe", tier: "basic" })).rejects.toMatchObject({
      fieldErrors: { id: ["This id is taken"] },
    });
    await expect(onboard({ name: "Far", id: "far-away", tier: "basic", region: "ap-south-9" })).rejects.toBeInstanceOf(ActionRefusal);
    expect(await catalog.db.operation.count()).toBe(before);
    expect(await catalog.db.tenant.findUnique({ where: { id: "far-away" } })).toBeNull();
  });

  it("validates the form on the server", () => {
    const result = onboardingInput.safeParse({
      name: "x".repeat(101),
      id: "Bad_Id",
      tier: "gold",
      region: "mars",
      contactEmail: "nope",
      idempotencyKey: "1",
    });
    expect(result.success).toBe(false);
    const fields = Object.keys(result.error!.flatten().fieldErrors).sort();
    expect(fields).toEqual(["contactEmail", "id", "idempotencyKey", "name", "region", "tier"]);
    expect(
      onboardingInput.safeParse({
        name: "ok\u001f",
        id: "ok-id",
        tier: "basic",
        region: "us-east-1",
        contactEmail: "a@b.co",
        idempotencyKey: randomUUID(),
      }).success,
    ).toBe(false);
  });
});

describe("plan changes", () => {
  it("moves a tenant to another plan: catalog and routing record carry the new limits", async () => {
    const { data } = await requestPlanChange(
      ctx,
      planChangeInput.parse({ tenantId: "nouveau-cafe", planId: "premium", idempotencyKey: randomUUID() }),
    );
    const operation = await finished(data.operationId);
    expect(operation.status).toBe("succeeded");
    expect((await catalog.db.tenant.findUniqueOrThrow({ where: { id: "nouveau-cafe" } })).planId).toBe("premium");
    expect(await getRoutingRecord(dynamo, "nouveau-cafe", routingTable)).toMatchObject({
      ratePerSec: 100,
      burst: 200,
      quotaPerDay: 5_000_000,
      status: "active",
    });
    await expect(
      requestPlanChange(ctx, planChangeInput.parse({ tenantId: "nouveau-cafe", planId: "premium", idempotencyKey: randomUUID() })),
    ).rejects.toThrow(/already on plan premium/);
  });
});
