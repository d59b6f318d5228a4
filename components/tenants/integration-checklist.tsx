// The tenant page's integration checklist: whether the tenant's application
// speaks the data-plane protocol, as its latest check found.
import Link from "next/link";
import { ConfirmedAction } from "@/components/forms/confirmed-action";
import { Badge } from "@/components/ui/badges";
import { formatDateTime } from "@/components/ui/format";
import type { ActionResult } from "@/lib/auth/action";
import type { ChecklistItem, IntegrationChecklist } from "@/lib/integration-check/queries";

const marks: Record<ChecklistItem["state"], { symbol: string; tone: "success" | "danger" | "neutral"; label: string }> = {
  passed: { symbol: "✓", tone: "success", label: "Passed" },
  failed: { symbol: "✗", tone: "danger", label: "Failed" },
  pending: { symbol: "…", tone: "neutral", label: "Pending" },
  skipped: { symbol: "–", tone: "neutral", label: "Not run" },
};

export function IntegrationChecklistView({
  tenantId,
  checklist,
  canRun,
  action,
}: {
  tenantId: string;
  checklist: IntegrationChecklist | null;
  /** The viewer may start a check and the tenant is active. */
  canRun: boolean;
  action: (input: FormData) => Promise<ActionResult<{ operationId: string } | undefined>>;
}) {
  return (
    <div className="grid gap-3 px-4 py-3">
      {checklist ? (
        <>
          <p className="text-xs text-muted">
            Last check{" "}
            <Link href={`/operations/${checklist.operationId}`} className="text-accent hover:underline">
              {checklist.status.replace(/_/g, " ")}
            </Link>
            , started <span className="num">{formatDateTime(checklist.startedAt)}</span>
          </p>
          <ul className="grid gap-2" aria-label="Integration checklist">
            {checklist.items.map((item) => {
              const mark = marks[item.state];
              return (
                <li key={item.name} className="grid grid-cols-[auto_1fr] items-start gap-x-2 gap-y-0.5">
                  <Badge tone={mark.tone}>
                    <span aria-hidden="true">{mark.symbol}</span>
                    <span className="sr-only">{mark.label}</span>
                  </Badge>
                  <span className="text-sm">{item.label}</span>
                  {item.detail ? <span className="col-start-2 text-xs text-muted break-words">{item.detail}</span> : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p className="text-sm text-muted">
          Not checked yet. The check proves the tenant&apos;s application uses the data-plane library as migrations and restores rely on it:
          the console sees its metrics, its readers are alive, and they acknowledge a write freeze.
        </p>
      )}
      {canRun ? (
        <ConfirmedAction
          action={action}
          fields={{ tenantId }}
          label={checklist ? "Check again…" : "Run the check…"}
          confirmLabel="Freeze briefly and check"
          confirmation={`The check freezes ${tenantId}'s writes until every data-plane reader acknowledges it (at most 5 seconds with readers; the application's writes wait or get a retryable error meanwhile), then lifts the freeze. Nothing else changes.`}
          opens="operation"
        />
      ) : null}
    </div>
  );
}
