import { describe, expect, it } from "vitest";
import { TenantUnavailableError } from "../data-plane/errors";
import { routingContentFor, routingRecordSchema, sameRouting } from "./record";

const catalogTenant = (status: "active" | "suspended" | "migrating", suspendedReason: string | null) => ({
  id: "acme",
  status,
  deploymentModel: "pool" as const,
  keyPrefix: "acme#",
  suspendedReason,
  bridgeEntity: null,
  plan: { ratePerSec: 100, burst: 200, quotaPerDay: 1_000_000 },
  storageInstance: { id: "pool-a", tableName: "tsc-pool-a", region: "us-east-1" },
  bridgeInstance: null,
});

describe("the routing record's suspension reason", () => {
  it("is published while the catalog says suspended, and only then", () => {
    expect(routingContentFor(catalogTenant("suspended", "unpaid invoice"))).toMatchObject({
      status: "suspended",
      suspendedReason: "unpaid invoice",
    });
    // A reason left in the catalog of a tenant that is not suspended is not published.
    expect(routingContentFor(catalogTenant("active", "unpaid invoice"))?.suspendedReason).toBeNull();
  });

  it("is part of what makes two records differ (a new reason is a new version)", () => {
    const a = routingContentFor(catalogTenant("suspended", "unpaid invoice"))!;
    const b = routingContentFor(catalogTenant("suspended", "abuse report"))!;
    expect(sameRouting(a, b)).toBe(false);
    expect(sameRouting(a, { ...b, suspendedReason: "unpaid invoice" })).toBe(true);
  });

  it("reads as null in records written before it existed", () => {
    const { suspendedReason: _, ...content } = routingContentFor(catalogTenant("active", null))!;
    const record = routingRecordSchema.parse({ ...content, version: 3, updatedAt: "2026-12-01T00:00:00.000Z" });
    expect(record.suspendedReason).toBeNull();
  });

  it("reaches the data plane's refusal: its reason field and its message", () => {
    const error = new TenantUnavailableError("acme", "suspended", "unpaid invoice");
    expect(error).toMatchObject({ status: "suspended", reason: "unpaid invoice", retryable: false });
    expect(error.message).toBe("tenant acme is suspended: unpaid invoice");
    expect(new TenantUnavailableError("acme", "offboarded").message).toBe("tenant acme is offboarded");
    expect(new TenantUnavailableError("acme", "offboarded").reason).toBeNull();
  });
});
