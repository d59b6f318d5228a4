"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { Badge, OperationStatusBadge } from "@/components/ui/badges";
import { formatClock, formatDuration, formatPercent } from "@/components/ui/format";
import type { ActionResult } from "@/lib/auth/action";
import { statusLabels } from "@/lib/operations/labels";
import { stepEtaSeconds, type OperationView } from "@/lib/operations/view-model";
import { ProgressBar } from "./progress-bar";

type Action = (input: FormData) => Promise<ActionResult>;

const stepTone = { done: "success", failed: "danger", running: "accent", waiting: "warning", pending: "neutral" } as const;
const active = (status: string) => status === "queued" || status === "running" || status === "awaiting_approval";

function stepDuration(step: OperationView["steps"][number], nowMs: number): string {
  if (!step.startedAt) return "";
  const end = step.finishedAt ? Date.parse(step.finishedAt) : nowMs;
  return formatDuration(end - Date.parse(step.startedAt));
}

function Control({
  label,
  pendingLabel,
  operationId,
  action,
  tone,
  onDone,
}: {
  label: string;
  pendingLabel: string;
  operationId: string;
  action: Action;
  tone: "danger" | "accent";
  onDone: () => void;
}) {
  const [state, submit, pending] = useActionState<ActionResult | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok) onDone();
    return result;
  }, null);
  return (
    <form action={submit} className="flex items-center gap-2">
      <input type="hidden" name="operationId" value={operationId} />
      <button
        type="submit"
        disabled={pending}
        className={`rounded-md px-3 py-1 text-[13px] font-medium disabled:opacity-60 ${tone === "danger" ? "border border-danger text-danger" : "bg-accent text-accent-fg"}`}
      >
        {pending ? pendingLabel : label}
      </button>
      {state ? (
        <span role="status" className={state.ok ? "text-muted" : "text-danger"}>
          {state.ok ? state.message : state.error}
        </span>
      ) : null}
    </form>
  );
}

export function OperationLive({
  initial,
  canManage,
  cancelAction,
  retryAction,
}: {
  initial: OperationView;
  canManage: boolean;
  cancelAction: Action;
  retryAction: Action;
}) {
  const query = useQuery({
    queryKey: ["operation", initial.id],
    queryFn: async (): Promise<OperationView> => {
      const response = await fetch(`/api/operations/${initial.id}`, { cache: "no-store" });
      if (!response.ok) throw new Error(response.status === 401 ? "Your session has ended: sign in again." : `HTTP ${response.status}`);
      return (await response.json()) as OperationView;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && active(q.state.data.status) ? 1_000 : false),
    refetchOnWindowFocus: false,
    retry: false,
  });
  const view = query.data;
  // When the operation ends (or restarts), the server-rendered parts of the page (times, attempts, worker) are re-read.
  const router = useRouter();
  const lastStatus = useRef(view.status);
  useEffect(() => {
    if (lastStatus.current !== view.status) router.refresh();
    lastStatus.current = view.status;
  }, [view.status, router]);
  const nowMs = Date.parse(view.readAt);
  const running = view.steps.find((s) => s.status === "running");
  const eta = running ? stepEtaSeconds(running, nowMs) : null;

  return (
    <div className="grid content-start gap-4">
      <section aria-label="Progress" className="rounded-lg border border-border bg-surface p-4">
        <div className="mb-2 flex flex-wrap items-center gap-3">
          <OperationStatusBadge status={view.status} />
          <span className="num text-[13px]">{formatPercent(view.progress)}</span>
          {running ? (
            <span className="text-muted">
              {running.label}
              {running.detail ? `: ${running.detail}` : ""}
              {eta !== null ? ` · about ${formatDuration(eta * 1000)} left in this step` : ""}
            </span>
          ) : null}
          {query.error ? (
            <span className="text-danger">Live updates paused: {query.error.message}</span>
          ) : active(view.status) ? (
            <span className="text-xs text-muted">updating every second</span>
          ) : null}
          {canManage ? (
            <span className="ml-auto flex gap-2">
              {view.cancellable ? (
                <Control
                  label="Cancel operation"
                  pendingLabel="Cancelling…"
                  operationId={view.id}
                  action={cancelAction}
                  tone="danger"
                  onDone={() => void query.refetch()}
                />
              ) : null}
              {view.status === "failed" || view.status === "needs_attention" ? (
                <Control
                  label={view.status === "needs_attention" ? "Retry: finish it" : "Retry"}
                  pendingLabel="Queuing…"
                  operationId={view.id}
                  action={retryAction}
                  tone="accent"
                  onDone={() => void query.refetch()}
                />
              ) : null}
            </span>
          ) : null}
        </div>
        <ProgressBar value={view.progress} label={`${statusLabels[view.status]}: ${formatPercent(view.progress)} of the operation`} />
        {view.error ? (
          <p
            role="alert"
            className={`mt-3 whitespace-pre-line rounded-md px-3 py-2 ${view.status === "needs_attention" ? "bg-warning-soft text-warning" : "bg-danger-soft text-danger"}`}
          >
            {view.error}
          </p>
        ) : null}
      </section>

      <section aria-label="Steps" className="rounded-lg border border-border bg-surface">
        <h2 className="border-b border-border px-4 py-2.5 text-[13px] font-semibold">Steps</h2>
        <ol className="divide-y divide-border">
          {view.steps.map((step, index) => (
            <li key={step.name} className="grid grid-cols-[2rem_1fr_auto] items-start gap-2 px-4 py-2.5">
              <span className="num pt-0.5 text-muted">{index + 1}</span>
              <div className="min-w-0">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{step.label}</span>
                  <Badge tone={stepTone[step.status]}>{step.status}</Badge>
                  {step.changesTenant ? <span className="text-xs text-muted">changes the tenant</span> : null}
                </div>
                {step.detail ? (
                  <p className="mt-0.5 break-words text-muted" dir="auto">
                    {step.detail}
                  </p>
                ) : null}
                {step.status === "running" ? (
                  <ProgressBar
                    value={step.progress ?? 0}
                    label={`${step.label}: ${formatPercent(step.progress ?? 0)}`}
                    className="mt-1.5 max-w-md"
                  />
                ) : null}
              </div>
              <div className="num text-right text-xs text-muted">
                <div>{formatClock(step.startedAt)}</div>
                <div>{stepDuration(step, nowMs)}</div>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
