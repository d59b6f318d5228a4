// The co-tenants a noisy neighbour hurt, as the watcher measured them.
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatCount, formatMs, formatPercent } from "@/components/ui/format";
import type { FindingVictim } from "@/lib/fleet-watch/shapes";

export function VictimsTable({ victims, tenantNames }: { victims: readonly FindingVictim[]; tenantNames: Record<string, string> }) {
  const columns: Column<FindingVictim>[] = [
    {
      key: "tenant",
      header: "Co-tenant",
      rowHeader: true,
      cell: (v) => (
        <>
          <RowLink href={`/tenants/${v.tenantId}`} dir="auto">
            {tenantNames[v.tenantId] ?? v.tenantId}
          </RowLink>
          {tenantNames[v.tenantId] && tenantNames[v.tenantId] !== v.tenantId ? (
            <div className="font-mono text-[11px] text-muted">{v.tenantId}</div>
          ) : null}
        </>
      ),
    },
    { key: "requests", header: "Requests", numeric: true, cell: (v) => formatCount(v.requests, "req") },
    {
      key: "refused",
      header: "Refused for capacity",
      numeric: true,
      cell: (v) => (
        <>
          {formatCount(v.capacityThrottled, "req")} <span className="text-muted">({formatPercent(v.capacityThrottleRatio)})</span>
        </>
      ),
    },
    {
      key: "p99",
      header: "Worst p99",
      description: "Its worst p99 latency in the evidence's window; a dash where none was published",
      numeric: true,
      cell: (v) => formatMs(v.latencyP99Max),
    },
  ];
  const rows = [...victims].sort((a, b) => b.capacityThrottleRatio - a.capacityThrottleRatio || a.tenantId.localeCompare(b.tenantId));
  return (
    <DataTable
      label="Co-tenants hurt"
      columns={columns}
      rows={rows}
      rowKey={(v) => v.tenantId}
      empty={{ title: "No co-tenant hurt", body: "No co-tenant was refused or slowed in the evidence's window." }}
    />
  );
}
