import type { Metadata } from "next";
import { ImportForm } from "@/components/fleet-import/import-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { applyImportAction, dryRunImportAction } from "./actions";

export const metadata: Metadata = { title: "Import a fleet" };

export default async function FleetImportPage() {
  await requirePagePermission("fleet.import");
  return (
    <>
      <PageHeader
        title="Import a fleet"
        description="Register existing DynamoDB tables as storage instances and existing tenants with their placement and plan. The dry run checks each table (DescribeTable: existence in its region, keys against the declared key scheme, capacity) and compares every row with the catalog; nothing changes until you confirm. Importing the same file again changes nothing. Tenant items are never read or written."
      />
      <ImportForm dryRunAction={dryRunImportAction} applyAction={applyImportAction} />
    </>
  );
}
