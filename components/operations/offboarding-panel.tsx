// An offboarding's operation page, beside its steps: the phase in words (who
// asked, who approved, the grace period's end), the final export (downloads for
// admins, audited), and the deletion certificate once issued.
import Link from "next/link";
import { Badge } from "@/components/ui/badges";
import { formatBytes, formatCount, formatDateTime } from "@/components/ui/format";
import { Facts, Panel } from "@/components/ui/panel";
import type { OffboardingPhase } from "@/lib/lifecycle/lifecycle-view";
import type { OperationView } from "@/lib/operations/view-model";

const phaseWords: Record<OffboardingPhase["phase"], string> = {
  awaiting_approval: "Awaiting approval by an admin other than the requester",
  preparing: "Suspending and exporting",
  grace: "Grace period: it can still be cancelled",
  deleting: "Deleting and verifying: it can no longer be cancelled",
  done: "Done: deleted, verified, certified",
  cancelled: "Cancelled",
  stopped: "Stopped",
};

interface ExportOutput {
  items?: number;
  bytes?: number;
  manifestSha256?: string;
  exportedAt?: string;
}

export function OffboardingPanel({
  view,
  phase,
  canDownload,
}: {
  view: OperationView;
  phase: OffboardingPhase;
  /** tenants.downloadExport: the export's links are shown (the route checks again and audits). */
  canDownload: boolean;
}) {
  const exportStep = view.steps.find((step) => step.name === "export");
  const exported = exportStep?.status === "done" ? ((exportStep.output ?? {}) as ExportOutput) : null;
  // A cancelled offboarding's export is deleted when the tenant is resumed.
  const exportKept = exported !== null && phase.phase !== "cancelled";
  const graceDays = typeof view.parameters.graceDays === "number" ? view.parameters.graceDays : null;
  const download = (file: "manifest" | "items", label: string) => (
    <a href={`/api/offboarding/${view.id}/export?file=${file}`} className="text-accent underline" download>
      {label}
    </a>
  );
  return (
    <Panel
      title="Offboarding"
      actions={<Badge tone={phase.phase === "done" ? "neutral" : "warning"}>{phase.phase.replace(/_/g, " ")}</Badge>}
    >
      <Facts
        items={[
          { label: "Phase", value: phaseWords[phase.phase] },
          {
            label: "Approved by",
            value: view.approvedBy ? (
              <span>
                {view.approvedBy}{" "}
                <span className="num text-xs text-muted">{formatDateTime(view.approvedAt ? new Date(view.approvedAt) : null)}</span>
              </span>
            ) : (
              <span className="text-muted">not yet</span>
            ),
          },
          { label: "Grace period", value: graceDays === null ? "—" : `${graceDays} day${graceDays === 1 ? "" : "s"} after the export` },
          ...(phase.phase === "grace" && phase.endsAt
            ? [{ label: "Grace ends", value: <span className="num">{formatDateTime(phase.endsAt)}</span> }]
            : []),
          ...(view.cancelRequestedBy ? [{ label: "Cancel requested by", value: view.cancelRequestedBy }] : []),
          ...(exported
            ? [
                {
                  label: "Export",
                  value: (
                    <span className="num">
                      {formatCount(exported.items ?? null)} items · {formatBytes(exported.bytes ?? null)}
                    </span>
                  ),
                },
                {
                  label: "Manifest SHA-256",
                  value: <span className="break-all font-mono text-xs">{exported.manifestSha256 ?? "—"}</span>,
                },
              ]
            : []),
        ]}
      />
      <div className="grid gap-2 border-t border-border px-4 py-3 text-[13px]">
        {exportKept ? (
          canDownload ? (
            <p>
              Download the export: {download("items", "every item (.jsonl.gz)")} · {download("manifest", "its manifest")}. Each download is
              audited.
            </p>
          ) : (
            <p className="text-muted">An admin can download the export (every item and its manifest).</p>
          )
        ) : (
          <p className="text-muted">
            {phase.phase === "cancelled" && exported
              ? "The export was deleted when the offboarding was cancelled."
              : "The export is written once the tenant is suspended."}
          </p>
        )}
        {view.result ? (
          <p>
            <Link href={`/operations/${view.id}/certificate`} className="text-accent underline">
              The deletion certificate
            </Link>{" "}
            says what was deleted where, who asked and approved, and what backups still hold until when.
          </p>
        ) : null}
      </div>
    </Panel>
  );
}
