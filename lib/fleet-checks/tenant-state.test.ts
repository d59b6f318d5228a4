import { describe, expect, it } from "vitest";
import type { RoutingRecord } from "../routing/record";
import { checkTenantState, type CatalogTenantState } from "./tenant-state";
import { defaultKeyScheme } from "../storage/key-scheme";

const tenant = (change: Partial<CatalogTenantState> = {}): CatalogTenantState => ({
  id: "acme",
  status: "active",
  deploymentModel: "pool",
  storageInstanceId: "pool-a",
  bridgeInstanceId: null,
  bridgeEntity: null,
  keyPrefix: "acme#",
  ...change,
});

const routing = (change: Partial<RoutingRecord> = {}): RoutingRecord => ({
  tenantId: "acme",
  version: 4,
  status: "active",
  deploymentModel: "pool",
  keyPrefix: "acme#",
  keyScheme: defaultKeyScheme,
  placement: { storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1" },
  bridge: null,
  ratePerSec: 100,
  burst: 200,
  quotaPerDay: 1_000_000,
  writeFrozen: false,
  frozenSince: null,
  suspendedReason: null,
  journal: null,
  updatedAt: "2026-12-01T12:00:00.000Z",
  ...change,
});

const known = new Set(["pool-a", "pool-b", "silo-acme"]);
const failedRestore = { id: "op1", kind: "restore", status: "failed" };
const check = (t: CatalogTenantState, r: RoutingRecord | null, options: { heldBy?: string; last?: typeof failedRestore | null } = {}) =>
  checkTenantState({
    tenant: t,
    routing: r,
    heldBy: options.heldBy ?? null,
    knownInstances: known,
    last: options.last === undefined ? failedRestore : options.last,
  });

describe("catalog against routing", () => {
  it("agrees when both say active in the same place", () => {
    expect(check(tenant(), routing())).toEqual({ verdict: "agrees" });
    expect(check(tenant({ status: "suspended" }), routing({ status: "suspended" }))).toEqual({ verdict: "agrees" });
  });

  it("says nothing while an operation holds the tenant, whatever they say", () => {
    expect(check(tenant({ status: "restoring" }), routing({ writeFrozen: true, status: "restoring" }), { heldBy: "op9" })).toEqual({
      verdict: "held",
      operationId: "op9",
    });
  });

  it("lets the catalog follow routing when routing is active and unfrozen (a failed compensation left it restoring)", () => {
    const verdict = check(tenant({ status: "restoring" }), routing());
    expect(verdict).toMatchObject({
      verdict: "repairable",
      repair: { kind: "followRouting", catalog: { status: "active", storageInstanceId: "pool-a", deploymentModel: "pool" } },
    });
    expect(verdict.verdict === "repairable" && verdict.problem).toMatch(
      /catalog says restoring in pool-a, routing says active in pool-a.*restore op1, failed/,
    );
  });

  it("moves the catalog's placement to where routing switched it (a cut-over whose checkpoint never came)", () => {
    expect(
      check(
        tenant({ status: "migrating" }),
        routing({
          placement: { storageInstanceId: "silo-acme", tableName: "tsc-silo-acme", region: "us-east-1" },
          deploymentModel: "silo",
        }),
      ),
    ).toMatchObject({
      verdict: "repairable",
      repair: { catalog: { status: "active", storageInstanceId: "silo-acme", deploymentModel: "silo", bridgeInstanceId: null } },
    });
    expect(
      check(tenant(), routing({ placement: { storageInstanceId: "pool-b", tableName: "tsc-pool-b", region: "us-east-1" } })),
    ).toMatchObject({
      verdict: "repairable",
      repair: { catalog: { status: "active", storageInstanceId: "pool-b" } },
    });
  });

  it("asks an operator, never repairs, when routing is frozen or moving with no operation", () => {
    const frozen = check(
      tenant({ status: "restoring" }),
      routing({ status: "restoring", writeFrozen: true, frozenSince: "2026-12-01T12:00:00.000Z" }),
    );
    expect(frozen).toMatchObject({
      verdict: "needsOperator",
      remedy: { kind: "unfreeze", routingVersion: 4, catalog: { status: "active", storageInstanceId: "pool-a" } },
    });
    expect(frozen.verdict === "needsOperator" && frozen.problem).toMatch(
      /frozen since 2026-12-01T12:00:00.000Z and restoring in pool-a.*writes are refused/,
    );
    expect(check(tenant(), routing({ status: "migrating" }))).toMatchObject({ verdict: "needsOperator", remedy: { kind: "unfreeze" } });
    expect(check(tenant(), routing({ writeFrozen: true }))).toMatchObject({ verdict: "needsOperator", remedy: { kind: "unfreeze" } });
  });

  it("never points the catalog at an instance it does not know", () => {
    const elsewhere = { placement: { storageInstanceId: "pool-z", tableName: "tsc-pool-z", region: "us-east-1" } };
    expect(check(tenant({ status: "migrating" }), routing(elsewhere))).toMatchObject({
      verdict: "needsOperator",
      remedy: { kind: "investigate" },
    });
    expect(check(tenant(), routing({ ...elsewhere, writeFrozen: true }))).toMatchObject({
      verdict: "needsOperator",
      remedy: { kind: "investigate" },
    });
  });

  it("sends a half-onboarded tenant to its onboarding's retry, or to an operator when none stopped", () => {
    const stopped = { id: "op2", kind: "onboard", status: "failed" };
    expect(check(tenant({ status: "provisioning", storageInstanceId: null }), null, { last: stopped })).toMatchObject({
      verdict: "needsOperator",
      remedy: { kind: "retryOnboarding", operationId: "op2" },
    });
    expect(check(tenant({ status: "provisioning" }), routing({ status: "provisioning" }), { last: stopped })).toMatchObject({
      remedy: { kind: "retryOnboarding" },
    });
    const seeded = check(tenant({ status: "provisioning" }), routing({ status: "provisioning" }), { last: null });
    expect(seeded).toMatchObject({ verdict: "needsOperator", remedy: { kind: "investigate" } });
    expect(seeded.verdict === "needsOperator" && seeded.problem).toMatch(/none ever did/);
  });

  it("publishes the routing an active tenant lacks", () => {
    expect(check(tenant(), null)).toMatchObject({ verdict: "repairable", repair: { kind: "publish" } });
    expect(check(tenant({ status: "offboarded" }), null)).toEqual({ verdict: "agrees" });
  });

  it("publishes the catalog's suspension or resumption when it stopped before routing (the catalog is written first)", () => {
    const suspended = check(tenant({ status: "suspended", suspendedReason: "unpaid" }), routing());
    expect(suspended).toMatchObject({ verdict: "repairable", repair: { kind: "publish" } });
    expect(suspended.verdict === "repairable" && suspended.problem).toMatch(
      /^The catalog says suspended \(“unpaid”\), routing says active/,
    );
    expect(check(tenant(), routing({ status: "suspended", suspendedReason: "unpaid" }))).toMatchObject({ repair: { kind: "publish" } });
    expect(
      check(tenant({ status: "suspended", suspendedReason: "abuse" }), routing({ status: "suspended", suspendedReason: "unpaid" })),
    ).toMatchObject({
      repair: { kind: "publish" },
    });
    // Without the catalog's reason (a caller that does not read it), only the status is compared.
    expect(check(tenant({ status: "suspended" }), routing({ status: "suspended", suspendedReason: "unpaid" }))).toEqual({
      verdict: "agrees",
    });
    expect(check(tenant({ status: "suspended" }), routing(), { heldBy: "op9" })).toMatchObject({ verdict: "held" });
  });

  it("leaves a tenant offboarded on one side only to an operator", () => {
    expect(check(tenant({ status: "offboarded" }), routing())).toMatchObject({ verdict: "needsOperator", remedy: { kind: "investigate" } });
    expect(check(tenant({ status: "suspended" }), routing({ status: "offboarded" }))).toMatchObject({ verdict: "needsOperator" });
    expect(check(tenant({ status: "offboarded" }), routing({ status: "offboarded" }))).toEqual({ verdict: "agrees" });
  });
});
