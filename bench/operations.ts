// Operations: wall time of onboarding (pool and silo) and of a plan change,
// from the request being queued to the operation's success, with one worker,
// on embedded PGlite and on PostgreSQL 15 when it is reachable; and the
// engine's own cost per step (an operation whose steps do nothing).
import { randomUUID } from "node:crypto";
import { generateFleet } from "../prisma/demo-fleet";
import { seedCatalog } from "../prisma/seed-catalog";
import type { ActionContext } from "../lib/auth/action-context";
import { testDatabases } from "../lib/db/__tests__/databases";
import { onboardingInput, requestOnboarding } from "../lib/onboarding/requests";
import { planChangeInput, requestPlanChange } from "../lib/throttling/requests";
import { startOperationStack } from "../local/operation-stack";
import { percentile, report } from "./stats";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_REGION ??= "us-east-1";
const rounds = 7;

async function untilDone(db: ActionContext["db"], id: string): Promise<number> {
  for (;;) {
    const operation = await db.operation.findUniqueOrThrow({ where: { id }, select: { status: true, finishedAt: true, createdAt: true } });
    if (operation.status === "succeeded") return operation.finishedAt!.getTime() - operation.createdAt.getTime();
    if (operation.status === "failed" || operation.status === "cancelled") throw new Error(`operation ${id} ${operation.status}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const target of testDatabases) {
  let database;
  try {
    database = await target.start();
  } catch (error) {
    console.log(`# ${target.name} skipped: ${(error as Error).message.split("\n")[0]}`);
    continue;
  }
  const { db } = database;
  await seedCatalog(db, generateFleet());
  const stack = await startOperationStack(db, {
    routingTable: "bench-routing",
    metricsNamespace: "BenchOperations",
    routingPropagationMs: 5_000,
  });
  const user = await db.user.findFirstOrThrow({ where: { role: "operator" } });
  const ctx: ActionContext = { db, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
  try {
    for (const [model, tier] of [
      ["pool", "standard"],
      ["silo", "premium"],
    ] as const) {
      const walls: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const started = performance.now();
        const { data } = await requestOnboarding(
          ctx,
          onboardingInput.parse({
            name: `Bench ${model} ${i}`,
            id: `bench-${model}-${i}`,
            tier,
            region: "us-east-1",
            contactEmail: "bench@example.com",
            idempotencyKey: randomUUID(),
          }),
        );
        await untilDone(db, data.operationId);
        walls.push(performance.now() - started);
      }
      report(`onboarding-${model}-wall-p50-${target.name}`, percentile(walls, 50), "ms");
      report(`onboarding-${model}-wall-p95-${target.name}`, percentile(walls, 95), "ms");
    }
    // A plan change includes waiting out the data plane's 5 s routing cache, so every reader enforces the new limits when it succeeds.
    const planWalls: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const { data } = await requestPlanChange(
        ctx,
        planChangeInput.parse({ tenantId: `bench-pool-${i}`, planId: "restricted", confirmLowering: true, idempotencyKey: randomUUID() }),
      );
      await untilDone(db, data.operationId);
      planWalls.push(performance.now() - started);
    }
    report(`plan-change-wall-p50-${target.name}`, percentile(planWalls, 50), "ms");
  } finally {
    await stack.stop();
    await database.stop();
  }
}
