// Orders of the noisy-neighbours list, as they appear in its URL (?sort=&dir=).
import type { NoisyTenantView } from "./fleet-view";

export const noisySorts = {
  severity: "Severity",
  peak: "Peak share",
  victims: "Victims",
  recent: "Most recent",
  instance: "Instance",
} as const;
export type NoisySort = keyof typeof noisySorts;
export type NoisySortDirection = "asc" | "desc";

/** The direction each order starts in: the worst, largest or latest first; instances by name. */
export const noisyFirstDirection: Record<NoisySort, NoisySortDirection> = {
  severity: "desc",
  peak: "desc",
  victims: "desc",
  recent: "desc",
  instance: "asc",
};

const rank = { critical: 2, major: 1, minor: 0 } as const;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The order a URL asks for; a value it does not know is reported and the default used. */
export function parseNoisySort(
  sortValue: string | string[] | undefined,
  dirValue?: string | string[] | undefined,
): { sort: NoisySort; dir: NoisySortDirection; errors: string[] } {
  const errors: string[] = [];
  const rawSort = first(sortValue);
  let sort: NoisySort = "severity";
  if (rawSort !== undefined && rawSort !== "") {
    if (rawSort in noisySorts) sort = rawSort as NoisySort;
    else errors.push(`sort: "${rawSort.slice(0, 20)}" is not one of ${Object.keys(noisySorts).join(", ")}`);
  }
  const rawDir = first(dirValue);
  let dir = noisyFirstDirection[sort];
  if (rawDir === "asc" || rawDir === "desc") dir = rawDir;
  else if (rawDir !== undefined && rawDir !== "") errors.push(`dir: "${rawDir.slice(0, 20)}" is not asc or desc`);
  return { sort, dir, errors };
}

/** The URL parameters of an order, leaving the defaults out so links stay short. */
export function noisySortQuery(sort: NoisySort, dir: NoisySortDirection): { sort?: string; dir?: string } {
  return { sort: sort === "severity" ? undefined : sort, dir: dir === noisyFirstDirection[sort] ? undefined : dir };
}

type Sortable = Pick<NoisyTenantView, "tenantId" | "storageInstanceId" | "severity" | "peakRatio" | "lastMs" | "victims">;

export function sortNoisy<T extends Sortable>(
  list: readonly T[],
  sort: NoisySort,
  dir: NoisySortDirection = noisyFirstDirection[sort],
): T[] {
  const bySeverity = (a: T, b: T) => rank[b.severity] - rank[a.severity] || b.lastMs - a.lastMs;
  const compare: Record<NoisySort, (a: T, b: T) => number> = {
    severity: (a, b) => bySeverity(a, b) || b.peakRatio - a.peakRatio,
    peak: (a, b) => b.peakRatio - a.peakRatio,
    victims: (a, b) => b.victims.length - a.victims.length || bySeverity(a, b),
    recent: (a, b) => b.lastMs - a.lastMs || bySeverity(a, b),
    instance: (a, b) => a.storageInstanceId.localeCompare(b.storageInstanceId) || bySeverity(a, b),
  };
  const sign = dir === noisyFirstDirection[sort] ? 1 : -1;
  return [...list].sort((a, b) => sign * compare[sort](a, b) || a.tenantId.localeCompare(b.tenantId));
}
