import type { Metadata } from "next";
import { OperationTable } from "@/components/operations/operation-table";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { latestOperations } from "@/lib/catalog/fleet-summary";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Operations" };

export default async function OperationsPage() {
  await requirePagePermission("operations.read");
  const operations = await latestOperations(getDb(), 100);
  return (
    <>
      <PageHeader
        title="Operations"
        description="Every change to tenant storage runs as an operation: onboarding, throttling-plan changes, migrations and restores."
      />
      <Panel>
        <OperationTable
          operations={operations}
          emptyText="No operation has run yet. Onboarding and plan changes arrive with the operations engine; migrations and restores follow on it."
        />
      </Panel>
    </>
  );
}
