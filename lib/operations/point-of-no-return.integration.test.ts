// What the engine does when an operation cannot go on, on PGlite and
// PostgreSQL 15: before its point of no return it is undone and failed; from
// it on it is never undone but stops as needs_attention, holding its tenant,
// until a retry finishes it. A worker's death is not a failure: only a step
// that keeps losing its workers stops the operation. While a step holds a
// freeze, the lease is short. Runners run in this process; a worker's death
// is its lease taken away mid-step (as when it expires after a SIGKILL: the
// dead runner's next write is refused and it stops), so every test is
// deterministic; real SIGKILLs are in engine.integration.test.ts.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { SignedInUser } from "../auth/action-context";
import { testDatabases, type TestDatabase } from "../db/__tests__/databases";
import { defineStep, parseSteps, StepFailure, type OperationDefinition } from "./definition";
import { operationDeps } from "./deps";
import { enqueueOperation, retryOperation } from "./queue";
import { OperationRunner } from "./runner";

const parameters = z.object({ label: z.string() });
type Parameters = z.infer<typeof parameters>;

/** What the test makes each step do on its next run, and what the steps and the compensation did. */
interface Script {
  failIn: Set<string>;
  gate?: { step: string; reached: () => void; opened: Promise<void> };
  runs: string[];
  compensations: number;
  leaseLeftMs: Record<string, number>;
}

function fixture(script: Script, db: () => TestDatabase["db"]): OperationDefinition<Parameters> {
  const step = (name: string, holdsFreeze = false) =>
    defineStep({
      name,
      label: `Step ${name}`,
      changesTenant: name !== "prepare",
      holdsFreeze,
      output: z.object({ step: z.string() }),
      async run({ operation }) {
        script.runs.push(name);
        const [lease] = await db().$queryRaw<{ left: number }[]>`
          SELECT (EXTRACT(EPOCH FROM ("leaseExpiresAt" - now())) * 1000)::float8 AS left FROM "Operation" WHERE id = ${operation.id}`;
        script.leaseLeftMs[name] = lease!.left;
        if (script.gate?.step === name) {
          script.gate.reached();
          await script.gate.opened;
        }
        if (script.failIn.has(name)) throw new StepFailure(`step ${name} failed as the test asked`);
        return { output: { step: name } };
      },
    });
  return {
    kind: "onboard",
    parameters,
    describe: (p) => p.label,
    steps: [step("prepare"), step("work"), step("switch", true), step("finish")],
    pointOfNoReturn: "switch",
    async compensate() {
      script.compensations++;
      return { detail: "undone" };
    },
  };
}

function gate(step: string) {
  let reached!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { gate: { step, reached, opened }, arrived, open };
}

describe.each(testDatabases)("an operation that cannot go on, on $name", ({ start }) => {
  let catalog: TestDatabase;
  let operator: SignedInUser;
  let tenants: string[];
  let script: Script;
  let definition: OperationDefinition<unknown>;
  const maxAttempts = 3;
  const frozenLeaseMs = 3_000;

  beforeAll(async () => {
    catalog = await start();
    await seedCatalog(catalog.db);
    const user = await catalog.db.user.findFirstOrThrow({ where: { role: "operator" } });
    operator = { id: user.id, email: user.email, name: user.name, role: user.role };
    tenants = (await catalog.db.tenant.findMany({ where: { status: "active" }, take: 8, orderBy: { id: "asc" } })).map((t) => t.id);
  });

  afterAll(async () => {
    await catalog?.stop();
  });

  const fresh = () => {
    script = { failIn: new Set(), runs: [], compensations: 0, leaseLeftMs: {} };
    definition = fixture(script, () => catalog.db) as OperationDefinition<unknown>;
  };

  const runner = (workerId: string) => {
    const deps = operationDeps({
      db: catalog.db,
      dynamoDb: () => ({}) as DynamoDBClient,
      routingTable: "unused",
      routingRegion: "us-east-1",
    });
    return new OperationRunner(deps, { onboard: definition }, { workerId, leaseMs: 60_000, frozenLeaseMs, maxAttempts });
  };

  /** One worker's turn: claims the operation and runs it until it ends, stops or loses its lease. */
  const turn = async (workerId: string) => {
    const worker = runner(workerId);
    const id = await worker.claim();
    if (!id) throw new Error("nothing to claim");
    return worker.run(id, new AbortController().signal);
  };

  /** A worker that dies in `step`: its lease is taken away while the step runs (and, as after a SIGKILL, has expired). */
  const dieIn = async (workerId: string, step: string, operationId: string) => {
    const { gate: g, arrived, open } = gate(step);
    script.gate = g;
    const running = turn(workerId);
    await arrived;
    await catalog.db.operation.update({
      where: { id: operationId },
      data: { leaseOwner: `${workerId} (dead)`, leaseExpiresAt: new Date(0) },
    });
    open();
    expect(await running).toBe("lost");
    script.gate = undefined;
  };

  const queue = async (tenant: string, key: string) =>
    (
      await enqueueOperation(catalog.db, definition, {
        kind: "onboard",
        tenantId: tenant,
        parameters: { label: key },
        idempotencyKey: key,
        user: operator,
        action: "test.fixture",
        target: { type: "tenant", id: tenant },
      })
    ).operation.id;

  const row = (id: string) => catalog.db.operation.findUniqueOrThrow({ where: { id } });
  const statuses = async (id: string) => parseSteps((await row(id)).steps).map((s) => s.status);

  it("undoes and fails an operation whose step fails before its point of no return; a retry starts over", async () => {
    fresh();
    const id = await queue(tenants[0]!, "before-point");
    script.failIn.add("work");
    expect(await turn("w1")).toBe("failed");
    expect(script.compensations).toBe(1);
    const failed = await row(id);
    expect(failed.status).toBe("failed");
    expect(failed.activeTenantId).toBeNull();
    expect(failed.error).toMatch(/step work failed as the test asked\nundone/);

    script.failIn.clear();
    script.runs = [];
    await retryOperation(catalog.db, { onboard: definition }, id, operator);
    expect(await turn("w2")).toBe("succeeded");
    expect(script.runs).toEqual(["prepare", "work", "switch", "finish"]);
  });

  it("never undoes an operation whose step fails at or after its point of no return: it needs attention, holds its tenant, and a retry finishes it", async () => {
    fresh();
    const id = await queue(tenants[1]!, "after-point");
    script.failIn.add("finish");
    expect(await turn("w1")).toBe("needs_attention");
    expect(script.compensations).toBe(0);
    const stopped = await row(id);
    expect(stopped.status).toBe("needs_attention");
    expect(stopped.activeTenantId).toBe(tenants[1]);
    expect(stopped.leaseOwner).toBeNull();
    expect(stopped.error).toMatch(/past its point of no return, so it was not undone/);
    expect(stopped.error).toMatch(/Retry resumes at "Step finish"/);
    expect(await statuses(id)).toEqual(["done", "done", "done", "failed"]);
    // Nothing else starts on the tenant meanwhile, and no worker picks the operation up by itself.
    await expect(queue(tenants[1]!, "after-point-other")).rejects.toThrow(/already has an operation in progress/);
    expect(await runner("idle").claim()).toBeNull();
    expect(
      await catalog.db.auditEntry.count({ where: { operationId: id, outcome: "failed", detail: { startsWith: "needs attention" } } }),
    ).toBe(1);

    script.failIn.clear();
    script.runs = [];
    await retryOperation(catalog.db, { onboard: definition }, id, operator);
    expect(await turn("w2")).toBe("succeeded");
    expect(script.runs).toEqual(["finish"]);
    expect(script.compensations).toBe(0);
    expect((await row(id)).activeTenantId).toBeNull();
  });

  it("counts workers' deaths per step: deaths spread over the steps never stop the operation", async () => {
    fresh();
    const id = await queue(tenants[2]!, "spread-deaths");
    // maxAttempts - 1 deaths in each step (the last of each as the step before it completes): 8 in all, against a limit of 3.
    const steps = ["prepare", "work", "switch", "finish"];
    let deaths = 0;
    for (const [index, step] of steps.entries()) {
      const more = index === 0 ? maxAttempts - 1 : maxAttempts - 2;
      for (let death = 1; death <= more; death++, deaths++) await dieIn(`w-${step}-${death}`, step, id);
      const next = steps[index + 1];
      if (next) {
        await dieIn(`w-${step}-passes`, next, id); // completes this step, dies as the next begins
        deaths++;
      }
    }
    expect(deaths).toBeGreaterThan(maxAttempts * 2);
    expect(await turn("w-last")).toBe("succeeded");
    expect(script.compensations).toBe(0);
    expect((await row(id)).attempts).toBe(1);
  });

  it("stops a step that keeps losing its workers: undone before the point of no return, needs attention from it on", async () => {
    fresh();
    const before = await queue(tenants[3]!, "deaths-before");
    for (let death = 1; death <= maxAttempts; death++) await dieIn(`b${death}`, "work", before);
    expect(await turn("b-next")).toBe("failed");
    expect(script.compensations).toBe(1);
    expect((await row(before)).error).toMatch(/stopped after 3 claims in step "Step work": the worker running it died each time/);
    expect(await statuses(before)).toEqual(["done", "failed", "pending", "pending"]);

    fresh();
    const after = await queue(tenants[4]!, "deaths-after");
    for (let death = 1; death <= maxAttempts; death++) await dieIn(`a${death}`, "switch", after);
    expect(await turn("a-next")).toBe("needs_attention");
    expect(script.compensations).toBe(0);
    const stopped = await row(after);
    expect(stopped.error).toMatch(/stopped after 3 claims in step "Step switch"[\s\S]*Retry resumes at "Step switch"/);
    // The interrupted step is shown as failed, not as still running.
    expect(await statuses(after)).toEqual(["done", "done", "failed", "pending"]);
    await retryOperation(catalog.db, { onboard: definition }, after, operator);
    expect(await turn("a-retry")).toBe("succeeded");
  });

  it("does not count a graceful stop as a death", async () => {
    fresh();
    const id = await queue(tenants[5]!, "graceful");
    const { gate: g, arrived, open } = gate("work");
    script.gate = g;
    const worker = runner("stopping");
    const claimed = await worker.claim();
    expect(claimed).toBe(id);
    const stop = new AbortController();
    const running = worker.run(id, stop.signal);
    await arrived;
    stop.abort();
    open();
    expect(await running).toBe("stopped");
    const handedBack = await row(id);
    expect(handedBack.attempts).toBe(0);
    expect(handedBack.leaseOwner).toBeNull();
    script.gate = undefined;
    expect(await turn("next")).toBe("succeeded");
  });

  it("holds a short lease while a step holds the tenant's writes frozen, the long one otherwise", async () => {
    fresh();
    await queue(tenants[6]!, "lease");
    expect(await turn("w1")).toBe("succeeded");
    expect(script.leaseLeftMs.switch).toBeLessThanOrEqual(frozenLeaseMs);
    for (const step of ["prepare", "work", "finish"]) expect(script.leaseLeftMs[step]).toBeGreaterThan(frozenLeaseMs * 3);
  });
});
