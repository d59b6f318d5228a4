import type { Metadata } from "next";
import { Suspense } from "react";
import { KeptTable, OrphanTable, TenantStateTable } from "@/components/fleet-checks/fleet-check-tables";
import { countOf, formatClock } from "@/components/ui/format";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { consoleAccess } from "@/lib/fleet-checks/access";
import { assessOrphans } from "@/lib/fleet-checks/orphans";
import { tenantStateProblems } from "@/lib/fleet-checks/reconcile";
import { operationDefinitions } from "@/lib/worker/kinds";
import { cleanupOrphanAction, repairTenantStateAction } from "./actions";

export const metadata: Metadata = { title: "Fleet checks" };

const reason = (error: unknown) => (error instanceof Error ? error.message.split("\n")[0]! : String(error));

function PanelSkeleton({ title, rows = 3 }: { title: string; rows?: number }) {
  return (
    <Panel title={title}>
      <div aria-busy="true" aria-label={`Checking: ${title.toLowerCase()}`} className="p-4">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="skeleton mb-2.5 h-5" style={{ width: `${65 + ((i * 37) % 30)}%` }} />
        ))}
      </div>
    </Panel>
  );
}

async function TenantStates({ canRepair }: { canRepair: boolean }) {
  const title = "Catalog and routing";
  let problems;
  try {
    problems = await tenantStateProblems(consoleAccess());
  } catch (error) {
    return (
      <Panel title={title}>
        <div className="p-4">
          <ErrorNotice title="The routing records could not be read" messages={[reason(error)]} />
        </div>
      </Panel>
    );
  }
  const needOperator = problems.filter((p) => p.verdict.verdict === "needsOperator").length;
  return (
    <Panel
      title={title}
      actions={
        <span className="text-xs text-muted">
          {problems.length ? `${countOf(problems.length, "tenant")}, ${needOperator} needing an operator` : "all agree"}
        </span>
      }
    >
      <TenantStateTable problems={problems} canRepair={canRepair} action={repairTenantStateAction} />
    </Panel>
  );
}

async function Orphans({ canClean }: { canClean: boolean }) {
  let assessment;
  try {
    assessment = await assessOrphans(consoleAccess(), operationDefinitions);
  } catch (error) {
    return (
      <Panel title="Orphaned data">
        <div className="p-4">
          <ErrorNotice title="The orphan check could not finish" messages={[reason(error)]} />
        </div>
      </Panel>
    );
  }
  return (
    <>
      <Panel title="Orphaned data" actions={<span className="num text-xs text-muted">checked at {formatClock(assessment.checkedAt)}</span>}>
        {assessment.unreadable.length ? (
          <div className="px-4 pt-3">
            <ErrorNotice
              title="These operations' records could not be read; their tenants' copies are not judged"
              messages={assessment.unreadable.map((u) => `${u.operationId}${u.tenantId ? ` (${u.tenantId})` : ""}: ${u.error}`)}
            />
          </div>
        ) : null}
        <OrphanTable orphans={assessment.orphans} canClean={canClean} action={cleanupOrphanAction} />
      </Panel>
      <Panel title="Copies kept on purpose, or in use">
        <KeptTable kept={assessment.kept} />
      </Panel>
    </>
  );
}

export default async function FleetChecksPage() {
  const user = await requirePagePermission("operations.read");
  const canManage = can(user.role, "operations.manage");
  return (
    <>
      <PageHeader
        title="Fleet checks"
        description="What no operation is looking after. Tenants whose catalog and routing disagree while no operation holds them: the worker makes the catalog follow routing every minute when routing is active, and leaves a tenant left frozen or half-onboarded to an operator. And data no routing record points to: copies of tenants' items that operations left behind (found from what each operation recorded, counted through a client scoped to the tenant) and tables of retired storage instances, each with a clean-up operation."
      />
      <div className="grid gap-4">
        <Suspense fallback={<PanelSkeleton title="Catalog and routing" />}>
          <TenantStates canRepair={canManage} />
        </Suspense>
        <Suspense fallback={<PanelSkeleton title="Orphaned data" />}>
          <Orphans canClean={canManage} />
        </Suspense>
      </div>
    </>
  );
}
