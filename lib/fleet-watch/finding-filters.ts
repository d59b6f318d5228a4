// The findings list's URL state (/findings?kind=&severity=&status=&instance=&tenant=&page=),
// validated on the server: shareable links, and a clear message for a value the
// list does not know (reported and ignored, the other filters still apply).
import { z } from "zod";
import { slugPattern } from "../catalog/vocabulary";
import { FindingKind, FindingSeverity, FindingStatus } from "../generated/prisma/enums.ts";
import type { SearchParams } from "../validation/search-params";
import { clip } from "../validation/fields";

export const findingKinds = Object.values(FindingKind);
export const findingSeverities = Object.values(FindingSeverity);
export const findingStatuses = Object.values(FindingStatus);

export const findingKindLabels: Record<FindingKind, string> = {
  noisy_neighbour: "Noisy neighbour",
  instance_pressure: "Instance under pressure",
  unfair_pool: "Unfair pool",
};

export const findingStatusLabels: Record<FindingStatus, string> = { open: "Open", resolved: "Resolved" };

/** Without a status filter the list shows open findings and those resolved within this many days. */
export const recentDays = 7;
export const findingsPageSize = 50;

const fieldSchemas = {
  kind: z.enum(findingKinds, { error: `Not a kind of finding (${findingKinds.join(", ")})` }),
  severity: z.enum(findingSeverities, { error: `Not a severity (${findingSeverities.join(", ")})` }),
  status: z.enum(findingStatuses, { error: `Not a status (${findingStatuses.join(", ")})` }),
  instance: z.string().regex(slugPattern, "Not a storage instance id"),
  tenant: z.string().regex(slugPattern, "Not a tenant id"),
  page: z.coerce
    .number({ error: "Page must be a number" })
    .int("Page must be a whole number")
    .min(1, "Page starts at 1")
    .max(10_000, "Page is too large"),
};

export interface FindingFilters {
  kind?: FindingKind;
  severity?: FindingSeverity;
  /** Unset: open ones and those resolved in the last `recentDays` days. */
  status?: FindingStatus;
  instance?: string;
  tenant?: string;
  page: number;
}

const shown = (value: string) => JSON.stringify(clip(value, 40));

/**
 * Each field is validated on its own: a bad one is reported (with the value
 * the link carried) and dropped, the rest still apply.
 */
export function parseFindingFilters(input: SearchParams): { filters: FindingFilters; errors: string[] } {
  const filters: FindingFilters = { page: 1 };
  const errors: string[] = [];
  for (const key of Object.keys(fieldSchemas) as (keyof typeof fieldSchemas)[]) {
    const raw = input[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value === undefined || value === "") continue;
    const result = fieldSchemas[key].safeParse(value);
    if (!result.success) {
      errors.push(`${key}: ${shown(value)}: ${result.error.issues[0]?.message ?? "invalid"}`);
      continue;
    }
    (filters as unknown as Record<string, unknown>)[key] = result.data;
  }
  return { filters, errors };
}

/** The query string of a filtered view, leaving defaults out and keys in one order, so one view has one URL. */
export function findingFiltersQuery(filters: FindingFilters, change: Partial<FindingFilters> = {}): string {
  const merged: Record<string, unknown> = { ...filters, ...change };
  const search = new URLSearchParams();
  for (const key of Object.keys(fieldSchemas)) {
    const value = merged[key];
    if (value === undefined || value === "" || (key === "page" && value === 1)) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Whether any filter narrows the list (the page is not a filter). */
export function isFiltered(filters: FindingFilters): boolean {
  return Boolean(filters.kind || filters.severity || filters.status || filters.instance || filters.tenant);
}
