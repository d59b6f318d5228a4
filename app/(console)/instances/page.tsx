import type { Metadata } from "next";
import { Capacity } from "@/components/instances/capacity";
import { Badge, InstanceStatusBadge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { countOf, formatInteger } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { listStorageInstances } from "@/lib/catalog/storage-instances";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Storage instances" };

type InstanceRow = Awaited<ReturnType<typeof listStorageInstances>>[number];

const columns: Column<InstanceRow>[] = [
  {
    key: "instance",
    header: "Instance",
    cell: (instance) => (
      <RowLink href={`/instances/${instance.id}`} className="font-mono text-xs font-medium">
        {instance.id}
      </RowLink>
    ),
  },
  {
    key: "mode",
    header: "Mode",
    cell: (instance) => <Badge tone={instance.mode === "pool" ? "neutral" : "accent"}>{instance.mode}</Badge>,
  },
  { key: "table", header: "DynamoDB table", className: "font-mono text-xs", cell: (instance) => instance.tableName },
  {
    key: "capacity",
    header: "Capacity",
    numeric: true,
    cell: (instance) => <Capacity mode={instance.capacityMode} read={instance.readUnitsPerSec} write={instance.writeUnitsPerSec} />,
  },
  { key: "region", header: "Region", cell: (instance) => instance.region },
  { key: "status", header: "Status", cell: (instance) => <InstanceStatusBadge status={instance.status} /> },
  { key: "tenants", header: "Tenants", numeric: true, cell: (instance) => formatInteger(instance.tenantCount) },
];

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
        <DataTable
          label="Storage instances"
          columns={columns}
          rows={instances}
          rowKey={(instance) => instance.id}
          empty={{ title: "No storage instances yet", body: "Pools and silos appear here when they are provisioned." }}
        />
      </Panel>
    </>
  );
}
