import { queryOptions } from "@tanstack/react-query";

export interface EndpointHealth {
  reachable: boolean;
  latencyMs?: number;
  version?: string;
  detail?: string;
  error?: string;
}

export interface HealthReport {
  status: "ok" | "degraded";
  version: string;
  checkedAt: string;
  database: EndpointHealth;
  dynamoDb: EndpointHealth;
  cloudWatch: EndpointHealth;
}

export const healthQuery = queryOptions({
  queryKey: ["health"],
  queryFn: async (): Promise<HealthReport> => {
    const response = await fetch("/api/health", { cache: "no-store" });
    return (await response.json()) as HealthReport;
  },
  refetchInterval: 30_000,
});
