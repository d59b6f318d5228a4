"use client";

import { useQuery } from "@tanstack/react-query";
import { healthQuery } from "@/lib/query/health";

export function HealthIndicator() {
  const { data, isError, isPending } = useQuery(healthQuery);
  const reachable = data?.database.reachable === true;
  const label = isPending ? "Checking catalog…" : isError || !reachable ? "Catalog database unreachable" : "Catalog database reachable";
  const dot = isPending ? "bg-border-strong" : reachable && !isError ? "bg-success" : "bg-danger";
  return (
    <span className="flex items-center gap-2 text-muted" role="status" title={data?.database.error ?? data?.database.version ?? ""}>
      <span aria-hidden className={`inline-block size-2 rounded-full ${dot}`} />
      <span className={reachable || isPending ? "" : "font-medium text-danger"}>{label}</span>
      {reachable && data?.database.latencyMs !== undefined ? <span className="num">{data.database.latencyMs} ms</span> : null}
    </span>
  );
}
