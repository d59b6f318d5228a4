import { describe, expect, it } from "vitest";
import type { TenantEstimate } from "./estimate";
import { zeroLines } from "./formulas";
import { costListQuery, pageOf, parseCostListParams, sortTenantCosts } from "./list-params";

const tenant = (id: string, projected: number, planPriceCents: number | null): TenantEstimate => ({
  id,
  name: id.toUpperCase(),
  status: "active",
  planId: "p",
  planName: "P",
  planPriceCents,
  soFar: projected / 3,
  projected,
  againstPlan: planPriceCents ? projected / (planPriceCents / 100) : null,
  soFarLines: zeroLines(),
  projectedLines: zeroLines(),
  instanceIds: [],
  measuredHours: 0,
});

describe("the cost list", () => {
  const rows = [tenant("a", 10, 1_000), tenant("b", 30, 1_000), tenant("c", 50, null), tenant("d", 6, 200)];

  it("sorts by cost against plan, the under-priced first, unpriced plans last either way", () => {
    // d: $6 / $2 = 3; b: $30 / $10 = 3 (tie: by id); a: 1; c: no price.
    expect(sortTenantCosts(rows, "againstPlan", "desc").map((t) => t.id)).toEqual(["b", "d", "a", "c"]);
    expect(sortTenantCosts(rows, "againstPlan", "asc").map((t) => t.id)).toEqual(["a", "b", "d", "c"]);
  });

  it("sorts by cost", () => {
    expect(sortTenantCosts(rows, "projected", "desc").map((t) => t.id)).toEqual(["c", "b", "a", "d"]);
  });

  it("reads and writes the URL, reporting a bad parameter and keeping the rest", () => {
    const { params, errors } = parseCostListParams({ sort: "projected", dir: "sideways", page: "2" });
    expect(params).toEqual({ sort: "projected", dir: "desc", page: 2 });
    expect(errors).toEqual(["dir: Sort direction is asc or desc"]);
    expect(costListQuery(params, { page: 1 })).toBe("?sort=projected");
    expect(pageOf(rows, 2, 3)).toMatchObject({ rows: [rows[3]], pageCount: 2, total: 4 });
  });
});
