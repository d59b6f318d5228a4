"use client";

// A finding's proposed remediations: what each would do and why, the pool
// measured and as predicted (co-tenants' refusals, Jain's index, peak
// utilisation), who and what it touches and how to undo it; for those who may,
// Approve (which queues the operation), Reject with a reason, or queue again
// an approved one whose queueing was refused. Advice (policy "propose") links
// to the tenant's prefilled form instead of an approval.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useId, useState } from "react";
import { ConfirmedAction } from "@/components/forms/confirmed-action";
import { FormStatus } from "@/components/forms/fields";
import { Badge, OperationStatusBadge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { countOf, formatCount, formatDateTime, formatIndex, formatInteger, formatPercent, isMeasured } from "@/components/ui/format";
import { Facts, Panel } from "@/components/ui/panel";
import type { ActionResult } from "@/lib/auth/action";
import { newSiloTarget, type ProposalViewer } from "@/lib/fleet-watch/policy";
import type { PredictedPool, ProposalView } from "@/lib/fleet-watch/proposals";

type DecisionAction = (input: FormData) => Promise<ActionResult<{ operationId: string } | undefined>>;

export interface ProposalPanelProps {
  /** The finding's proposals, newest first (lib/fleet-watch/proposals.ts loadFindingProposals). */
  proposals: ProposalView[];
  /** What the viewer may do (proposalViewer(role) in lib/fleet-watch/policy.ts). */
  viewer: ProposalViewer;
  /** The kill switch is on: approvals are refused, so none is offered. */
  proposalsOff: boolean;
  /** The server actions of app/(console)/findings/actions.ts. */
  actions: { approve: DecisionAction; reject: DecisionAction; queue: DecisionAction };
}

type Tone = "neutral" | "accent" | "success" | "warning" | "danger";

function statusOf(proposal: ProposalView): { label: string; tone: Tone } {
  switch (proposal.status) {
    case "proposed":
      return proposal.applyOnApproval ? { label: "Waiting for approval", tone: "accent" } : { label: "Advice", tone: "neutral" };
    case "approved":
      return proposal.operation ? { label: "Approved", tone: "success" } : { label: "Approved, not queued", tone: "warning" };
    case "rejected":
      return { label: "Rejected", tone: "neutral" };
    case "withdrawn":
      return { label: "Withdrawn", tone: "neutral" };
  }
}

interface FigureRow {
  key: keyof PredictedPool;
  label: string;
  description: string;
  format: (value: number | null) => string;
  /** A change of this sign is better. */
  better: -1 | 1;
}

const figureRows: FigureRow[] = [
  {
    key: "coTenantCapacityThrottled",
    label: "Co-tenants' refused requests",
    description: "Requests of the other tenants the instance refused for capacity over the recommendation's window",
    format: (value) => formatCount(value, "req"),
    better: -1,
  },
  {
    key: "jain",
    label: "Fairness (Jain's index)",
    description: "1 when every tenant gets its fair share, 1/n when one tenant takes everything",
    format: formatIndex,
    better: 1,
  },
  {
    key: "peakUtilisation",
    label: "Peak utilisation",
    description: "The busier of reads and writes at its peak, against the instance's capacity",
    format: formatPercent,
    better: -1,
  },
];

function change(row: FigureRow, before: number | null, after: number | null): React.ReactNode {
  if (!isMeasured(before) || !isMeasured(after)) return "—";
  const delta = after - before;
  if (Math.abs(delta) < 1e-9) return <span className="text-muted">unchanged</span>;
  const text =
    row.key === "coTenantCapacityThrottled"
      ? `${delta > 0 ? "+" : "−"}${formatCount(Math.abs(delta))}`
      : row.key === "jain"
        ? `${delta > 0 ? "+" : "−"}${formatIndex(Math.abs(delta))}`
        : `${delta > 0 ? "+" : "−"}${formatInteger(Math.abs(delta) * 100)} pts`;
  const good = Math.sign(delta) === row.better;
  return (
    <span className={good ? "text-success" : "text-danger"}>
      {text}
      <span className="sr-only">{good ? " (better)" : " (worse)"}</span>
    </span>
  );
}

function PredictionTable({ proposal }: { proposal: ProposalView }) {
  if (!proposal.before || !proposal.after) return <p className="text-xs text-muted">No prediction was recorded.</p>;
  const { before, after } = proposal;
  const columns: Column<FigureRow>[] = [
    { key: "figure", header: "Pool", rowHeader: true, cell: (row) => <span title={row.description}>{row.label}</span> },
    { key: "before", header: "Measured", numeric: true, cell: (row) => row.format(before[row.key]) },
    { key: "after", header: "Predicted", numeric: true, cell: (row) => row.format(after[row.key]) },
    { key: "change", header: "Change", numeric: true, cell: (row) => change(row, before[row.key], after[row.key]) },
  ];
  return (
    <DataTable
      label={`Predicted effect: ${proposal.title}`}
      columns={columns}
      rows={figureRows}
      rowKey={(row) => row.key}
      empty={{ title: "No prediction" }}
      flush
    />
  );
}

function tenantList(ids: string[], count: number): string {
  if (count === 0) return "none";
  const shown = ids.join(", ");
  return count > ids.length ? `${shown} and ${formatInteger(count - ids.length)} more` : shown;
}

function BlastRadiusFacts({ proposal }: { proposal: ProposalView }) {
  const radius = proposal.blastRadius;
  if (!radius) return null;
  const items: { label: string; value: React.ReactNode }[] = [
    {
      label: `Co-tenants on ${radius.sourceInstanceId} (get the predicted effect)`,
      value: (
        <span title={tenantList(radius.sourceCoTenants, radius.sourceCoTenantCount)}>
          {countOf(radius.sourceCoTenantCount, "tenant")}
          {radius.sourceCoTenantCount ? `: ${tenantList(radius.sourceCoTenants, radius.sourceCoTenantCount)}` : ""}
        </span>
      ),
    },
  ];
  if (radius.targetInstanceId === newSiloTarget) items.push({ label: "Moves to", value: "a new silo of its own (no co-tenants)" });
  else if (radius.targetInstanceId)
    items.push({
      label: `Tenants on ${radius.targetInstanceId} (share it afterwards)`,
      value: `${countOf(radius.targetTenantCount, "tenant")}${radius.targetTenantCount ? `: ${tenantList(radius.targetTenants, radius.targetTenantCount)}` : ""}`,
    });
  else items.push({ label: "Changes", value: `${radius.tenantId}'s limits only; nothing moves` });
  if (radius.targetInstanceId)
    items.push({
      label: "Items to move",
      value: radius.itemsToMove === null ? "counted when the migration runs" : formatCount(radius.itemsToMove, "items"),
    });
  if (proposal.reversal) items.push({ label: "To undo it", value: proposal.reversal });
  return (
    <div className="rounded-md border border-border">
      <Facts items={items} />
    </div>
  );
}

function RejectForm({ proposal, action }: { proposal: ProposalView; action: DecisionAction }) {
  const router = useRouter();
  const reasonId = useId();
  const [open, setOpen] = useState(false);
  const [state, submit, pending] = useActionState<ActionResult<{ operationId: string } | undefined> | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok) {
      setOpen(false);
      router.refresh();
    }
    return result;
  }, null);
  if (!open)
    return (
      <div className="grid justify-items-start gap-1.5">
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="whitespace-nowrap rounded-md border border-border px-2.5 py-1 text-xs font-medium hover:bg-surface-2"
        >
          Reject…
        </button>
        <FormStatus state={state} />
      </div>
    );
  return (
    <form action={submit} className="grid max-w-md gap-2" aria-label={`Reject: ${proposal.title}`}>
      <input type="hidden" name="proposalId" value={proposal.id} />
      <label htmlFor={reasonId} className="text-xs font-medium">
        Why (optional; kept with the decision and in the audit log)
      </label>
      <textarea
        id={reasonId}
        name="reason"
        maxLength={500}
        rows={2}
        className="w-full rounded-md border border-border bg-surface px-2.5 py-1.5 text-[13px] outline-none focus-visible:ring-2 focus-visible:ring-accent"
      />
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md border border-border bg-surface-2 px-2.5 py-1 text-xs font-medium disabled:opacity-60"
        >
          {pending ? "Working…" : "Reject"}
        </button>
        <button
          type="button"
          onClick={() => setOpen(false)}
          disabled={pending}
          className="rounded-md border border-border px-2.5 py-1 text-xs hover:bg-surface-2"
        >
          Cancel
        </button>
      </div>
      <p className="text-xs text-muted">A rejected proposal is not proposed again for this finding.</p>
      <FormStatus state={state} />
    </form>
  );
}

function Decisions({ proposal, viewer, proposalsOff, actions }: { proposal: ProposalView } & Omit<ProposalPanelProps, "proposals">) {
  const canStart = proposal.action === "lower_plan" ? viewer.canChangePlan : viewer.canMigrate;
  if (proposal.status === "approved" && !proposal.operation && viewer.canDecide) {
    return proposalsOff ? (
      <p className="text-xs text-muted">Proposals are off (the kill switch): it is queued once an admin turns them on again.</p>
    ) : (
      <ConfirmedAction
        action={actions.queue}
        fields={{ proposalId: proposal.id }}
        label="Queue it again…"
        confirmLabel="Queue it"
        confirmation={`Queues ${proposal.title.charAt(0).toLowerCase()}${proposal.title.slice(1)} in the name of ${proposal.decidedByEmail ?? "its approver"}, who approved it. It is queued once, however often this is asked.`}
      />
    );
  }
  if (proposal.status !== "proposed") return null;
  if (!viewer.canDecide)
    return (
      <p className="text-xs text-muted">
        Operators and admins approve or reject proposals.
        {!proposal.applyOnApproval && canStart ? (
          <>
            {" "}
            <Link href={proposal.startHref} className="text-accent underline underline-offset-2">
              Start it from the tenant page
            </Link>
          </>
        ) : null}
      </p>
    );
  return (
    <div className="flex flex-wrap items-start gap-3">
      {proposal.applyOnApproval ? (
        proposalsOff ? (
          <p className="text-xs text-muted">Proposals are off (the kill switch): approvals are refused until an admin turns them on.</p>
        ) : (
          <ConfirmedAction
            action={actions.approve}
            fields={{ proposalId: proposal.id }}
            label="Approve…"
            confirmLabel="Approve and queue"
            confirmation={`Approving queues it now, in your name: ${proposal.title.charAt(0).toLowerCase()}${proposal.title.slice(1)}. ${proposal.reversal ?? ""}`}
          />
        )
      ) : canStart ? (
        <Link
          href={proposal.startHref}
          className="whitespace-nowrap rounded-md border border-border px-2.5 py-1 text-xs font-medium text-accent hover:bg-surface-2"
        >
          Start it from the tenant page
        </Link>
      ) : null}
      <RejectForm proposal={proposal} action={actions.reject} />
    </div>
  );
}

function ProposalItem({ proposal, ...rest }: { proposal: ProposalView } & Omit<ProposalPanelProps, "proposals">) {
  const status = statusOf(proposal);
  return (
    <li className="grid gap-3 px-4 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-[13px] font-semibold">{proposal.title}</h3>
        <Badge tone={status.tone}>{status.label}</Badge>
        {proposal.status === "proposed" ? (
          <span className="text-xs text-muted">
            {proposal.applyOnApproval ? "approval queues it" : "advice: started by hand"} · proposed{" "}
            <span className="num">{formatDateTime(proposal.createdAt)}</span>
          </span>
        ) : null}
      </div>
      <p className="max-w-3xl text-[13px]">{proposal.reason}</p>
      {proposal.alongside.length ? (
        <p className="text-xs text-muted">
          Predicted for the pool with the rest of its recommendation applied too:{" "}
          {proposal.alongside.map((move) => `${move.tenantId} (${move.action.replace(/_/g, " ")})`).join(", ")}.
        </p>
      ) : null}
      <div className="grid gap-3 lg:grid-cols-2">
        <PredictionTable proposal={proposal} />
        <BlastRadiusFacts proposal={proposal} />
      </div>
      {proposal.status !== "proposed" ? (
        <p className="text-xs text-muted">
          {proposal.status === "withdrawn" ? "Withdrawn" : `${status.label} by ${proposal.decidedByEmail ?? "—"}`}{" "}
          <span className="num">{formatDateTime(proposal.decidedAt)}</span>
          {proposal.decisionNote ? `: ${proposal.decisionNote}` : ""}
          {proposal.operation ? (
            <>
              {" · operation "}
              <Link href={`/operations/${proposal.operation.id}`} className="text-accent underline underline-offset-2">
                {proposal.operation.id}
              </Link>{" "}
              <OperationStatusBadge status={proposal.operation.status} />
            </>
          ) : null}
        </p>
      ) : null}
      {proposal.status === "approved" && !proposal.operation && proposal.queueError ? (
        <p role="alert" className="rounded-md bg-warning-soft px-3 py-2 text-xs text-warning">
          {proposal.queueError}
        </p>
      ) : null}
      <Decisions proposal={proposal} {...rest} />
    </li>
  );
}

export function ProposalPanel({ proposals, ...rest }: ProposalPanelProps) {
  const waiting = proposals.filter((p) => p.status === "proposed").length;
  return (
    <Panel
      title="Proposed remediations"
      actions={
        <span className="text-xs text-muted">
          {rest.proposalsOff ? "Proposals are off (kill switch)" : waiting ? `${countOf(waiting, "proposal")} waiting` : null}
        </span>
      }
    >
      {proposals.length === 0 ? (
        <EmptyState title="No proposal">
          {rest.proposalsOff
            ? "The kill switch is on: the watcher proposes nothing until an admin turns proposals on."
            : "The watcher proposes a reversible change (a migration or a lower plan) when this severity's policy allows it and the prediction improves the pool."}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-border" aria-label="Proposals">
          {proposals.map((proposal) => (
            <ProposalItem key={proposal.id} proposal={proposal} {...rest} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
