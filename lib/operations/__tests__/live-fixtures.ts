// What the operation tests and benchmarks share besides the fleet: waiting for
// an operation to end, and a data plane writing for some tenants (honouring
// freezes and acknowledging them as a routing reader) while they run.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Db } from "../../db/client";
import { routingReadersTableName } from "../../routing/readers";
import { DataPlane, type DataPlaneOptions } from "../../../local/workload/data-plane";
import { scenarioSchema } from "../../../local/workload/scenario";

/** The operation once it has succeeded, failed, been cancelled or stopped needing attention. */
export async function waitForOperation(db: Db, operationId: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const operation = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
    if (["succeeded", "failed", "cancelled", "needs_attention"].includes(operation.status)) return operation;
    if (Date.now() > deadline) throw new Error(`operation ${operationId} still ${operation.status} at ${operation.currentStep}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface WritingTenant {
  ratePerSec: number;
  readRatio: number;
  itemBytes: number;
  maxItems: number;
}

/**
 * Starts the real data plane ticking every 250 ms for `tenants` only; stop() waits for its last tick, settled()
 * for every write it issued so far to be acknowledged (or refused).
 */
export async function startWritingDataPlane(options: {
  dynamo: DynamoDBClient;
  routingTable: string;
  tenants: Record<string, WritingTenant>;
  seed: number;
  readerId: string;
  onWriteAcknowledged?: DataPlaneOptions["onWriteAcknowledged"];
  /** Re-read the whole routing table this often (default: the data plane's routing cache time): a shorter cache sees a tenant start moving sooner. */
  routingRefreshMs?: number;
}): Promise<{ dataPlane: DataPlane; stop(): Promise<void>; settled(): Promise<void> }> {
  const dataPlane = new DataPlane({
    dynamoDb: () => options.dynamo,
    routingTable: options.routingTable,
    scenario: scenarioSchema.parse({
      baseShareOfPlanRate: [0, 0],
      tenants: Object.fromEntries(
        Object.entries(options.tenants).map(([id, t]) => [
          id,
          { shape: { kind: "steady" }, baseRate: t.ratePerSec, readRatio: t.readRatio, itemBytes: t.itemBytes, maxItems: t.maxItems },
        ]),
      ),
    }),
    originMs: Date.now(),
    seed: options.seed,
    reader: { readerId: options.readerId, tableName: routingReadersTableName() },
    onWriteAcknowledged: options.onWriteAcknowledged,
  });
  await dataPlane.refreshRouting(Date.now(), true);
  await dataPlane.scanStoredData();
  let running = true;
  /** The tick in progress (its calls are the only writes that can be in flight). */
  let tick: Promise<unknown> = Promise.resolve();
  let refreshedAt = Date.now();
  const ticking = (async () => {
    while (running) {
      const started = Date.now();
      if (options.routingRefreshMs !== undefined && started - refreshedAt >= options.routingRefreshMs) {
        refreshedAt = started;
        await dataPlane.refreshRouting(started, true);
      }
      tick = dataPlane.tick(started, 0.25);
      await tick;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 250 - (Date.now() - started))));
    }
  })();
  return {
    dataPlane,
    async stop() {
      running = false;
      await ticking;
      await dataPlane.close();
    },
    async settled() {
      await tick;
    },
  };
}
