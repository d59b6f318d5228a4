// The operations engine against PGlite and PostgreSQL 15: duplicate and
// conflicting submissions, a worker SIGKILLed in the middle of a step and
// resumed by another, several workers sharing one queue.
import { spawn, type ChildProcess } from "node:child_process";
import type { Server } from "node:http";
import path from "node:path";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFleet } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import { ActionRefusal, type SignedInUser } from "../auth/action-context";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import { ensureTenantTable } from "../storage/tenant-tables";
import { parseSteps, type OperationDefinition } from "./definition";
import { cancelOperation, enqueueOperation, retryOperation } from "./queue";
import { fixtureOperation, fixtureTable } from "./__tests__/fixture-kind";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const fixtureWorker = path.resolve(import.meta.dirname, "__tests__/fixture-worker.ts");
let server: Server;
let dynamoUrl: string;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  dynamoUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  dynamo = new DynamoDBClient({
    endpoint: dynamoUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTenantTable(dynamo, fixtureTable, { capacityMode: "on_demand", readUnitsPerSec: 1000, writeUnitsPerSec: 1000 });
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/**
 * A fixture worker in its own process. Its lease is long unless the test kills it: a live worker's lease only lapses when
 * the machine is too busy for it to renew in time, and that must not hand its operation to another worker here.
 */
function startFixtureWorker(databaseUrl: string, id: string, leaseMs = 60_000): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", fixtureWorker], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      FIXTURE_DYNAMODB_URL: dynamoUrl,
      FIXTURE_WORKER_ID: id,
      FIXTURE_LEASE_MS: String(leaseMs),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("worker ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`fixture worker exited with ${code}`)));
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runs(operationId: string, step: string): Promise<number> {
  const { Item } = await dynamo.send(
    new GetItemCommand({ TableName: fixtureTable, Key: { pk: { S: operationId }, sk: { S: step } }, ConsistentRead: true }),
  );
  return Number(Item?.runs?.N ?? 0);
}

const fixture = fixtureOperation as OperationDefinition<unknown>;

describe.each(testDatabases)("operations engine on $name", ({ start }) => {
  let catalog: TestDatabase;
  let operator: SignedInUser;
  const tenants = generateFleet()
    .tenants.filter((t) => t.status === "active")
    .slice(0, 6)
    .map((t) => t.id);

  beforeAll(async () => {
    catalog = await start();
    await seedCatalog(catalog.db);
    const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
    operator = { id: user.id, email: user.email, name: user.name, role: user.role };
  });

  afterAll(async () => {
    await catalog?.stop();
  });

  const request = (tenantId: string, key: string, units = 5, unitMs = 0) => ({
    kind: "onboard" as const,
    tenantId,
    parameters: { label: `fixture for ${tenantId}`, units, unitMs },
    idempotencyKey: key,
    user: operator,
    action: "test.fixture",
    target: { type: "tenant", id: tenantId },
  });

  it("queues one operation for a double submission, and refuses a second one for a busy tenant", async () => {
    const [first, second] = await Promise.all([
      enqueueOperation(catalog.db, fixture, request(tenants[0]!, "key-double")),
      enqueueOperation(catalog.db, fixture, request(tenants[0]!, "key-double")),
    ]);
    expect(first.operation.id).toBe(second.operation.id);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    expect(await catalog.db.operation.count({ where: { tenantId: tenants[0] } })).toBe(1);
    expect(await catalog.db.auditEntry.count({ where: { operationId: first.operation.id, action: "test.fixture" } })).toBe(1);

    const conflict = enqueueOperation(catalog.db, fixture, request(tenants[0]!, "key-other"));
    await expect(conflict).rejects.toBeInstanceOf(ActionRefusal);
    await expect(conflict).rejects.toThrow(new RegExp(`already has an operation in progress: .*${first.operation.id}`));

    // Racing requests for one tenant with different keys: exactly one wins.
    const raced = await Promise.allSettled([
      enqueueOperation(catalog.db, fixture, request(tenants[1]!, "race-a")),
      enqueueOperation(catalog.db, fixture, request(tenants[1]!, "race-b")),
    ]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(raced.find((r) => r.status === "rejected")?.reason).toBeInstanceOf(ActionRefusal);

    // Cancelled before any step ran: the tenant is free again.
    await cancelOperation(catalog.db, { onboard: fixture }, first.operation.id, operator);
    const again = await enqueueOperation(catalog.db, fixture, request(tenants[0]!, "key-after-cancel"));
    expect(again.duplicate).toBe(false);
    await catalog.db.operation.deleteMany({ where: { tenantId: { in: [tenants[0]!, tenants[1]!] } } });
  });

  it("resumes a SIGKILLed worker's operation from its last completed step; no completed step runs again", async () => {
    const { operation } = await enqueueOperation(catalog.db, fixture, request(tenants[2]!, "crash", 40, 50));
    // Killed, so the successor claims its operation once this (short) lease has expired. Long enough that a starved
    // renewal on a busy machine does not lapse it before the kill (the doomed worker would then claim and run the step
    // again itself).
    const first = await startFixtureWorker(catalog.url, "doomed", 6_000);
    await until("the work step to be part-way", async () => {
      const row = await catalog.db.operation.findUniqueOrThrow({ where: { id: operation.id } });
      const work = parseSteps(row.steps).find((s) => s.name === "work");
      return work?.status === "running" && (work.progress ?? 0) >= 0.25;
    });
    await stopChild(first, "SIGKILL");
    const killed = await catalog.db.operation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(killed.status).toBe("running");
    expect(killed.leaseOwner).toBe("doomed");

    const second = await startFixtureWorker(catalog.url, "successor");
    try {
      const done = await until("the operation to succeed", async () => {
        const row = await catalog.db.operation.findUniqueOrThrow({ where: { id: operation.id } });
        return row.status === "succeeded" ? row : null;
      });
      expect(done.attempts).toBe(1); // claims of the step in progress: the successor's, once it completed a step
      expect(done.activeTenantId).toBeNull();
      expect(done.progress).toBe(1);
      expect(parseSteps(done.steps).map((s) => s.status)).toEqual(["done", "done", "done"]);
      // prepare finished before the kill and was not run again; work was interrupted and ran twice; finish once.
      expect([await runs(operation.id, "prepare"), await runs(operation.id, "work"), await runs(operation.id, "finish")]).toEqual([
        1, 2, 1,
      ]);
      // Each step's catalog effect was applied exactly once, the interrupted one included.
      for (const step of ["prepare", "work", "finish"]) {
        expect(await catalog.db.auditEntry.count({ where: { targetId: operation.id, action: `fixture.${step}` } })).toBe(1);
      }
      expect(
        await catalog.db.auditEntry.count({ where: { operationId: operation.id, action: "operations.onboard", outcome: "succeeded" } }),
      ).toBe(1);
    } finally {
      await stopChild(second, "SIGTERM");
    }
  });

  it("shares one queue between two workers: every operation runs once", async () => {
    const queued = await Promise.all(
      tenants.slice(3, 6).map((tenant, i) => enqueueOperation(catalog.db, fixture, request(tenant, `shared-${i}`, 4, 20))),
    );
    const workers = await Promise.all([startFixtureWorker(catalog.url, "w1"), startFixtureWorker(catalog.url, "w2")]);
    try {
      const ids = queued.map((q) => q.operation.id);
      await until(
        "all three to succeed",
        async () => (await catalog.db.operation.count({ where: { id: { in: ids }, status: "succeeded" } })) === 3,
      );
      for (const id of ids) {
        expect([await runs(id, "prepare"), await runs(id, "work"), await runs(id, "finish")]).toEqual([1, 1, 1]);
      }
    } finally {
      await Promise.all(workers.map((w) => stopChild(w, "SIGTERM")));
    }
  });

  it("retries a failed operation from where it failed, and refuses to cancel one that changed the tenant", async () => {
    const { operation } = await enqueueOperation(catalog.db, fixture, request(tenants[2]!, "retry"));
    // Fail it as a worker would after the tenant-changing step started.
    const steps = parseSteps(operation.steps).map((s) =>
      s.name === "prepare" ? { ...s, status: "done" as const } : s.name === "work" ? { ...s, status: "failed" as const } : s,
    );
    await catalog.db.operation.update({
      where: { id: operation.id },
      data: { status: "failed", error: "boom", activeTenantId: null, steps: steps as never },
    });
    await expect(cancelOperation(catalog.db, { onboard: fixture }, operation.id, operator)).rejects.toThrow(
      /cannot be cancelled: its step "work"/,
    );
    const retried = await retryOperation(catalog.db, { onboard: fixture }, operation.id, operator);
    expect(retried.status).toBe("queued");
    expect(retried.activeTenantId).toBe(tenants[2]);
    const worker = await startFixtureWorker(catalog.url, "retrier");
    try {
      await until(
        "the retried operation to succeed",
        async () => (await catalog.db.operation.findUniqueOrThrow({ where: { id: operation.id } })).status === "succeeded",
      );
      expect([await runs(operation.id, "prepare"), await runs(operation.id, "work"), await runs(operation.id, "finish")]).toEqual([
        0, 1, 1,
      ]);
    } finally {
      await stopChild(worker, "SIGTERM");
    }
  });
});
