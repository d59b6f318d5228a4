import type { Metadata } from "next";
import { OperationTable } from "@/components/operations/operation-table";
import { FilterForm, queryWith } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { OperationKind, OperationStatus } from "@/lib/generated/prisma/enums";
import { kindLabels, statusLabels } from "@/lib/operations/labels";
import { listOperations, operationPageSize, parseOperationFilters } from "@/lib/operations/views";

export const metadata: Metadata = { title: "Operations" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OperationsPage({ searchParams }: Props) {
  await requirePagePermission("operations.read");
  const filters = parseOperationFilters(await searchParams);
  const { rows, total, page, pageCount } = await listOperations(getDb(), filters);
  const { page: _page, ...current } = filters;
  const filtered = Object.values(current).some(Boolean);
  return (
    <>
      <PageHeader
        title="Operations"
        description="Every change to tenant storage runs as an operation: onboarding, throttling-plan changes, migrations and restores. A worker runs each one's steps and records them; an operation survives a worker's crash and resumes after its last completed step."
      />
      <FilterForm
        action="/operations"
        label="Filter operations"
        clearHref="/operations"
        fields={[
          {
            kind: "select",
            name: "kind",
            label: "Kind",
            value: filters.kind,
            options: Object.values(OperationKind).map((k) => ({ value: k, label: kindLabels[k] })),
          },
          {
            kind: "select",
            name: "status",
            label: "Status",
            value: filters.status,
            options: Object.values(OperationStatus).map((s) => ({ value: s, label: statusLabels[s] })),
          },
          { kind: "text", name: "tenant", label: "Tenant id", value: filters.tenant, maxLength: 63, placeholder: "acme-logistics" },
          { kind: "text", name: "who", label: "Requested by", value: filters.who, maxLength: 254, placeholder: "e-mail" },
        ]}
      />
      <Panel>
        <OperationTable
          operations={rows}
          emptyText={
            filtered ? "No operation matches these filters." : "No operation has run yet. Onboard a tenant or change a plan to start one."
          }
        />
        {total > 0 ? (
          <Pagination
            page={page}
            pageCount={pageCount}
            total={total}
            size={operationPageSize}
            noun="operations"
            hrefFor={(p) => `/operations${queryWith(current, { page: p })}`}
          />
        ) : null}
      </Panel>
    </>
  );
}
