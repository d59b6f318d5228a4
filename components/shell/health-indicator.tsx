"use client";

import { useQuery } from "@tanstack/react-query";
import { healthQuery, type EndpointHealth } from "@/components/shell/health-query";

const endpoints = [
  { key: "database", label: "Catalog" },
  { key: "dynamoDb", label: "DynamoDB" },
  { key: "cloudWatch", label: "CloudWatch" },
] as const;

function Endpoint({ label, health, pending }: { label: string; health?: EndpointHealth; pending: boolean }) {
  const reachable = health?.reachable === true;
  const dot = pending ? "bg-border-strong" : reachable ? "bg-success" : "bg-danger";
  const state = pending ? "checking" : reachable ? "reachable" : "unreachable";
  return (
    <span className="flex items-center gap-1.5" title={health?.error ?? health?.detail ?? health?.version ?? ""}>
      <span aria-hidden className={`inline-block size-2 rounded-full ${dot}`} />
      <span className={pending || reachable ? "" : "font-medium text-danger"}>
        {label}
        <span className="sr-only"> {state}</span>
      </span>
      {/* The latency's room is kept while checking, so the header does not move when it arrives; phones show the dots only. */}
      <span className="num hidden min-w-[3.25rem] text-xs sm:inline-block">
        {reachable && health?.latencyMs !== undefined ? `${health.latencyMs} ms` : ""}
      </span>
      {!pending && !reachable ? <span className="text-danger">unreachable</span> : null}
    </span>
  );
}

export function HealthIndicator() {
  const { data, isError, isPending } = useQuery(healthQuery);
  return (
    <span
      className="flex min-w-0 flex-wrap items-center gap-x-2.5 gap-y-1 text-[13px] text-muted sm:gap-x-4 sm:text-sm"
      role="status"
      aria-label="Service health"
    >
      {endpoints.map(({ key, label }) => (
        <Endpoint
          key={key}
          label={label}
          pending={isPending}
          health={isError ? { reachable: false, error: "health check failed" } : data?.[key]}
        />
      ))}
    </span>
  );
}
