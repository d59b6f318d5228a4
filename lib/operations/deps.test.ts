import { describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { routingRecordOnly } from "../enforcement/plan-enforcement";
import { routingCacheTtlMs } from "../routing/record";
import { operationDeps } from "./deps";

const given = { db: {} as Db, dynamoDb: () => ({}) as never, routingTable: "routing", routingRegion: "eu-west-1" };

describe("operationDeps", () => {
  it("fills in the defaults", async () => {
    const deps = operationDeps(given);
    expect(deps).toMatchObject({
      ...given,
      planEnforcement: routingRecordOnly,
      routingPropagationMs: routingCacheTtlMs,
      pointInTimeRestore: false,
    });
    expect(deps.tenantDynamoDb).toBeUndefined();
    expect(deps.faultPoint).toBeUndefined();
    const before = Date.now();
    const now = deps.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    await expect(deps.backupStore.get("backups/x")).rejects.toThrow(/without a backup store/);
    await expect(deps.metrics.read([], { startMs: 0, endMs: 1 }, 60)).rejects.toThrow(/without a metrics source/);
  });

  it("keeps what it is given, and a default where it is given undefined", () => {
    const deps = operationDeps({ ...given, routingPropagationMs: 0, pointInTimeRestore: true, backupStore: undefined, now: () => 7 });
    expect(deps.routingPropagationMs).toBe(0);
    expect(deps.pointInTimeRestore).toBe(true);
    expect(deps.now()).toBe(7);
    expect(deps.backupStore.description).toBe("no backup store");
  });
});
