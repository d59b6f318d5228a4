import type { Metadata } from "next";
import Link from "next/link";
import { Capacity } from "@/components/instances/capacity";
import { Badge, InstanceStatusBadge } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import { countOf, formatInteger } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { listStorageInstances } from "@/lib/catalog/storage-instances";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Storage instances" };

export default async function InstancesPage() {
  await requirePagePermission("tenants.read");
  const instances = await listStorageInstances(getDb());
  const pools = instances.filter((instance) => instance.mode === "pool").length;
  return (
    <>
      <PageHeader
        title="Storage instances"
        description={`${countOf(instances.length, "DynamoDB table")}: ${countOf(pools, "pool")} shared by many tenants, ${countOf(instances.length - pools, "silo")} with one tenant each.`}
      />
      <Panel>
        {instances.length === 0 ? (
          <EmptyState title="No storage instances yet">Pools and silos appear here when they are provisioned.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-[13px]" aria-label="Storage instances">
              <thead className="border-b border-border bg-surface-2 text-muted">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Instance
                  </th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Mode
                  </th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    DynamoDB table
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Capacity
                  </th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Region
                  </th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Tenants
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-border">
                {instances.map((instance) => (
                  <tr key={instance.id} className="hover:bg-surface-2">
                    <td className="px-3 py-1.5">
                      <Link href={`/instances/${instance.id}`} className="font-mono text-xs font-medium text-accent hover:underline">
                        {instance.id}
                      </Link>
                    </td>
                    <td className="px-3 py-1.5">
                      <Badge tone={instance.mode === "pool" ? "neutral" : "accent"}>{instance.mode}</Badge>
                    </td>
                    <td className="px-3 py-1.5 font-mono text-xs">{instance.tableName}</td>
                    <td className="px-3 py-1.5 text-right">
                      <Capacity mode={instance.capacityMode} read={instance.readUnitsPerSec} write={instance.writeUnitsPerSec} />
                    </td>
                    <td className="px-3 py-1.5">{instance.region}</td>
                    <td className="px-3 py-1.5">
                      <InstanceStatusBadge status={instance.status} />
                    </td>
                    <td className="num px-3 py-1.5 text-right">{formatInteger(instance.tenantCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </>
  );
}
