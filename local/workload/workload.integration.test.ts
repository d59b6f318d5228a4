// The data plane against real endpoints: dynalite for DynamoDB and our
// CloudWatch endpoint, through the real AWS SDK clients. Ticks run back to back
// on a simulated clock, which the CloudWatch endpoint shares (its retention and
// timestamp checks would otherwise judge the simulated day by today's date);
// every DynamoDB call and every metric is real.
import type { Server } from "node:http";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../../lib/metrics/contract";
import { ensureReadersTable, readerHeartbeatMs, writesLandingFrom } from "../../lib/routing/readers";
import type { RoutingContent } from "../../lib/routing/record";
import { ensureRoutingTable, putRoutingRecord, setWriteFrozen } from "../../lib/routing/routing-table";
import { ensureTenantTable } from "../../lib/storage/tenant-tables";
import { startCloudWatchEndpoint } from "../cloudwatch-endpoint/server";
import { DataPlane } from "./data-plane";
import { scenarioSchema } from "./scenario";
import { defaultKeyScheme } from "../../lib/storage/key-scheme";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const region = "us-east-1";
const namespace = "WorkloadTest";
const routingTable = "test-routing";
const poolTable = "test-pool";
const siloTable = "test-silo-globex";

let dynamoServer: Server;
let cloudWatchEndpoint: Awaited<ReturnType<typeof startCloudWatchEndpoint>>;
let dynamo: DynamoDBClient;
let cloudWatch: CloudWatchClient;

function content(tenantId: string, overrides: Partial<RoutingContent> = {}): RoutingContent {
  return {
    tenantId,
    status: "active",
    deploymentModel: "pool",
    keyPrefix: `${tenantId}#`,
    keyScheme: defaultKeyScheme,
    placement: { storageInstanceId: "pool-small", tableName: poolTable, region },
    bridge: null,
    ratePerSec: 50,
    burst: 50,
    quotaPerDay: 10_000_000,
    writeFrozen: false,
    frozenSince: null,
    suspendedReason: null,
    journal: null,
    ...overrides,
  };
}

const start = Date.UTC(2026, 10, 24, 12);
/** The simulated clock: where the last tick ended. */
let simulatedNow = start;

beforeAll(async () => {
  dynamoServer = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, "127.0.0.1", () => resolve()));
  const dynamoPort = (dynamoServer.address() as { port: number }).port;
  cloudWatchEndpoint = await startCloudWatchEndpoint({ port: 0, now: () => simulatedNow });
  dynamo = new DynamoDBClient({ endpoint: `http://127.0.0.1:${dynamoPort}`, region, credentials });
  cloudWatch = new CloudWatchClient({ endpoint: cloudWatchEndpoint.url, region, credentials });

  await ensureRoutingTable(dynamo, routingTable);
  // A small provisioned pool (the noisy neighbour can overrun it) and an on-demand silo.
  await ensureTenantTable(dynamo, poolTable, { capacityMode: "provisioned", readUnitsPerSec: 40, writeUnitsPerSec: 20 });
  await ensureTenantTable(dynamo, siloTable, { capacityMode: "on_demand", readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 });
  await putRoutingRecord(
    dynamo,
    content("loud", { ratePerSec: 20, burst: 20, placement: { storageInstanceId: "silo-loud", tableName: siloTable, region } }),
    0,
    routingTable,
  );
  await putRoutingRecord(dynamo, content("frozen"), 0, routingTable);
  await putRoutingRecord(dynamo, content("noisy"), 0, routingTable);
  await putRoutingRecord(dynamo, content("quiet"), 0, routingTable);
});

afterAll(async () => {
  await cloudWatchEndpoint?.stop();
  await new Promise((resolve) => dynamoServer?.close(resolve));
});

async function runTicks(dataPlane: DataPlane, fromMs: number, seconds: number): Promise<void> {
  for (let s = 0; s < seconds; s++) {
    const now = fromMs + s * 1000;
    await dataPlane.tick(now, 1);
    simulatedNow = now + 1000;
    // The library publishes (PutMetricData) what it counted, stamped with the simulated clock.
    if ((s + 1) % 10 === 0) await dataPlane.flushMetrics(now);
  }
}

async function sumOf(tenantId: string, instanceId: string, metric: { name: string }, fromMs: number, toMs: number): Promise<number> {
  const { MetricDataResults } = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(fromMs - 60_000),
      EndTime: new Date(toMs + 60_000),
      MetricDataQueries: [
        {
          Id: "m",
          MetricStat: {
            Metric: {
              Namespace: namespace,
              MetricName: metric.name,
              Dimensions: [
                { Name: dimensionTenant, Value: tenantId },
                { Name: dimensionInstance, Value: instanceId },
              ],
            },
            Period: 3600,
            Stat: "Sum",
          },
        },
      ],
    }),
  );
  return (MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
}

describe("the synthetic data plane", () => {
  const scenario = scenarioSchema.parse({
    tenants: {
      loud: { shape: { kind: "steady" }, baseRate: 40, readRatio: 0.5, itemBytes: 400, maxItems: 200 },
      frozen: { shape: { kind: "steady" }, baseRate: 4, readRatio: 0.5, itemBytes: 400, maxItems: 200 },
      noisy: { shape: { kind: "steady" }, baseRate: 30, readRatio: 0.1, itemBytes: 1_500, maxItems: 400 },
      quiet: { shape: { kind: "steady" }, baseRate: 3, readRatio: 0.3, itemBytes: 600, maxItems: 200 },
    },
  });

  // Ninety simulated seconds of every tenant, published as the workload publishes them; each test reads one side of it.
  const seconds = 90;
  beforeAll(async () => {
    await setWriteFrozen(dynamo, "frozen", true, routingTable);
    const dataPlane = new DataPlane({
      dynamoDb: () => dynamo,
      routingTable,
      scenario,
      originMs: start,
      seed: 7,
      spreadCalls: false,
      metrics: { mode: "put-metric-data", cloudWatch, namespace, flushIntervalMs: 0 },
    });
    await runTicks(dataPlane, start, seconds);
    await dataPlane.close();
  }, 300_000);

  it("throttles a tenant above its plan to the plan's rate, as its published metrics show", async () => {
    const requests = await sumOf("loud", "silo-loud", tenantMetrics.requests, start, start + seconds * 1000);
    const throttled = await sumOf("loud", "silo-loud", tenantMetrics.throttled, start, start + seconds * 1000);
    // Counted over simulated seconds (ticks), not wall time: it asked for 40 a second, twice its plan's 20 a second with a burst of 20.
    expect(requests).toBeGreaterThan(35 * seconds);
    const served = requests - throttled;
    expect(served).toBeGreaterThan(20 * seconds * 0.9);
    expect(served).toBeLessThan(20 * seconds * 1.1 + 20);
  });

  it("writes nothing for a frozen tenant", async () => {
    const { Items } = await dynamo.send(new ScanCommand({ TableName: poolTable }));
    expect((Items ?? []).filter((item) => item.tenantId?.S === "frozen")).toHaveLength(0);
    expect(await sumOf("frozen", "pool-small", tenantMetrics.consumedWriteUnits, start, start + seconds * 1000)).toBe(0);
    expect(await sumOf("frozen", "pool-small", tenantMetrics.throttled, start, start + seconds * 1000)).toBeGreaterThan(0);
    expect(await sumOf("frozen", "pool-small", tenantMetrics.consumedReadUnits, start, start + seconds * 1000)).toBeGreaterThan(0);
  });

  it("throttles the co-tenants of a pool pushed over capacity", async () => {
    const capacityThrottled = await sumOf("quiet", "pool-small", tenantMetrics.capacityThrottled, start, start + seconds * 1000);
    const requests = await sumOf("quiet", "pool-small", tenantMetrics.requests, start, start + seconds * 1000);
    expect(requests).toBeGreaterThan(0);
    expect(capacityThrottled / requests).toBeGreaterThan(0.1);
    expect(await sumOf("noisy", "pool-small", tenantMetrics.capacityThrottled, start, start + seconds * 1000)).toBeGreaterThan(0);
  });

  it("keeps every item it wrote inside its tenant's key prefix", async () => {
    for (const table of [poolTable, siloTable]) {
      const { Items } = await dynamo.send(new ScanCommand({ TableName: table }));
      expect(Items?.length).toBeGreaterThan(0);
      for (const item of Items ?? []) {
        const tenantId = item.tenantId!.S!;
        expect(item.pk!.S!.startsWith(`${tenantId}#`)).toBe(true);
      }
      const owners = new Set((Items ?? []).map((item) => item.tenantId!.S));
      expect(table === siloTable ? [...owners] : [...owners].sort()).toEqual(table === siloTable ? ["loud"] : ["noisy", "quiet"]);
    }
  });
});

describe("the data plane as a routing reader", () => {
  it("vouches for no later time than the stamp of a moving tenant's write still in flight", async () => {
    const movingTable = "test-moving";
    const readersTable = "test-readers";
    await ensureTenantTable(dynamo, movingTable, { capacityMode: "on_demand", readUnitsPerSec: 12_000, writeUnitsPerSec: 4_000 });
    await ensureReadersTable(dynamo, readersTable);
    await putRoutingRecord(
      dynamo,
      content("moving", { status: "migrating", placement: { storageInstanceId: "pool-moving", tableName: movingTable, region } }),
      0,
      routingTable,
    );
    // Its writes are held before they are sent (a stalled process, SDK retries) until the test lets them go.
    const held: number[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = new DynamoDBClient({
      endpoint: await dynamo.config.endpoint!().then((e) => `${e.protocol}//${e.hostname}:${e.port}`),
      region,
      credentials,
    });
    slow.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TableName?: string; Item?: Record<string, AttributeValue> };
        if (context.commandName === "PutItemCommand" && input.TableName === movingTable) {
          held.push(Number(input.Item?.updatedAt?.N));
          await released;
        }
        return next(args);
      },
      { step: "initialize" },
    );
    const scenario = scenarioSchema.parse({
      baseShareOfPlanRate: [0, 0],
      tenants: { moving: { shape: { kind: "steady" }, baseRate: 20, readRatio: 0, itemBytes: 300, maxItems: 100 } },
    });
    // The reader may publish from its creation on (its state then vouches for that time, which is as safe): count from there.
    const before = Date.now();
    const dataPlane = new DataPlane({
      dynamoDb: () => slow,
      routingTable,
      scenario,
      originMs: start,
      seed: 3,
      spreadCalls: false,
      reader: { readerId: "slow-reader", tableName: readersTable },
    });
    await dataPlane.refreshRouting(Date.now(), true);

    const ticking = dataPlane.tick(Date.now(), 1);
    await until(() => held.length > 0);
    const oldestHeld = Math.min(...held);
    // Publish at a time later than that write's stamp, so vouching for "now" and for the stamp differ.
    await until(() => Date.now() > oldestHeld);
    const published = Date.now();
    await dataPlane.refreshMoving(published);
    const whileInFlight = await writesLandingFrom(dynamo, "moving", readersTable);
    expect(whileInFlight).toBeGreaterThanOrEqual(before);
    expect(whileInFlight).toBeLessThanOrEqual(oldestHeld);
    expect(whileInFlight).toBeLessThan(published);

    release();
    const stats = await ticking;
    expect(stats.operations).toBeGreaterThan(10);
    expect(stats.failures).toBe(0);
    const landed = Date.now();
    await sleep(readerHeartbeatMs); // at least one heartbeat interval, so the reader publishes again
    await dataPlane.refreshMoving();
    expect(await writesLandingFrom(dynamo, "moving", readersTable)).toBeGreaterThanOrEqual(landed);
    await dataPlane.close();
  }, 60_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}
