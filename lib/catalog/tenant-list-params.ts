// The tenant list's URL state (search, filters, sort, page), validated on the
// server: shareable links, and a clear message for a malformed one.
import { z } from "zod";
import { singleLine } from "../validation/fields";
import { deploymentModels, slugPattern, tenantStatuses, tiers } from "./vocabulary";

export const tenantSortKeys = ["name", "id", "tier", "model", "status", "instance", "created"] as const;
export type TenantSortKey = (typeof tenantSortKeys)[number];
export const pageSizes = [25, 50, 100] as const;
/** The health column's filter: a verdict level, or "unhealthy" (degraded or critical). */
export const tenantHealthFilters = ["unhealthy", "critical", "degraded", "healthy", "no_data"] as const;
export type TenantHealthFilter = (typeof tenantHealthFilters)[number];

const fieldSchemas = {
  q: singleLine({ max: 100 }),
  tier: z.enum(tiers, { error: "Unknown tier" }),
  model: z.enum(deploymentModels, { error: "Unknown deployment model" }),
  status: z.enum(tenantStatuses, { error: "Unknown status" }),
  instance: z.string().regex(slugPattern, "Not a storage instance id"),
  health: z.enum(tenantHealthFilters, { error: "Health is unhealthy, critical, degraded, healthy or no_data" }),
  sort: z.enum(tenantSortKeys, { error: "Unknown sort column" }),
  dir: z.enum(["asc", "desc"], { error: "Sort direction is asc or desc" }),
  page: z.coerce
    .number({ error: "Page must be a number" })
    .int("Page must be a whole number")
    .min(1, "Page starts at 1")
    .max(100_000, "Page is too large"),
  size: z.coerce
    .number({ error: "Page size must be a number" })
    .refine((n) => (pageSizes as readonly number[]).includes(n), "Page size is 25, 50 or 100"),
};

export interface TenantListParams {
  q?: string;
  tier?: z.infer<typeof fieldSchemas.tier>;
  model?: z.infer<typeof fieldSchemas.model>;
  status?: z.infer<typeof fieldSchemas.status>;
  instance?: string;
  health?: TenantHealthFilter;
  sort: TenantSortKey;
  dir: "asc" | "desc";
  page: number;
  size: number;
}

export const defaultTenantListParams: TenantListParams = { sort: "name", dir: "asc", page: 1, size: 50 };

export type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Each field is validated on its own: a bad one is reported and dropped, the
 * rest still apply, so one mistyped filter does not blank the page.
 */
export function parseTenantListParams(input: SearchParams): { params: TenantListParams; errors: string[] } {
  const params: TenantListParams = { ...defaultTenantListParams };
  const errors: string[] = [];
  for (const key of Object.keys(fieldSchemas) as (keyof typeof fieldSchemas)[]) {
    const raw = input[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === "") continue;
    const result = fieldSchemas[key].safeParse(value);
    if (!result.success) {
      errors.push(`${key}: ${result.error.issues[0]?.message ?? "invalid"}`);
      continue;
    }
    if (key === "q" && result.data === "") continue;
    (params as unknown as Record<string, unknown>)[key] = result.data;
  }
  return { params, errors };
}

/** The query string for params, leaving defaults out so URLs stay short. */
export function tenantListQuery(params: TenantListParams, change: Partial<TenantListParams> = {}): string {
  const merged: Record<string, unknown> = { ...params, ...change };
  const search = new URLSearchParams();
  // A fixed key order: the same view always has the same URL.
  for (const key of Object.keys(fieldSchemas)) {
    const value = merged[key];
    if (value === undefined || value === "") continue;
    if (value === (defaultTenantListParams as unknown as Record<string, unknown>)[key]) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
