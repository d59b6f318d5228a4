import { describe, expect, it } from "vitest";
import { findingFiltersQuery, isFiltered, parseFindingFilters } from "./finding-filters";

describe("the findings list's URL filters", () => {
  it("takes every known filter", () => {
    const { filters, errors } = parseFindingFilters({
      kind: "noisy_neighbour",
      severity: "critical",
      status: "open",
      instance: "pool-use1-02",
      tenant: "acme-logistics",
      page: "3",
    });
    expect(errors).toEqual([]);
    expect(filters).toEqual({
      kind: "noisy_neighbour",
      severity: "critical",
      status: "open",
      instance: "pool-use1-02",
      tenant: "acme-logistics",
      page: 3,
    });
  });

  it("reports a bad value with the value the link carried and ignores it, keeping the others", () => {
    const { filters, errors } = parseFindingFilters({ kind: "noisy", severity: "critical", page: "-2", tenant: "Acme Logistics!" });
    expect(filters).toEqual({ severity: "critical", page: 1 });
    expect(errors).toEqual([
      'kind: "noisy": Not a kind of finding (noisy_neighbour, instance_pressure, unfair_pool)',
      'tenant: "Acme Logistics!": Not a tenant id',
      'page: "-2": Page starts at 1',
    ]);
  });

  it("treats empty fields as unset and a repeated key by its first value", () => {
    const { filters, errors } = parseFindingFilters({ kind: "", severity: ["major", "minor"], status: "  " });
    expect(errors).toEqual([]);
    expect(filters).toEqual({ severity: "major", page: 1 });
  });

  it("cuts a long bad value short in its message", () => {
    const { errors } = parseFindingFilters({ status: "x".repeat(500) });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.length).toBeLessThan(120);
  });

  it("writes one URL per view, defaults left out", () => {
    const { filters } = parseFindingFilters({ tenant: "acme-logistics", severity: "major", page: "1" });
    expect(findingFiltersQuery(filters)).toBe("?severity=major&tenant=acme-logistics");
    expect(findingFiltersQuery(filters, { page: 2 })).toBe("?severity=major&tenant=acme-logistics&page=2");
    expect(findingFiltersQuery({ page: 1 })).toBe("");
    expect(isFiltered(filters)).toBe(true);
    expect(isFiltered({ page: 4 })).toBe(false);
  });
});
