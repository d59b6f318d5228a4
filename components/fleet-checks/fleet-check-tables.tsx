// The fleet checks' tables: tenants whose catalog and routing disagree, data no
// routing record points to (with its clean-up), and copies kept on purpose.
import Link from "next/link";
import { TenantStatusBadge, Badge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/components/ui/format";
import type { ActionResult } from "@/lib/auth/action";
import type { KeptCopy, Orphan, Origin } from "@/lib/fleet-checks/orphans";
import type { TenantStateProblem } from "@/lib/fleet-checks/reconcile";
import { ConfirmedAction } from "@/components/forms/confirmed-action";
import { TenantStateAction, TenantStateBadge } from "./tenant-state";

type RepairAction = (input: FormData) => Promise<ActionResult>;
type CleanupAction = (input: FormData) => Promise<ActionResult<{ operationId: string }>>;

const mono = "whitespace-nowrap font-mono text-xs";

function TenantLink({ tenantId, row = false }: { tenantId: string; row?: boolean }) {
  return row ? (
    <RowLink href={`/tenants/${tenantId}`} className={mono}>
      {tenantId}
    </RowLink>
  ) : (
    <Link href={`/tenants/${tenantId}`} className={`${mono} text-accent hover:underline`}>
      {tenantId}
    </Link>
  );
}

function Origins({ origins }: { origins: Origin[] }) {
  return (
    <ul className="grid gap-0.5">
      {origins.map((origin, i) => (
        <li key={i}>
          {origin.operationId ? (
            <Link href={`/operations/${origin.operationId}`} className="text-accent hover:underline">
              {origin.what}
            </Link>
          ) : (
            origin.what
          )}
        </li>
      ))}
    </ul>
  );
}

export function TenantStateTable({
  problems,
  canRepair,
  action,
}: {
  problems: TenantStateProblem[];
  canRepair: boolean;
  action: RepairAction;
}) {
  const columns: Column<TenantStateProblem>[] = [
    { key: "tenant", header: "Tenant", rowHeader: true, cell: (p) => <TenantLink tenantId={p.tenant.id} /> },
    {
      key: "catalog",
      header: "Catalog",
      cell: (p) => (
        <span className="inline-flex flex-wrap items-center gap-1.5">
          <TenantStatusBadge status={p.tenant.status} />
          <span className={mono}>{p.tenant.storageInstanceId ?? "not placed"}</span>
        </span>
      ),
    },
    {
      key: "routing",
      header: "Routing",
      cell: ({ routing }) =>
        routing ? (
          <span className="inline-flex flex-wrap items-center gap-1.5">
            <TenantStatusBadge status={routing.status} />
            {routing.writeFrozen ? <Badge tone="danger">frozen</Badge> : null}
            <span className={mono}>{routing.storageInstanceId}</span>
          </span>
        ) : (
          <span className="text-muted">no record</span>
        ),
    },
    {
      key: "problem",
      header: "Problem",
      className: "min-w-72 max-w-xl",
      cell: (p) => (
        <div className="grid justify-items-start gap-1">
          <TenantStateBadge problem={p} />
          <span>{p.verdict.problem}</span>
        </div>
      ),
    },
    { key: "action", header: "What to do", cell: (p) => <TenantStateAction problem={p} canRepair={canRepair} action={action} /> },
  ];
  return (
    <DataTable
      label="Tenants whose catalog and routing disagree"
      columns={columns}
      rows={problems}
      rowKey={(p) => p.tenant.id}
      empty={{
        title: "Catalog and routing agree",
        body: "Every tenant is where routing places it, in the state routing gives it, or an operation is moving it.",
      }}
    />
  );
}

function orphanConfirmation(orphan: Orphan): string {
  if (orphan.kind === "table")
    return `Drop table ${orphan.tableName} of retired storage instance ${orphan.storageInstanceId}: no tenant's items are left in it. This cannot be undone.`;
  const items = `${formatCount(orphan.items)} item${orphan.items === 1 ? "" : "s"}`;
  return orphan.ownTable
    ? `Delete ${orphan.tenantId}'s ${items} in ${orphan.table.tableName} and drop the table, made for this copy alone. Its items where it lives are not touched. This cannot be undone.`
    : `Delete the ${items} of ${orphan.tenantId} in ${orphan.table.tableName}, only keys under ${orphan.keyPrefix}: its items where it lives, and every other tenant's, are not touched. This cannot be undone.`;
}

const orphanKey = (o: Orphan) => (o.kind === "table" ? `table:${o.tableName}` : `${o.tenantId}:${o.table.region}:${o.table.tableName}`);

export function OrphanTable({ orphans, canClean, action }: { orphans: Orphan[]; canClean: boolean; action: CleanupAction }) {
  const columns: Column<Orphan>[] = [
    {
      key: "data",
      header: "Whose",
      rowHeader: true,
      cell: (o) => (o.kind === "tenantCopy" ? <TenantLink tenantId={o.tenantId} /> : <span className="text-muted">the whole table</span>),
    },
    {
      key: "table",
      header: "Table",
      cell: (o) => {
        const instance = o.kind === "table" ? o.storageInstanceId : o.table.storageInstanceId;
        const table = o.kind === "table" ? o.tableName : o.table.tableName;
        return (
          <span className="grid">
            <span className={mono}>{table}</span>
            {instance ? (
              <Link href={`/instances/${instance}`} className="whitespace-nowrap text-xs text-muted hover:underline">
                {instance}
              </Link>
            ) : null}
          </span>
        );
      },
    },
    {
      key: "items",
      header: "Items",
      numeric: true,
      description: "The tenant's items there, counted through a client scoped to it",
      cell: (o) => (o.kind === "tenantCopy" ? formatCount(o.items) : "—"),
    },
    { key: "origin", header: "Left by", className: "min-w-64", cell: (o) => <Origins origins={o.origins} /> },
    ...(canClean
      ? [
          {
            key: "action",
            header: "Clean up",
            headerHidden: true,
            cell: (o: Orphan) => (
              <ConfirmedAction
                action={action}
                opens="operation"
                fields={
                  o.kind === "tenantCopy"
                    ? { target: "tenantCopy", tenantId: o.tenantId, tableName: o.table.tableName, region: o.table.region }
                    : { target: "table", storageInstanceId: o.storageInstanceId, tableName: o.tableName, region: o.region }
                }
                label={o.kind === "table" ? "Drop table…" : "Clean up…"}
                confirmLabel={o.kind === "table" ? "Drop the table" : "Delete these items"}
                confirmation={orphanConfirmation(o)}
              />
            ),
          } satisfies Column<Orphan>,
        ]
      : []),
  ];
  return (
    <DataTable
      label="Data no routing record points to"
      columns={columns}
      rows={orphans}
      rowKey={orphanKey}
      empty={{
        title: "Nothing orphaned",
        body: "Every copy operations left is where a tenant lives, kept on purpose, or removed; no retired instance's table is left.",
      }}
    />
  );
}

export function KeptTable({ kept }: { kept: KeptCopy[] }) {
  const columns: Column<KeptCopy>[] = [
    { key: "tenant", header: "Tenant", rowHeader: true, cell: (k) => <TenantLink tenantId={k.tenantId} row /> },
    { key: "table", header: "Table", className: mono, cell: (k) => k.table.tableName },
    {
      key: "until",
      header: "Kept until",
      numeric: true,
      align: "left",
      cell: (k) => (k.keptUntil ? formatDateTime(k.keptUntil) : "—"),
    },
    { key: "why", header: "Why", className: "min-w-64", cell: (k) => k.reason },
    { key: "origin", header: "Left by", className: "min-w-56", cell: (k) => <Origins origins={k.origins} /> },
  ];
  return (
    <DataTable
      label="Copies kept on purpose"
      columns={columns}
      rows={kept}
      rowKey={(k) => `${k.tenantId}:${k.table.region}:${k.table.tableName}`}
      empty={{ title: "No copy is kept", body: "A migration keeps its source copy for its rollback window; none is in one now." }}
    />
  );
}
