// A tenant whose catalog and routing disagree with no operation holding it:
// what is wrong and what can be done, on the tenant's page and in the fleet
// checks. The repair itself is the fleet checks' server action.
import Link from "next/link";
import { Badge } from "@/components/ui/badges";
import type { ActionResult } from "@/lib/auth/action";
import type { TenantStateProblem } from "@/lib/fleet-checks/reconcile";
import { ConfirmedAction } from "@/components/forms/confirmed-action";

type RepairAction = (input: FormData) => Promise<ActionResult>;

interface TenantStateProps {
  problem: TenantStateProblem;
  /** The viewer may repair (operations.manage): the action's controls are shown. */
  canRepair: boolean;
  action: RepairAction;
}

function confirmation({ tenant, verdict, lastOperation }: TenantStateProblem): string {
  if (verdict.verdict === "repairable") {
    if (verdict.repair.kind === "publish")
      return `The catalog's routing for ${tenant.id} (${tenant.status} in ${tenant.storageInstanceId}) is published to the data plane.`;
    const after = verdict.repair.catalog;
    return `The catalog will say ${after.status} in ${after.storageInstanceId}${after.bridgeInstanceId ? ` (${after.bridgeEntity} in ${after.bridgeInstanceId})` : ""}, as routing does. Routing and the tenant's items are not touched.`;
  }
  if (verdict.remedy.kind !== "unfreeze") return "";
  const last = lastOperation
    ? ` Its last operation, ${lastOperation.kind.replace(/_/g, " ")} ${lastOperation.id}, ${lastOperation.status.replace(/_/g, " ")}: check its items there first, and restore it from a backup afterwards if they are wrong.`
    : "";
  return `Writes of ${tenant.id} resume at ${verdict.remedy.catalog.storageInstanceId} on its items as they are there now, and the catalog follows routing.${last}`;
}

/** What can be done about it: the worker's repair (or an operator's, at once), lifting a freeze, retrying an onboarding. */
export function TenantStateAction({ problem, canRepair, action }: TenantStateProps) {
  const { verdict, tenant, lastOperation } = problem;
  const repair = (label: string, confirmLabel: string) =>
    canRepair ? (
      <ConfirmedAction
        action={action}
        fields={{ tenantId: tenant.id }}
        label={label}
        confirmLabel={confirmLabel}
        confirmation={confirmation(problem)}
      />
    ) : null;
  if (verdict.verdict === "repairable")
    return (
      <div className="grid justify-items-start gap-1.5">
        <span className="text-xs text-muted">The worker repairs this within a minute.</span>
        {repair("Repair now", "Repair")}
      </div>
    );
  const { remedy } = verdict;
  const last = lastOperation ? (
    <Link href={`/operations/${lastOperation.id}`} className="text-xs text-accent hover:underline">
      {remedy.kind === "investigate" ? "See its last operation" : "Its last operation"}
    </Link>
  ) : null;
  if (remedy.kind === "unfreeze")
    return (
      <div className="grid justify-items-start gap-1.5">
        {repair("Lift the freeze…", "Lift the freeze") ?? <span className="text-xs text-muted">An operator lifts the freeze.</span>}
        {last}
      </div>
    );
  if (remedy.kind === "retryOnboarding")
    return (
      <Link href={`/operations/${remedy.operationId}`} className="text-xs text-accent hover:underline">
        Retry its onboarding
      </Link>
    );
  return last ?? <span className="text-xs text-muted">Investigate: no operation explains it.</span>;
}

export function TenantStateBadge({ problem }: { problem: TenantStateProblem }) {
  return problem.verdict.verdict === "repairable" ? (
    <Badge tone="accent">Worker will repair</Badge>
  ) : (
    <Badge tone="warning">Needs an operator</Badge>
  );
}

/** On the tenant's page, above everything else. */
export function TenantStateNotice({ problem, canRepair, action }: TenantStateProps) {
  return (
    <section aria-labelledby="tenant-state-title" className="mb-4 rounded-lg border border-border bg-warning-soft px-4 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="tenant-state-title" className="text-[13px] font-semibold">
          Catalog and routing disagree
        </h2>
        <TenantStateBadge problem={problem} />
        <Link href="/fleet-checks" className="ml-auto text-xs text-accent hover:underline">
          Fleet checks
        </Link>
      </div>
      <p className="mt-1 max-w-3xl text-[13px]">{problem.verdict.problem}</p>
      <div className="mt-2">
        <TenantStateAction problem={problem} canRepair={canRepair} action={action} />
      </div>
    </section>
  );
}
