import { describe, expect, it } from "vitest";
import { defaultTenantListParams, parseTenantListParams, tenantListQuery } from "./tenant-list-params";

describe("parseTenantListParams", () => {
  it("gives the defaults for an empty query", () => {
    expect(parseTenantListParams({})).toEqual({ params: defaultTenantListParams, errors: [] });
  });

  it("accepts every valid field", () => {
    const { params, errors } = parseTenantListParams({
      q: "  acme ",
      tier: "premium",
      model: "silo",
      status: "active",
      instance: "pool-use1-01",
      health: "unhealthy",
      sort: "status",
      dir: "desc",
      page: "3",
      size: "100",
    });
    expect(errors).toEqual([]);
    expect(params).toEqual({
      q: "acme",
      tier: "premium",
      model: "silo",
      status: "active",
      instance: "pool-use1-01",
      health: "unhealthy",
      sort: "status",
      dir: "desc",
      page: 3,
      size: 100,
    });
  });

  it("reports and drops each malformed field but keeps the valid ones", () => {
    const { params, errors } = parseTenantListParams({
      tier: "platinum",
      page: "-2",
      size: "7",
      sort: "password",
      instance: "../etc",
      q: "x".repeat(101),
      status: "active",
    });
    expect(params).toEqual({ ...defaultTenantListParams, status: "active" });
    expect(errors).toHaveLength(6);
    expect(errors.join("\n")).toMatch(/tier: Unknown tier/);
    expect(errors.join("\n")).toMatch(/size: Page size is 25, 50 or 100/);
  });

  it("takes the first of repeated parameters", () => {
    expect(parseTenantListParams({ tier: ["basic", "premium"] }).params.tier).toBe("basic");
  });
});

describe("tenantListQuery", () => {
  it("leaves defaults out of the URL", () => {
    expect(tenantListQuery(defaultTenantListParams)).toBe("");
  });

  it("round-trips through the parser", () => {
    const params = { ...defaultTenantListParams, q: "Café & co", tier: "basic" as const, page: 4 };
    const query = tenantListQuery(params);
    const parsed = parseTenantListParams(Object.fromEntries(new URLSearchParams(query.slice(1))));
    expect(parsed.params).toEqual(params);
  });

  it("applies a change on top of the current params", () => {
    expect(tenantListQuery({ ...defaultTenantListParams, q: "a" }, { page: 2 })).toBe("?q=a&page=2");
  });
});

describe("the health filter", () => {
  it("takes a verdict level or unhealthy, and reports anything else (object keys included)", () => {
    expect(parseTenantListParams({ health: "critical" }).params.health).toBe("critical");
    for (const bad of ["sick", "toString", "__proto__"]) {
      const { params, errors } = parseTenantListParams({ health: bad });
      expect(params.health).toBeUndefined();
      expect(errors).toEqual(["health: Health is unhealthy, critical, degraded, healthy or no_data"]);
    }
  });

  it("keeps the filter in the list's links", () => {
    expect(tenantListQuery({ ...defaultTenantListParams, health: "unhealthy" }, { page: 2 })).toBe("?health=unhealthy&page=2");
  });
});
