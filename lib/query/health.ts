import { queryOptions } from "@tanstack/react-query";

export interface HealthReport {
  status: "ok" | "degraded";
  version: string;
  checkedAt: string;
  database: { reachable: boolean; version?: string; latencyMs?: number; error?: string };
}

export const healthQuery = queryOptions({
  queryKey: ["health"],
  queryFn: async (): Promise<HealthReport> => {
    const response = await fetch("/api/health", { cache: "no-store" });
    return (await response.json()) as HealthReport;
  },
  refetchInterval: 30_000,
});
