// Orders of the noisy-neighbours list, as they appear in its URL (?sort=).
import type { NoisyTenantView } from "./fleet-view";

export const noisySorts = {
  severity: "Severity",
  peak: "Peak share",
  victims: "Victims",
  recent: "Most recent",
  instance: "Instance",
} as const;
export type NoisySort = keyof typeof noisySorts;

const rank = { critical: 2, major: 1, minor: 0 } as const;

export function parseNoisySort(value: string | string[] | undefined): { sort: NoisySort; error?: string } {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === "") return { sort: "severity" };
  if (raw in noisySorts) return { sort: raw as NoisySort };
  return { sort: "severity", error: `sort: "${raw.slice(0, 20)}" is not one of ${Object.keys(noisySorts).join(", ")}` };
}

type Sortable = Pick<NoisyTenantView, "tenantId" | "storageInstanceId" | "severity" | "peakRatio" | "lastMs" | "victims">;

export function sortNoisy<T extends Sortable>(list: readonly T[], sort: NoisySort): T[] {
  const bySeverity = (a: T, b: T) => rank[b.severity] - rank[a.severity] || b.lastMs - a.lastMs;
  const compare: Record<NoisySort, (a: T, b: T) => number> = {
    severity: (a, b) => bySeverity(a, b) || b.peakRatio - a.peakRatio,
    peak: (a, b) => b.peakRatio - a.peakRatio,
    victims: (a, b) => b.victims.length - a.victims.length || bySeverity(a, b),
    recent: (a, b) => b.lastMs - a.lastMs || bySeverity(a, b),
    instance: (a, b) => a.storageInstanceId.localeCompare(b.storageInstanceId) || bySeverity(a, b),
  };
  return [...list].sort((a, b) => compare[sort](a, b) || a.tenantId.localeCompare(b.tenantId));
}
