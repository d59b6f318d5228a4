// The tenant page's lifecycle panel: whether the data plane serves the tenant
// (active, suspended with its reason and since when, offboarded), its
// offboarding if one was requested (awaiting approval, grace period and its
// end, deleting, the certificate), and the controls the viewer's role allows.
import Link from "next/link";
import { ConfirmedAction } from "@/components/forms/confirmed-action";
import { Badge, TenantStatusBadge } from "@/components/ui/badges";
import { formatDateTime, formatPercent } from "@/components/ui/format";
import { Facts, Panel } from "@/components/ui/panel";
import type { ActionResult } from "@/lib/auth/action";
import type { TenantStatusValue } from "@/lib/catalog/vocabulary";
import type { TenantOffboarding } from "@/lib/lifecycle/lifecycle-view";
import type { DataPlaneAnswer } from "@/lib/lifecycle/probe";
import { ApprovalForm, OffboardForm, SuspendForm } from "./lifecycle-forms";

type FormAction<T = undefined> = (input: FormData) => Promise<ActionResult<T>>;

export interface LifecycleActions {
  suspend: FormAction;
  resume: FormAction;
  /** Absent until offboarding requests are wired: the offboarding controls are then not shown. */
  requestOffboarding?: FormAction<{ operationId: string }>;
  approveOffboarding?: FormAction<{ operationId: string }>;
  rejectOffboarding?: FormAction<{ operationId: string }>;
  cancelOffboarding?: FormAction<{ operationId: string }>;
}

export interface LifecyclePermissions {
  suspend: boolean;
  offboard: boolean;
  approve: boolean;
}

interface LifecyclePanelProps {
  tenant: {
    id: string;
    status: TenantStatusValue;
    suspendedReason: string | null;
    suspendedAt: Date | null;
    offboardedAt: Date | null;
  };
  offboarding: TenantOffboarding | null;
  /** What a fresh data-plane client answers for the tenant now (null: not asked, e.g. never placed). */
  dataPlane: DataPlaneAnswer | null;
  /** The viewer: who may do what (the server checks again), and who they are (an approver is never the requester). */
  viewerId: string;
  may: LifecyclePermissions;
  /** Another operation holds the tenant (a migration, a restore...): suspending waits for it. */
  heldBy: { id: string; kind: string } | null;
  offboardingDefaults: { graceDays: number; maxGraceDays: number };
  actions: LifecycleActions;
}

/** Time left until `until`, in words ("6 d 23 h left"). */
function timeLeft(until: Date, nowMs: number): string {
  const left = until.getTime() - nowMs;
  if (!(left > 0)) return "ending now";
  // Whole minutes left, rounded down: "6 d 23 h" until a full 7 days remain, never more than is left.
  const minutes = Math.max(1, Math.floor(left / 60_000));
  const days = Math.floor(minutes / 1_440);
  const hours = Math.floor((minutes % 1_440) / 60);
  return `${days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`} left`;
}

const stepName = (step: string | null) => (step ? step.replace(/_/g, " ") : "starting");

function OperationLink({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <Link href={`/operations/${id}`} className="text-accent underline">
      {children}
    </Link>
  );
}

/** What the offboarding is doing, in one or two sentences, and who asked. */
function OffboardingSummary({ offboarding }: { offboarding: TenantOffboarding }) {
  const { phase } = offboarding;
  const reason = typeof offboarding.parameters.reason === "string" ? offboarding.parameters.reason : null;
  const graceDays = typeof offboarding.parameters.graceDays === "number" ? offboarding.parameters.graceDays : null;
  const requested = (
    <>
      Requested by {offboarding.requestedByEmail} on <span className="num">{formatDateTime(offboarding.createdAt)}</span>
      {reason ? (
        <>
          {" "}
          (“<span dir="auto">{reason}</span>”)
        </>
      ) : null}
      {graceDays !== null ? `, with a grace period of ${graceDays} day${graceDays === 1 ? "" : "s"}` : ""}.
    </>
  );
  const approved = offboarding.approvedByEmail ? (
    <>
      {" "}
      Approved by {offboarding.approvedByEmail}
      {offboarding.approvedAt ? (
        <>
          {" "}
          on <span className="num">{formatDateTime(offboarding.approvedAt)}</span>
        </>
      ) : null}
      .
    </>
  ) : null;
  let state: React.ReactNode;
  switch (phase.phase) {
    case "awaiting_approval":
      state = "It waits for an admin other than the requester to approve it. Nothing has been done to the tenant yet.";
      break;
    case "preparing":
      state = (
        <>
          Suspending and exporting the tenant ({stepName(phase.step)}, {formatPercent(offboarding.progress)}).
        </>
      );
      break;
    case "grace":
      state = phase.cancelRequested ? (
        "Cancelling: the worker resumes the tenant."
      ) : (
        <>
          Exported; suspended during the grace period, which ends{" "}
          {phase.endsAt ? (
            <>
              on <span className="num">{formatDateTime(phase.endsAt)}</span> ({timeLeft(phase.endsAt, offboarding.readAtMs)})
            </>
          ) : (
            "once the export is done"
          )}
          . Until then it can be cancelled and the tenant resumed; after it, its items are deleted.
        </>
      );
      break;
    case "deleting":
      state = (
        <>
          Deleting and verifying ({stepName(phase.step)}, {formatPercent(offboarding.progress)}): it can no longer be cancelled.
        </>
      );
      break;
    case "done":
      state = (
        <>
          Done
          {offboarding.finishedAt ? (
            <>
              {" "}
              on <span className="num">{formatDateTime(offboarding.finishedAt)}</span>
            </>
          ) : null}
          : its items were deleted and verified gone.
        </>
      );
      break;
    case "cancelled":
      state = phase.beforeApproval ? "Rejected or cancelled before approval: nothing was done." : "Cancelled during the grace period.";
      break;
    case "stopped":
      state = `It ${phase.status === "failed" ? "failed" : "stopped and needs an operator"}${phase.error ? `: ${phase.error}` : ""}.`;
      break;
  }
  return (
    <p className="text-[13px]">
      {requested}
      {approved} {state}
    </p>
  );
}

const phaseBadge: Record<
  TenantOffboarding["phase"]["phase"],
  { tone: "neutral" | "warning" | "danger" | "accent" | "success"; text: string }
> = {
  awaiting_approval: { tone: "warning", text: "Awaiting approval" },
  preparing: { tone: "accent", text: "Exporting" },
  grace: { tone: "warning", text: "Grace period" },
  deleting: { tone: "danger", text: "Deleting" },
  done: { tone: "neutral", text: "Offboarded" },
  cancelled: { tone: "neutral", text: "Cancelled" },
  stopped: { tone: "danger", text: "Stopped" },
};

function OffboardingControls({
  offboarding,
  viewerId,
  may,
  actions,
}: Pick<LifecyclePanelProps, "viewerId" | "may" | "actions"> & { offboarding: TenantOffboarding }) {
  const { phase } = offboarding;
  const controls: React.ReactNode[] = [];
  if (phase.phase === "awaiting_approval" && may.approve && actions.approveOffboarding && actions.rejectOffboarding) {
    controls.push(
      offboarding.requestedById === viewerId ? (
        <p key="self" className="text-xs text-muted">
          You requested it: another admin approves or rejects it.
        </p>
      ) : (
        <ApprovalForm
          key="approve"
          operationId={offboarding.id}
          approveAction={actions.approveOffboarding}
          rejectAction={actions.rejectOffboarding}
        />
      ),
    );
  }
  const cancellable = phase.phase === "awaiting_approval" || (phase.phase === "grace" && !phase.cancelRequested);
  if (cancellable && offboarding.cancellable && may.offboard && actions.cancelOffboarding)
    controls.push(
      <ConfirmedAction
        key="cancel"
        action={actions.cancelOffboarding}
        fields={{ operationId: offboarding.id }}
        label={phase.phase === "grace" ? "Cancel the offboarding…" : "Withdraw the request…"}
        confirmLabel={phase.phase === "grace" ? "Cancel it and resume the tenant" : "Withdraw it"}
        confirmation={
          phase.phase === "grace"
            ? "The offboarding stops before anything is deleted and the tenant is resumed: the data plane serves it again within seconds. The export stays in the backup store."
            : "The request is withdrawn; nothing was done to the tenant."
        }
      />,
    );
  return controls.length ? <div className="flex flex-wrap items-start gap-3">{controls}</div> : null;
}

/** What a data-plane client answers when asked now (the routing it reads; no item is read). */
function DataPlaneAnswerLine({ answer }: { answer: DataPlaneAnswer }) {
  return (
    <p className="text-xs text-muted">
      Asked just now, the data-plane library{" "}
      {answer.serving === true ? (
        <>
          serves it (routing {answer.status}, version <span className="num">{answer.version}</span>).
        </>
      ) : answer.serving === false ? (
        <>
          refuses it with {answer.error}:{" "}
          <code dir="auto" className="rounded bg-surface-2 px-1 py-0.5 font-mono text-fg">
            {answer.message}
          </code>
        </>
      ) : (
        <>could not tell: {answer.message}</>
      )}
    </p>
  );
}

export function LifecyclePanel({
  tenant,
  offboarding,
  dataPlane,
  viewerId,
  may,
  heldBy,
  offboardingDefaults,
  actions,
}: LifecyclePanelProps) {
  const open =
    offboarding && !["done", "cancelled"].includes(offboarding.phase.phase) && !(offboarding.phase.phase === "stopped" && !heldBy)
      ? offboarding
      : null;
  const heldByOther = heldBy && heldBy.id !== open?.id ? heldBy : null;
  const suspendable = may.suspend && !heldBy && (tenant.status === "active" || tenant.status === "suspended");
  const offboardable =
    may.offboard && actions.requestOffboarding && !heldBy && !open && (tenant.status === "active" || tenant.status === "suspended");
  const facts = [
    { label: "Status", value: <TenantStatusBadge status={tenant.status} /> },
    ...(tenant.status === "suspended"
      ? [
          { label: "Reason", value: <span dir="auto">{tenant.suspendedReason ?? "—"}</span> },
          { label: "Since", value: <span className="num">{formatDateTime(tenant.suspendedAt)}</span> },
        ]
      : []),
    ...(tenant.offboardedAt ? [{ label: "Offboarded", value: <span className="num">{formatDateTime(tenant.offboardedAt)}</span> }] : []),
  ];
  const deleting = open?.phase.phase === "deleting";
  const serving =
    tenant.status === "suspended"
      ? `The data plane refuses its reads and writes with this reason; ${deleting ? "its items are being deleted" : "its items are kept"}.`
      : tenant.status === "offboarded"
        ? "Its items were deleted; the catalog keeps it for the audit, and its key prefix is never reused."
        : tenant.status === "active"
          ? "The data plane serves its reads and writes."
          : null;
  return (
    <Panel
      title="Lifecycle"
      className="mt-4"
      actions={open ? <Badge tone={phaseBadge[open.phase.phase].tone}>Offboarding: {phaseBadge[open.phase.phase].text}</Badge> : null}
    >
      <div className="grid gap-x-6 md:grid-cols-[minmax(0,22rem)_1fr]">
        <Facts items={facts} />
        <div className="grid content-start gap-3 border-t border-border px-4 py-3 md:border-t-0 md:border-l">
          {serving ? <p className="text-[13px]">{serving}</p> : null}
          {dataPlane ? <DataPlaneAnswerLine answer={dataPlane} /> : null}
          {heldByOther ? (
            <p className="text-xs text-muted">
              <OperationLink id={heldByOther.id}>{heldByOther.kind.replace(/_/g, " ")}</OperationLink> holds the tenant: suspending and
              offboarding wait until it ends.
            </p>
          ) : null}
          {suspendable || offboardable ? (
            <div className="flex flex-wrap items-start gap-3">
              {suspendable ? (
                <SuspendForm
                  tenantId={tenant.id}
                  action={actions.suspend}
                  currentReason={tenant.status === "suspended" ? (tenant.suspendedReason ?? "") : null}
                />
              ) : null}
              {suspendable && tenant.status === "suspended" ? (
                <ConfirmedAction
                  action={actions.resume}
                  fields={{ tenantId: tenant.id }}
                  label="Resume…"
                  confirmLabel="Resume"
                  confirmation={`The data plane serves ${tenant.id}'s reads and writes again within seconds.`}
                />
              ) : null}
              {offboardable && actions.requestOffboarding ? (
                <OffboardForm
                  tenantId={tenant.id}
                  action={actions.requestOffboarding}
                  defaultGraceDays={offboardingDefaults.graceDays}
                  maxGraceDays={offboardingDefaults.maxGraceDays}
                />
              ) : null}
            </div>
          ) : null}
          {offboarding ? (
            <div className="grid gap-2 rounded-md border border-border bg-surface-2 px-3 py-2.5">
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="text-[13px] font-semibold">{open ? "Offboarding" : "Last offboarding"}</h3>
                <Badge tone={phaseBadge[offboarding.phase.phase].tone}>{phaseBadge[offboarding.phase.phase].text}</Badge>
                <span className="ml-auto flex flex-wrap gap-3 text-xs">
                  {offboarding.hasCertificate ? (
                    <Link href={`/operations/${offboarding.id}/certificate`} className="text-accent underline">
                      Deletion certificate
                    </Link>
                  ) : null}
                  <OperationLink id={offboarding.id}>Its operation</OperationLink>
                </span>
              </div>
              <OffboardingSummary offboarding={offboarding} />
              <OffboardingControls offboarding={offboarding} viewerId={viewerId} may={may} actions={actions} />
            </div>
          ) : null}
        </div>
      </div>
    </Panel>
  );
}
