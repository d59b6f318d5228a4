import { Badge } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import Link from "next/link";
import { kindLabels } from "@/lib/operations/labels";
import { ProgressBar } from "./progress-bar";

export interface OperationRow {
  id: string;
  kind: string;
  status: string;
  progress: number;
  tenantId: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  requestedBy: { email: string };
}

const statusTone = { succeeded: "success", failed: "danger", cancelled: "neutral", running: "accent", queued: "neutral" } as const;

export function OperationTable({
  operations,
  emptyText,
  showTenant = true,
}: {
  operations: OperationRow[];
  emptyText: string;
  showTenant?: boolean;
}) {
  if (operations.length === 0) return <EmptyState title="No operations yet">{emptyText}</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-[13px]" aria-label="Operations">
        <thead className="border-b border-border bg-surface-2 text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Started
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Kind
            </th>
            {showTenant ? (
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Tenant
              </th>
            ) : null}
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Progress
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Requested by
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {operations.map((operation) => (
            <tr key={operation.id}>
              <td className="num px-3 py-1.5">
                <Link href={`/operations/${operation.id}`} className="text-accent hover:underline">
                  {formatDateTime(operation.createdAt)}
                </Link>
              </td>
              <td className="px-3 py-1.5">{kindLabels[operation.kind as keyof typeof kindLabels] ?? operation.kind}</td>
              {showTenant ? (
                <td className="px-3 py-1.5 font-mono text-xs">
                  {operation.tenantId ? (
                    <Link href={`/tenants/${operation.tenantId}`} className="hover:underline">
                      {operation.tenantId}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
              ) : null}
              <td className="px-3 py-1.5">
                <Badge tone={statusTone[operation.status as keyof typeof statusTone] ?? "neutral"}>{operation.status}</Badge>
                {operation.error ? (
                  <span className="ml-2 line-clamp-1 text-danger" title={operation.error}>
                    {operation.error}
                  </span>
                ) : null}
              </td>
              <td className="num px-3 py-1.5 text-right">
                <span className="inline-flex items-center gap-2">
                  <ProgressBar value={operation.progress} label={`${Math.round(operation.progress * 100)} % done`} className="w-16" />
                  {Math.round(operation.progress * 100)} %
                </span>
              </td>
              <td className="px-3 py-1.5 text-muted">{operation.requestedBy.email}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
