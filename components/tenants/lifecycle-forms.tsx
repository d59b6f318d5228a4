"use client";

// The tenant page's lifecycle controls: suspend (with the reason the data
// plane will give), resume, and request an offboarding (typed confirmation).
// Each asks before it submits; the server checks the permission again.
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { FormStatus, TextField, useRequestKey } from "@/components/forms/fields";
import type { ActionResult } from "@/lib/auth/action";

type FormAction<T = undefined> = (input: FormData) => Promise<ActionResult<T>>;

const buttonClass = "whitespace-nowrap rounded-md border border-border px-2.5 py-1 text-xs font-medium hover:bg-surface-2";
const dangerClass = "rounded-md bg-danger px-2.5 py-1 text-xs font-medium text-danger-fg disabled:opacity-60";

/** A form's submit: on success the page is read again (the panel shows the new state) and the form closes. */
function useRefreshingAction<T>(action: FormAction<T>, onDone: () => void) {
  const router = useRouter();
  return useActionState<ActionResult<T> | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok) {
      onDone();
      router.refresh();
    }
    return result;
  }, null);
}

/** A form's submit (danger) and Cancel (closes it without submitting). */
function SubmitRow({ pending, label, onCancel }: { pending: boolean; label: string; onCancel: () => void }) {
  return (
    <div className="flex flex-wrap gap-2">
      <button type="submit" disabled={pending} className={dangerClass}>
        {pending ? "Working…" : label}
      </button>
      <button type="button" onClick={onCancel} disabled={pending} className={buttonClass}>
        Cancel
      </button>
    </div>
  );
}

/** "Suspend…" (or "Change the reason…" for a suspended tenant): the reason, then a confirmation of what happens. */
export function SuspendForm({
  tenantId,
  action,
  currentReason = null,
}: {
  tenantId: string;
  action: FormAction;
  /** The reason it is suspended for now (the form then changes it). */
  currentReason?: string | null;
}) {
  const [open, setOpen] = useState(false);
  const [state, submit, pending] = useRefreshingAction(action, () => setOpen(false));
  const changing = currentReason !== null;
  // Once done, the panel itself shows the new state.
  if (!open)
    return (
      <button type="button" className={`${buttonClass} ${changing ? "text-accent" : "text-danger"}`} onClick={() => setOpen(true)}>
        {changing ? "Change the reason…" : "Suspend…"}
      </button>
    );
  return (
    <form
      action={submit}
      className="grid max-w-lg basis-full gap-2"
      aria-label={changing ? "Change the suspension reason" : "Suspend the tenant"}
    >
      <input type="hidden" name="tenantId" value={tenantId} />
      <TextField
        name="reason"
        label="Reason"
        required
        maxLength={200}
        defaultValue={currentReason ?? ""}
        placeholder="e.g. Unpaid invoice INV-2041"
        hint="The data plane refuses the tenant's requests with this reason: its callers see it."
        errors={state && !state.ok ? state.fieldErrors : undefined}
      />
      {changing ? null : (
        <p className="text-xs">
          Every read and write of <span className="font-mono">{tenantId}</span> is refused within seconds (once the data plane re-reads its
          routing). Its items are kept; resuming serves it again.
        </p>
      )}
      <SubmitRow pending={pending} label={changing ? "Change the reason" : "Suspend"} onCancel={() => setOpen(false)} />
      <FormStatus state={state} />
    </form>
  );
}

/**
 * Requesting an offboarding: the reason, the grace period, and the tenant's id
 * typed out (so it is never requested for the wrong tenant by a slip). It then
 * waits for an admin other than the requester.
 */
export function OffboardForm({
  tenantId,
  action,
  defaultGraceDays,
  maxGraceDays,
}: {
  tenantId: string;
  action: FormAction<{ operationId: string }>;
  defaultGraceDays: number;
  maxGraceDays: number;
}) {
  const requestKey = useRequestKey();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [state, submit, pending] = useRefreshingAction(action, () => setOpen(false));
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  if (!open)
    return (
      <button type="button" className={`${buttonClass} text-danger`} onClick={() => setOpen(true)}>
        Offboard…
      </button>
    );
  return (
    <form action={submit} className="grid max-w-lg basis-full gap-3" aria-label="Request the tenant's offboarding">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <p className="text-xs">
        Offboarding suspends <span className="font-mono">{tenantId}</span>, exports every item it has to the backup store, waits out the
        grace period (in which it can be cancelled and the tenant resumed), then deletes its items everywhere, verifies that none are left
        and that its co-tenants are unchanged, and issues a deletion certificate. An admin other than you must approve it first.
      </p>
      <TextField
        name="reason"
        label="Reason"
        required
        maxLength={500}
        placeholder="e.g. Contract ended 2026-11-30"
        hint="Kept in the audit log and on the certificate."
        errors={errors}
      />
      <TextField
        name="graceDays"
        label="Grace period (days)"
        type="number"
        required
        min={0}
        max={maxGraceDays}
        defaultValue={defaultGraceDays}
        hint={`Counted from the export; 0 to ${maxGraceDays}. Until it ends the offboarding can be cancelled.`}
        errors={errors}
        className="max-w-32"
      />
      <TextField
        name="confirmTenantId"
        label={`Type the tenant's id (${tenantId}) to confirm`}
        required
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        errors={errors}
      />
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={pending || typed.trim() !== tenantId} className={dangerClass}>
          {pending ? "Working…" : "Request offboarding"}
        </button>
        <button type="button" onClick={() => setOpen(false)} disabled={pending} className={buttonClass}>
          Cancel
        </button>
      </div>
      <FormStatus state={state} />
    </form>
  );
}

/** An admin's decision on an offboarding someone else requested; rejecting asks for a reason. */
export function ApprovalForm({
  operationId,
  approveAction,
  rejectAction,
}: {
  operationId: string;
  approveAction: FormAction<unknown>;
  rejectAction: FormAction<unknown>;
}) {
  const [mode, setMode] = useState<"idle" | "approve" | "reject">("idle");
  const [approveState, approve, approving] = useRefreshingAction(approveAction, () => setMode("idle"));
  const [rejectState, reject, rejecting] = useRefreshingAction(rejectAction, () => setMode("idle"));
  if (mode === "approve")
    return (
      <form action={approve} className="grid max-w-lg gap-2" aria-label="Approve the offboarding">
        <input type="hidden" name="operationId" value={operationId} />
        <p className="text-xs">
          The tenant is suspended and exported at once; after the grace period its items are deleted for good (backups keep them until they
          expire).
        </p>
        <SubmitRow pending={approving} label="Approve offboarding" onCancel={() => setMode("idle")} />
        <FormStatus state={approveState} />
      </form>
    );
  if (mode === "reject")
    return (
      <form action={reject} className="grid max-w-lg gap-2" aria-label="Reject the offboarding">
        <input type="hidden" name="operationId" value={operationId} />
        <TextField
          name="reason"
          label="Why it is rejected"
          required
          maxLength={500}
          errors={rejectState && !rejectState.ok ? rejectState.fieldErrors : undefined}
        />
        <SubmitRow pending={rejecting} label="Reject" onCancel={() => setMode("idle")} />
        <FormStatus state={rejectState} />
      </form>
    );
  const last = approveState ?? rejectState;
  return (
    <div className="grid justify-items-start gap-1">
      <div className="flex flex-wrap gap-2">
        <button type="button" className={`${buttonClass} text-danger`} onClick={() => setMode("approve")}>
          Approve…
        </button>
        <button type="button" className={`${buttonClass} text-accent`} onClick={() => setMode("reject")}>
          Reject…
        </button>
      </div>
      {last ? <FormStatus state={last} /> : null}
    </div>
  );
}
