// Adoption as a SaaS team does it: the data-plane library packed with
// `npm run data-plane:pack`, installed from the tarball into a project outside
// this repository, loaded with `require` and with `import`, and the example
// orders service (its own key scheme) run against dynalite: it writes for
// several tenants, and answers 503 with Retry-After while a tenant is frozen.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureReadersTable } from "../../lib/routing/readers";
import type { RoutingContent } from "../../lib/routing/record";
import { ensureRoutingTable, putRoutingRecord, setWriteFrozen } from "../../lib/routing/routing-table";
import { tenantKeyPrefix, type KeyScheme } from "../../lib/storage/key-scheme";

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
let service: ChildProcess | undefined;

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
  };
}

beforeAll(async () => {
  const tarball = execFileSync("npm", ["run", "--silent", "data-plane:pack"], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  project = mkdtempSync(path.join(tmpdir(), "orders-service-"));
  const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies["@tenant-storage-console/data-plane"] = `file:${tarball}`;
  writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2));
  copyFileSync(path.join(import.meta.dirname, "orders-service.mjs"), path.join(project, "orders-service.mjs"));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, stdio: "inherit" });

  dynamoServer = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, "127.0.0.1", () => resolve()));
  endpoint = `http://127.0.0.1:${(dynamoServer.address() as { port: number }).port}`;
  dynamo = new DynamoDBClient({ endpoint, region, credentials });
  await ensureRoutingTable(dynamo, routingTable);
  await ensureReadersTable(dynamo, readersTable);
  await dynamo.send(
    new CreateTableCommand({
      TableName: ordersTable,
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
  for (const tenantId of ["acme", "globex", "initech"]) await putRoutingRecord(dynamo, content(tenantId), 0, routingTable);
}, 300_000);

afterAll(async () => {
  service?.kill("SIGTERM");
  if (service && service.exitCode === null) await new Promise((resolve) => service!.once("exit", resolve));
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
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: project, env: env(), encoding: "utf8" });
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
    service = spawn(process.execPath, ["orders-service.mjs"], {
      cwd: project,
      env: { ...env(), PORT: "0", METRICS_MODE: "emf", FREEZE_WAIT_MS: "200" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      service!.once("exit", (code) => reject(new Error(`the service exited with ${code}`)));
      let buffered = "";
      service!.stdout!.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const line = buffered.split("\n").find((l) => l.includes('"listening"'));
        if (line) resolve((JSON.parse(line) as { listening: number }).listening);
      });
    });
    base = `http://127.0.0.1:${port}`;
  }, 60_000);

  const post = (tenantId: string, orderId: string, total: number) =>
    fetch(`${base}/tenants/${tenantId}/orders`, { method: "POST", body: JSON.stringify({ orderId, total }) });

  it("writes orders for several tenants, each in its own partition", async () => {
    for (const tenantId of ["acme", "globex", "initech"])
      for (let i = 0; i < 5; i++) expect((await post(tenantId, `${i}`, i * 10)).status).toBe(201);
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
