// The cost page's URL state (sort, direction, page) and the sorting and paging
// of the fleet estimate's tenants: validated, with defaults left out of links.
// Pure: the CSV export sorts the same way.
import { z } from "zod";
import type { TenantEstimate } from "./estimate";

export const costSortKeys = ["againstPlan", "projected", "soFar", "name", "plan"] as const;
export type CostSortKey = (typeof costSortKeys)[number];

export interface CostListParams {
  sort: CostSortKey;
  dir: "asc" | "desc";
  page: number;
}

export const costPageSize = 50;
export const defaultCostListParams: CostListParams = { sort: "againstPlan", dir: "desc", page: 1 };

const fields = {
  sort: z.enum(costSortKeys, { error: "Sort by againstPlan, projected, soFar, name or plan" }),
  dir: z.enum(["asc", "desc"], { error: "Sort direction is asc or desc" }),
  page: z.coerce.number({ error: "Page must be a number" }).int("Page must be a whole number").min(1, "Page starts at 1").max(100_000),
};

export function parseCostListParams(input: Record<string, string | string[] | undefined>): { params: CostListParams; errors: string[] } {
  const params: CostListParams = { ...defaultCostListParams };
  const errors: string[] = [];
  for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
    const raw = input[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === "") continue;
    const result = fields[key].safeParse(value);
    if (result.success) (params as unknown as Record<string, unknown>)[key] = result.data;
    else errors.push(`${key}: ${result.error.issues[0]?.message ?? "invalid"}`);
  }
  return { params, errors };
}

export function costListQuery(params: CostListParams, change: Partial<CostListParams> = {}): string {
  const merged = { ...params, ...change };
  const search = new URLSearchParams();
  for (const key of ["sort", "dir", "page"] as const) {
    if (merged[key] !== defaultCostListParams[key]) search.set(key, String(merged[key]));
  }
  const query = search.toString();
  return query ? `?${query}` : "";
}

/**
 * Sorted as asked; ties (and tenants with no priced plan, which always come last when sorting against plan) by id.
 * "Against plan" descending puts the under-priced first: the most cost for the least price.
 */
export function sortTenantCosts(rows: readonly TenantEstimate[], sort: CostSortKey, dir: "asc" | "desc"): TenantEstimate[] {
  const sign = dir === "asc" ? 1 : -1;
  const byId = (a: TenantEstimate, b: TenantEstimate) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const compare: Record<CostSortKey, (a: TenantEstimate, b: TenantEstimate) => number> = {
    againstPlan: (a, b) => sign * ((a.againstPlan ?? 0) - (b.againstPlan ?? 0)),
    projected: (a, b) => sign * (a.projected - b.projected),
    soFar: (a, b) => sign * (a.soFar - b.soFar),
    name: (a, b) => sign * a.name.localeCompare(b.name),
    plan: (a, b) => sign * a.planName.localeCompare(b.planName),
  };
  return [...rows].sort((a, b) => {
    // A tenant whose plan has no price has no ratio: last, whichever the direction.
    if (sort === "againstPlan" && (a.againstPlan === null) !== (b.againstPlan === null)) return a.againstPlan === null ? 1 : -1;
    return compare[sort](a, b) || byId(a, b);
  });
}

export function pageOf<T>(rows: readonly T[], page: number, size = costPageSize) {
  const pageCount = Math.max(1, Math.ceil(rows.length / size));
  return { rows: rows.slice((page - 1) * size, page * size), page, pageCount, total: rows.length, size };
}
