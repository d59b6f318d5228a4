// Adoption as a SaaS team does it: the data-plane library packed with
// `npm run data-plane:pack`, installed from the tarball into a project outside
// this repository, loaded with `require` and with `import`, and the example
// orders service (its own key scheme) run against dynalite: it writes for
// several tenants, and answers 503 with Retry-After while a tenant is frozen.
// Then the whole adoption by docs/adoption.md's steps (below): the fleet
// imported, the service run against the console's operation stack, one of its
// tenants migrated while it writes with no acknowledged write lost, the
// integration check, and a restore of a tenant in place. One pack and install
// per run serves both.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperationStack, type OperationStack } from "../../local/operation-stack";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { ActionContext } from "../../lib/auth/action-context";
import { auditEntry } from "../../lib/audit/record";
import { backupInput, queueBackup, requestRestore, restoreInput } from "../../lib/backup/requests";
import { testDatabases, type TestDatabase } from "../../lib/db/__tests__/databases";
import type { ImportAccess } from "../../lib/fleet-import/access";
import { applyImport, dryRunImport } from "../../lib/fleet-import/requests";
import { latestIntegrationCheck } from "../../lib/integration-check/queries";
import { integrationCheckInput, requestIntegrationCheck } from "../../lib/integration-check/requests";
import { dimensionInstance, dimensionTenant, tenantMetrics } from "../../lib/metrics/contract";
import { migrationInput, requestMigration } from "../../lib/migration/requests";
import { parseSteps } from "../../lib/operations/definition";
import { waitForOperation } from "../../lib/operations/__tests__/live-fixtures";
import { tenantDigest } from "../../lib/operations/__tests__/migration-fixture";
import { startWorker, type RunningWorker } from "../../lib/operations/worker";
import { ensureReadersTable, liveReaderIds, routingReadersTableName } from "../../lib/routing/readers";
import type { RoutingContent } from "../../lib/routing/record";
import {
  ensureRoutingTable,
  getRoutingRecord,
  putRoutingRecord,
  scanRoutingRecords,
  setWriteFrozen,
} from "../../lib/routing/routing-table";
import { storedKeyScheme, tenantKeyPrefix, type KeyScheme } from "../../lib/storage/key-scheme";
import { operationDefinitions } from "../../lib/worker/kinds";
import { roomyTargets } from "../../lib/migration/__tests__/target-load";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const root = path.resolve(import.meta.dirname, "../..");
const region = "us-east-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const routingTable = "adoption-routing";
const readersTable = "adoption-readers";
const ordersTable = "orders";
const scheme: KeyScheme = {
  partitionKey: "PK",
  sortKey: "SK",
  template: "TENANT#{tenantId}",
  tenantAttribute: null,
  tenantIndex: null,
  changeStamp: "modifiedAt",
};

let dynamoServer: Server;
let endpoint: string;
let dynamo: DynamoDBClient;
let project: string;
const services: ChildProcess[] = [];
/** The catalog of the adoption by the documented steps (below), started while the library is packed. */
let catalogStarting: Promise<TestDatabase> | undefined;
const run = promisify(execFile);

/** A table keyed as the orders service keys its items (PK, SK), on demand. */
async function createOrdersTable(client: DynamoDBClient, TableName: string) {
  await client.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [
        { AttributeName: "PK", AttributeType: "S" },
        { AttributeName: "SK", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "PK", KeyType: "HASH" },
        { AttributeName: "SK", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

function content(tenantId: string): RoutingContent {
  return {
    tenantId,
    status: "active",
    deploymentModel: "pool",
    keyPrefix: tenantKeyPrefix(scheme, tenantId),
    keyScheme: scheme,
    placement: { storageInstanceId: "orders-pool", tableName: ordersTable, region },
    bridge: null,
    ratePerSec: 100,
    burst: 100,
    quotaPerDay: 1_000_000,
    writeFrozen: false,
    frozenSince: null,
    suspendedReason: null,
    journal: null,
  };
}

beforeAll(async () => {
  // The adoption's catalog starts meanwhile (PGlite works in this process, packing and installing in child processes).
  catalogStarting = testDatabases[0]!.start();
  catalogStarting.catch(() => undefined);
  const { stdout: packed } = await run("npm", ["run", "--silent", "data-plane:pack"], { cwd: root, encoding: "utf8" });
  const tarball = packed.trim().split("\n").pop()!;
  project = mkdtempSync(path.join(tmpdir(), "orders-service-"));
  const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies["@tenant-storage-console/data-plane"] = `file:${tarball}`;
  writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2));
  copyFileSync(path.join(import.meta.dirname, "orders-service.mjs"), path.join(project, "orders-service.mjs"));
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, encoding: "utf8" });

  dynamoServer = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, "127.0.0.1", () => resolve()));
  endpoint = `http://127.0.0.1:${(dynamoServer.address() as { port: number }).port}`;
  dynamo = new DynamoDBClient({ endpoint, region, credentials });
  await ensureRoutingTable(dynamo, routingTable);
  await ensureReadersTable(dynamo, readersTable);
  await createOrdersTable(dynamo, ordersTable);
  for (const tenantId of ["acme", "globex", "initech"]) await putRoutingRecord(dynamo, content(tenantId), 0, routingTable);
}, 300_000);

/** Stops a service started by startService (SIGTERM: it closes its data plane, publishing its last metrics). */
async function stopService(service: ChildProcess) {
  if (service.exitCode === null && service.signalCode === null) {
    const exited = new Promise((resolve) => service.once("exit", resolve));
    service.kill("SIGTERM");
    await exited;
  }
  services.splice(services.indexOf(service), 1);
}

/** Starts the installed example service with `environment` on a port of its choosing; resolves to its base URL once it listens. */
async function startService(environment: NodeJS.ProcessEnv): Promise<{ url: string; process: ChildProcess }> {
  const service = spawn(process.execPath, ["orders-service.mjs"], {
    cwd: project,
    env: { ...environment, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  services.push(service);
  const port = await new Promise<number>((resolve, reject) => {
    service.once("exit", (code) => reject(new Error(`the service exited with ${code}`)));
    let buffered: string | null = "";
    // Read on after the first line (EMF metric lines go to stdout too), keeping none of it.
    service.stdout!.on("data", (chunk: Buffer) => {
      if (buffered === null) return;
      buffered += chunk.toString();
      const line = buffered.split("\n").find((l) => l.includes('"listening"'));
      if (line) {
        buffered = null;
        resolve((JSON.parse(line) as { listening: number }).listening);
      }
    });
  });
  return { url: `http://127.0.0.1:${port}`, process: service };
}

afterAll(async () => {
  for (const service of [...services]) await stopService(service);
  await (await catalogStarting?.catch(() => undefined))?.stop();
  await new Promise((resolve) => dynamoServer?.close(resolve));
  if (project) rmSync(project, { recursive: true, force: true });
});

const env = () => ({
  ...process.env,
  AWS_REGION: region,
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  ROUTING_TABLE: routingTable,
  READERS_TABLE: readersTable,
});

const script = (load: string) => `${load}
const dataPlane = createDataPlane({ routingTable: "${routingTable}", readersTable: null, region: "${region}" });
const acme = dataPlane.forTenant("acme");
const PK = await acme.partitionKey();
const receipt = await acme.put({ PK, SK: "ORDER#probe", total: 1 });
const item = await acme.get({ PK, SK: "ORDER#probe" }, { consistentRead: true });
let refused = "";
try { await acme.put({ PK: "TENANT#globex", SK: "ORDER#x", total: 2 }); } catch (error) { refused = error.name; }
let unknown = "";
try { await dataPlane.forTenant("nobody").get({ PK: "TENANT#nobody", SK: "x" }); } catch (error) { unknown = error instanceof TenantUnavailableError ? error.status : String(error); }
await dataPlane.close();
console.log(JSON.stringify({ PK, stamped: item.modifiedAt === receipt.changeStamp, tenantAttribute: "tenantId" in item, refused, unknown }));
`;

describe("the packed data-plane library in an unrelated project", () => {
  it.each([
    ["import", "check.mjs", `import { createDataPlane, TenantUnavailableError } from "@tenant-storage-console/data-plane";`],
    [
      "require",
      "check.cjs",
      `const { createDataPlane, TenantUnavailableError } = require("@tenant-storage-console/data-plane");\n(async () => {`,
    ],
  ])("loads with %s and keys, stamps and guards items by the tenant's key scheme", async (_how, file, load) => {
    const body = file.endsWith(".cjs") ? `${script(load)}})();` : script(load);
    writeFileSync(path.join(project, file), body);
    // Asynchronously: dynalite answers from this process.
    const { stdout } = await run(process.execPath, [file], { cwd: project, env: env(), encoding: "utf8" });
    const output = stdout.trim().split("\n").pop()!;
    expect(JSON.parse(output)).toEqual({
      PK: "TENANT#acme",
      stamped: true,
      tenantAttribute: false,
      refused: "TenantScopeViolation",
      unknown: "unknown",
    });
  });

  it("ships type declarations", () => {
    const types = readFileSync(path.join(project, "node_modules/@tenant-storage-console/data-plane/lib/data-plane/index.d.ts"), "utf8");
    expect(types).toContain("createDataPlane");
    expect(types).toContain("TenantWriteFrozenError");
  });
});

describe("the example orders service", () => {
  let base: string;
  beforeAll(async () => {
    ({ url: base } = await startService({ ...env(), METRICS_MODE: "emf", FREEZE_WAIT_MS: "200" }));
  }, 60_000);

  const post = (tenantId: string, orderId: string, total: number) =>
    fetch(`${base}/tenants/${tenantId}/orders`, { method: "POST", body: JSON.stringify({ orderId, total }) });

  it("writes orders for several tenants, each in its own partition", async () => {
    for (const tenantId of ["acme", "globex", "initech"])
      for (let i = 0; i < 5; i++) expect((await post(tenantId, `${i}`, i * 10)).status).toBe(201);
    // A malformed request is the client's error, not the service's.
    expect((await fetch(`${base}/tenants/acme/orders`, { method: "POST", body: "{" })).status).toBe(400);
    expect((await fetch(`${base}/tenants/acme/orders`, { method: "POST", body: "null" })).status).toBe(400);
    const listed = (await (await fetch(`${base}/tenants/globex/orders`)).json()) as { orders: { orderId: string }[] };
    expect(listed.orders.map((o) => o.orderId)).toEqual(["0", "1", "2", "3", "4"]);
    const { Items } = await dynamo.send(new ScanCommand({ TableName: ordersTable }));
    for (const item of Items ?? []) expect(item.PK!.S).toMatch(/^TENANT#(acme|globex|initech)$/);
  });

  it("answers 503 with Retry-After while the tenant is frozen, and accepts the write once the freeze is lifted", async () => {
    await setWriteFrozen(dynamo, "initech", true, routingTable);
    // The service holds initech's record for up to the routing cache time; a write after it sees the freeze.
    let frozen: Response | undefined;
    for (let attempt = 0; attempt < 100 && frozen === undefined; attempt++) {
      const response = await post("initech", `frozen-${attempt}`, 1);
      if (response.status === 503) frozen = response;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(frozen?.status).toBe(503);
    expect(Number(frozen?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post("acme", "during-freeze", 5)).status).toBe(201);
    await setWriteFrozen(dynamo, "initech", false, routingTable);
    let accepted = 0;
    for (let attempt = 0; attempt < 100 && accepted !== 201; attempt++) {
      accepted = (await post("initech", "after-freeze", 7)).status;
      if (accepted !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(accepted).toBe(201);
  });
});

// ---------------------------------------------------------------------------
// Adoption by the steps of docs/adoption.md, for real: a catalog with plans and
// users only and the console's operation stack (dynalite, the local CloudWatch
// endpoint, the routing and readers tables, a worker with every operation
// kind); the SaaS's existing fleet (two pools keyed PK = TENANT#<id>, SK, no
// tenant attribute, stamped in modifiedAt, and the orders three tenants
// already have, unstamped) registered with the fleet import; the example
// service run from the installed tarball against the console's tables; a
// tenant migrated pool to pool while a client writes through the service;
// the integration check; and a restore of a tenant in place from a backup.
// ---------------------------------------------------------------------------

const stepsRoutingTable = "adoption-steps-routing";
const metricsNamespace = "AdoptionStepsTest";
const readerId = "orders-service-1";
const pools = { first: "orders-pool-1", second: "orders-pool-2" };
const mover = "northwind";
const coTenants = ["contoso", "fabrikam"];
/** The orders each tenant already has in the first pool (orderId → total), written before the console existed. */
const existingOrders = new Map<string, Map<string, number>>(
  [mover, ...coTenants].map((tenantId, t) => [
    tenantId,
    new Map(Array.from({ length: tenantId === mover ? 240 : 120 }, (_, n) => [`e${String(n).padStart(4, "0")}`, 100 * t + n])),
  ]),
);

// One row per line, as docs/fleet-import.md asks (a problem is reported with its line).
const fleetFile = `{
  "instances": [
    ${[pools.first, pools.second]
      .map((tableName, i) =>
        JSON.stringify({
          id: `pool-${i + 1}`,
          tableName,
          region,
          mode: "pool",
          keyScheme: { partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}", tenantAttribute: null, changeStamp: "modifiedAt" },
        }),
      )
      .join(",\n    ")}
  ],
  "tenants": [
    ${[mover, ...coTenants]
      .map((id) =>
        JSON.stringify({
          id,
          name: id[0]!.toUpperCase() + id.slice(1),
          tier: "standard",
          deploymentModel: "pool",
          planId: "standard",
          storageInstanceId: "pool-1",
          contactEmail: `ops@${id}.example`,
        }),
      )
      .join(",\n    ")}
  ]
}
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 50 ms; fails naming `what` if it does not hold within `timeoutMs` (a guard against a hang, not a wait that must be long enough). */
async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

interface Acknowledged {
  total: number;
  modifiedAt: number;
  table: string;
}

/**
 * A client of the service posting orders for one tenant in a few sequential loops (each owning its orders, so an
 * order's writes never race): two writes in three raise the total of an order it owns (existing ones included), one
 * in three is a new order. A 201 is an acknowledged write; a 503 is retried after its Retry-After and counts for
 * nothing until it is acknowledged; anything else is unexpected.
 */
class OrderClient {
  /** orderId → the last acknowledged write. */
  readonly acknowledged = new Map<string, Acknowledged>();
  readonly unexpected: string[] = [];
  retried = 0;
  private readonly acknowledgedAt = new Map<string, number>();
  private readonly owned: Map<string, number>[];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly base: string,
    private readonly tenantId: string,
    existing: Map<string, number>,
    loops = 2,
  ) {
    this.owned = Array.from({ length: loops }, () => new Map());
    [...existing].forEach(([orderId, total], n) => this.owned[n % loops]!.set(orderId, total));
  }

  /** Writes acknowledged with their item in `table`. */
  writesTo(table: string): number {
    return this.acknowledgedAt.get(table) ?? 0;
  }

  start(): void {
    this.running = true;
    this.loops = this.owned.map((orders, loop) => this.loop(loop, orders));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(loop: number, orders: Map<string, number>): Promise<void> {
    for (let n = 0; this.running; n++) {
      const ids = [...orders.keys()];
      const orderId = n % 3 === 2 || ids.length === 0 ? `c${loop}-${orders.size}` : ids[(n * 7) % ids.length]!;
      const total = (orders.get(orderId) ?? 0) + 1;
      while (this.running) {
        let response: Response;
        try {
          response = await fetch(`${this.base}/tenants/${this.tenantId}/orders`, {
            method: "POST",
            body: JSON.stringify({ orderId, total }),
          });
        } catch (error) {
          this.unexpected.push(`${orderId}: ${error instanceof Error ? error.message : String(error)}`);
          this.running = false;
          return;
        }
        if (response.status === 201) {
          const { modifiedAt, table } = (await response.json()) as { modifiedAt: number; table: string };
          orders.set(orderId, total);
          this.acknowledged.set(orderId, { total, modifiedAt, table });
          this.acknowledgedAt.set(table, (this.acknowledgedAt.get(table) ?? 0) + 1);
          break;
        }
        const body = await response.text();
        if (response.status !== 503) {
          this.unexpected.push(`${orderId}: ${response.status} ${body}`);
          this.running = false;
          return;
        }
        this.retried++;
        await sleep(Number(response.headers.get("retry-after") ?? 1) * 1000);
      }
      // A client, not a load generator: leave the machine's two cores to the service, dynalite and the worker.
      await sleep(5);
    }
  }
}

describe("adopting the console by the documented steps (docs/adoption.md)", () => {
  let catalog: TestDatabase;
  let stack: OperationStack;
  let worker: RunningWorker | undefined;
  let ctx: ActionContext;
  let base: string;
  let client: OrderClient | undefined;
  /** The moved tenant's items in the second pool after its migration (key → hash). */
  let moved: Map<string, string>;
  const access = (): ImportAccess => ({
    db: catalog.db,
    dynamoDb: () => stack.dynamo,
    routingTable: stepsRoutingTable,
    routingRegion: region,
  });
  const audit = (facts: Parameters<typeof auditEntry>[1]) => ({ ...auditEntry(null, facts), actorEmail: "cli:adoption-test" });
  const digest = (table: string, tenantId: string) => tenantDigest(stack.dynamo, table, tenantId, scheme);
  /** orderId → its item's total and stamp, read straight from `table` under the scheme's keys. */
  async function ordersIn(table: string, tenantId: string): Promise<Map<string, { total: number; modifiedAt: number | null }>> {
    const orders = new Map<string, { total: number; modifiedAt: number | null }>();
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await stack.dynamo.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :order)",
          ExpressionAttributeValues: { ":pk": { S: tenantKeyPrefix(scheme, tenantId) }, ":order": { S: "ORDER#" } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? [])
        orders.set(item.SK!.S!.slice("ORDER#".length), {
          total: Number(item.total!.N),
          modifiedAt: item.modifiedAt ? Number(item.modifiedAt.N) : null,
        });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return orders;
  }

  /** Every order acknowledged to `client` is in `table` with its last acknowledged total and stamp; the tenant's other orders are as they were. */
  async function expectEveryAcknowledgedOrder(orderClient: OrderClient, table: string) {
    const expected = new Map(
      [...existingOrders.get(mover)!].map(([orderId, total]) => [orderId, { total, modifiedAt: null as number | null }]),
    );
    for (const [orderId, { total, modifiedAt }] of orderClient.acknowledged) expected.set(orderId, { total, modifiedAt });
    const stored = await ordersIn(table, mover);
    const differences = [...new Set([...expected.keys(), ...stored.keys()])]
      .filter((orderId) => JSON.stringify(stored.get(orderId)) !== JSON.stringify(expected.get(orderId)))
      .map((orderId) => ({ orderId, expected: expected.get(orderId), stored: stored.get(orderId) }));
    expect(differences.slice(0, 5)).toEqual([]);
    return expected;
  }

  /** Posts one order until the service acknowledges it (a 503 is retried after its Retry-After). */
  async function postAcknowledged(tenantId: string, orderId: string, total: number): Promise<Acknowledged> {
    for (;;) {
      const response = await fetch(`${base}/tenants/${tenantId}/orders`, { method: "POST", body: JSON.stringify({ orderId, total }) });
      if (response.status === 201) return { total, ...((await response.json()) as { modifiedAt: number; table: string }) };
      const body = await response.text();
      if (response.status !== 503) throw new Error(`POST ${tenantId}/${orderId}: ${response.status} ${body}`);
      await sleep(Number(response.headers.get("retry-after") ?? 1) * 1000);
    }
  }

  const listed = async (tenantId: string) => {
    const response = await fetch(`${base}/tenants/${tenantId}/orders`);
    expect(response.status).toBe(200);
    const { orders } = (await response.json()) as { orders: { orderId: string; total: number }[] };
    return new Map(orders.map((o) => [o.orderId, o.total]));
  };

  beforeAll(async () => {
    // 1. The console: its catalog (plans and users, no fleet) and its operation stack.
    catalog = await catalogStarting!;
    await seedCatalog(catalog.db, { plans: demoPlans, instances: [], tenants: [], users: demoUsers });
    stack = await startOperationStack(catalog.db, { routingTable: stepsRoutingTable, metricsNamespace, worker: false });
    const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
    ctx = { db: catalog.db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };

    // 2. The SaaS's fleet as it was before the console: its tables and its tenants' orders (no change stamp).
    for (const table of [pools.first, pools.second]) await createOrdersTable(stack.dynamo, table);
    const items = [...existingOrders].flatMap(([tenantId, orders]) =>
      [...orders].map(([orderId, total]) => ({
        PK: { S: `TENANT#${tenantId}` },
        SK: { S: `ORDER#${orderId}` },
        orderId: { S: orderId },
        total: { N: String(total) },
      })),
    );
    for (let i = 0; i < items.length; i += 25) {
      let request: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (request.length) {
        const { UnprocessedItems } = await stack.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [pools.first]: request } }));
        request = UnprocessedItems?.[pools.first] ?? [];
      }
    }
    worker = startWorker({ deps: stack.deps, definitions: operationDefinitions, pollMs: 50, leaseMs: 60_000, log: () => undefined });
  }, 120_000);

  afterAll(async () => {
    await client?.stop();
    for (const service of [...services]) await stopService(service);
    await worker?.stop();
    await stack?.stop();
  });

  it("3. registers the tables and tenants with the fleet import: a dry run that changes nothing, an apply that publishes their routing, twice", async () => {
    const itemsBefore = await digest(pools.first, mover);
    const dryRun = await dryRunImport(access(), fleetFile);
    if (!dryRun.ok) throw new Error(JSON.stringify(dryRun.problems));
    expect(dryRun.plan.rows.map((row) => `${row.line} ${row.id} ${row.action}`)).toEqual([
      "3 pool-1 create",
      "4 pool-2 create",
      "7 northwind create",
      "8 contoso create",
      "9 fabrikam create",
    ]);
    expect(await catalog.db.storageInstance.count()).toBe(0);
    expect(await scanRoutingRecords(stack.dynamo, stepsRoutingTable)).toEqual([]);

    const applied = await applyImport(access(), fleetFile, audit, dryRun.plan.fingerprint);
    expect(applied).toMatchObject({ instancesCreated: 2, tenantsCreated: 3, routing: { published: 3, unchanged: 0 } });
    for (const instance of await catalog.db.storageInstance.findMany()) expect(storedKeyScheme(instance.keyScheme)).toEqual(scheme);
    const tenants = await catalog.db.tenant.findMany({ orderBy: { id: "asc" } });
    expect(tenants.map((t) => [t.id, t.status, t.storageInstanceId, t.keyPrefix])).toEqual(
      [...coTenants, mover].map((id) => [id, "active", "pool-1", `TENANT#${id}`]),
    );
    expect(await getRoutingRecord(stack.dynamo, mover, stepsRoutingTable)).toMatchObject({
      status: "active",
      keyPrefix: `TENANT#${mover}`,
      keyScheme: scheme,
      placement: { storageInstanceId: "pool-1", tableName: pools.first, region },
      writeFrozen: false,
    });

    const routing = await scanRoutingRecords(stack.dynamo, stepsRoutingTable);
    const again = await applyImport(access(), fleetFile, audit, null);
    expect(again).toMatchObject({ instancesCreated: 0, tenantsCreated: 0, routing: { published: 0, unchanged: 3 } });
    expect(await scanRoutingRecords(stack.dynamo, stepsRoutingTable)).toEqual(routing);
    // The import never touches the tenants' items.
    expect(await digest(pools.first, mover)).toEqual(itemsBefore);
  });

  it("4. runs the example service from the installed tarball against the console's tables; its reader goes live", async () => {
    ({ url: base } = await startService({
      ...process.env,
      AWS_REGION: region,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoUrl,
      AWS_ENDPOINT_URL_CLOUDWATCH: stack.cloudWatchUrl,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      ROUTING_TABLE: stepsRoutingTable,
      READERS_TABLE: routingReadersTableName(),
      READER_ID: readerId,
      METRICS_MODE: "put-metric-data",
      METRICS_NAMESPACE: metricsNamespace,
      METRICS_FLUSH_MS: "1000",
      FREEZE_WAIT_MS: "200",
    }));
    await until("the service's reader is live", async () => (await liveReaderIds(stack.dynamo)).includes(readerId));
    // It serves the imported tenants' existing orders where they already were.
    expect(await listed(mover)).toEqual(existingOrders.get(mover));
  });

  it("5-6. migrates a tenant pool to pool while a client writes through the service: every acknowledged order at the target, co-tenants unchanged", async () => {
    const coTenantsBefore = await Promise.all(coTenants.map((id) => digest(pools.first, id)));
    client = new OrderClient(base, mover, existingOrders.get(mover)!);
    client.start();
    await until("the client writes", () => client!.writesTo(pools.first) >= 20);
    const atSource = client.writesTo(pools.first);
    const { data } = await requestMigration(
      ctx,
      migrationInput.parse({ tenantId: mover, target: "pool-2", copyRatePerSec: 0, idempotencyKey: randomUUID() }),
      roomyTargets,
    );
    const operation = await waitForOperation(catalog.db, data.operationId, 120_000);
    expect(operation.error).toBeNull();
    expect(operation.status).toBe("succeeded");
    // Not vacuous: the service wrote at the source while the tenant was being moved.
    expect(client.writesTo(pools.first)).toBeGreaterThan(atSource);
    // The installed library kept the move's write journal: the freeze read only the keys it named.
    expect(parseSteps(operation.steps).find((step) => step.name === "freeze")!.output!.journaled).toEqual(
      expect.objectContaining({ keys: expect.any(Number) }),
    );
    const atTarget = client.writesTo(pools.second);
    await until("the client writes at the target", () => client!.writesTo(pools.second) >= atTarget + 20);
    await client.stop();
    expect(client.unexpected).toEqual([]);

    const expected = await expectEveryAcknowledgedOrder(client, pools.second);
    expect(await getRoutingRecord(stack.dynamo, mover, stepsRoutingTable)).toMatchObject({
      status: "active",
      writeFrozen: false,
      keyScheme: scheme,
      placement: { storageInstanceId: "pool-2", tableName: pools.second },
    });
    expect(await catalog.db.tenant.findUniqueOrThrow({ where: { id: mover } })).toMatchObject({ storageInstanceId: "pool-2" });
    expect(await Promise.all(coTenants.map((id) => digest(pools.first, id)))).toEqual(coTenantsBefore);
    expect(await listed(mover)).toEqual(new Map([...expected].map(([orderId, { total }]) => [orderId, total])));
    moved = await digest(pools.second, mover);
  });

  it("7. passes the integration check on the moved tenant while the service writes for it, which then writes again", async () => {
    // The service publishes its metrics every second: the check reads what the console reads.
    const now = Date.now();
    await until("the console sees the service's metrics of the tenant at its new instance", async () => {
      const read = await stack.deps.metrics.read(
        [
          {
            key: "requests",
            metricName: tenantMetrics.requests.name,
            stat: "Sum",
            dimensions: { [dimensionTenant]: mover, [dimensionInstance]: "pool-2" },
          },
        ],
        { startMs: now - 15 * 60_000, endMs: Date.now() },
        60,
      );
      return (read.series.get("requests")?.values.length ?? 0) > 0;
    });
    client!.start();
    const { data } = await requestIntegrationCheck(ctx, integrationCheckInput.parse({ tenantId: mover, idempotencyKey: randomUUID() }));
    const operation = await waitForOperation(catalog.db, data.operationId, 60_000);
    expect(operation.error).toBeNull();
    const checklist = await latestIntegrationCheck(catalog.db, mover);
    expect(checklist?.items.map((item) => [item.name, item.state])).toEqual([
      ["metrics", "passed"],
      ["readers", "passed"],
      ["freeze", "passed"],
      ["unfreeze", "passed"],
    ]);
    expect(checklist!.items[1]!.detail).toContain(readerId);
    const afterCheck = client!.writesTo(pools.second);
    await until("the client writes after the check", () => client!.writesTo(pools.second) >= afterCheck + 10);
    await client!.stop();
    expect(client!.unexpected).toEqual([]);
    await expectEveryAcknowledgedOrder(client!, pools.second);
    moved = await digest(pools.second, mover);
  });

  it("7. restores one of its tenants in place from a backup while the service runs: the backup's items, co-tenants unchanged, writes again", async () => {
    const [tenantId, neighbour] = coTenants as [string, string];
    // Orders the service wrote (stamped) besides those the tenant had before the console.
    for (let n = 0; n < 5; n++) await postAcknowledged(tenantId, `s${n}`, 10 + n);
    const neighbourBefore = await digest(pools.first, neighbour);
    const { data } = await queueBackup(
      ctx,
      backupInput.parse({ storageInstanceId: "pool-1", strategy: "per_tenant", idempotencyKey: randomUUID() }),
    );
    const backup = await waitForOperation(catalog.db, data.operationId, 60_000);
    expect(backup.error).toBeNull();
    const backedUp = await digest(pools.first, tenantId);
    const held = await catalog.db.backupTenant.findMany({ where: { backupId: backup.id }, orderBy: { tenantId: "asc" } });
    expect(held.map((t) => [t.tenantId, t.items])).toEqual([
      [tenantId, existingOrders.get(tenantId)!.size + 5],
      [neighbour, existingOrders.get(neighbour)!.size],
    ]);

    // After the backup, the tenant changes orders (existing and the service's) and adds some.
    await postAcknowledged(tenantId, "e0000", 9_999);
    await postAcknowledged(tenantId, "s0", 9_999);
    for (let n = 0; n < 5; n++) await postAcknowledged(tenantId, `later${n}`, n);
    expect(await digest(pools.first, tenantId)).not.toEqual(backedUp);

    const restore = async (mode: "dry_run" | "in_place", dryRunId?: string) => {
      const { data: queued } = await requestRestore(
        ctx,
        restoreInput.parse({ tenantId, backupId: backup.id, mode, dryRunId, idempotencyKey: randomUUID() }),
      );
      return waitForOperation(catalog.db, queued.operationId, 60_000);
    };
    const dryRun = await restore("dry_run");
    expect(dryRun.error).toBeNull();
    // The dry run finds the two changed orders and the five new ones, and changes nothing.
    expect(parseSteps(dryRun.steps).find((step) => step.name === "compare")?.output).toMatchObject({ add: 0, change: 2, remove: 5 });
    expect(await digest(pools.first, tenantId)).not.toEqual(backedUp);
    const restored = await restore("in_place", dryRun.id);
    expect(restored.error).toBeNull();
    expect(restored.status).toBe("succeeded");
    expect(await digest(pools.first, tenantId)).toEqual(backedUp);
    expect(await digest(pools.first, neighbour)).toEqual(neighbourBefore);
    expect(await digest(pools.second, mover)).toEqual(moved);
    expect(await getRoutingRecord(stack.dynamo, tenantId, stepsRoutingTable)).toMatchObject({ writeFrozen: false, status: "active" });

    // The service writes for it again, and lists the backup's orders plus the new one.
    const after = await postAcknowledged(tenantId, "after-restore", 1);
    expect(after.table).toBe(pools.first);
    const orders = await listed(tenantId);
    expect(orders.get("e0000")).toBe(existingOrders.get(tenantId)!.get("e0000"));
    expect(orders.get("s0")).toBe(10);
    expect(orders.has("later0")).toBe(false);
    expect(orders.get("after-restore")).toBe(1);
    expect(orders.size).toBe(existingOrders.get(tenantId)!.size + 6);
  });
});
