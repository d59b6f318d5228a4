"use client";

import { useRouter } from "next/navigation";
import { useActionState, useId, useState } from "react";
import { FormStatus, useRequestKey } from "@/components/forms/fields";
import type { ActionResult } from "@/lib/auth/action";

type Action = (input: FormData) => Promise<ActionResult<{ operationId: string } | undefined>>;

/**
 * An action that changes something outside the form (a repair, a clean-up, a check that freezes writes): the button asks first
 * (saying exactly what will change), and only the confirmation submits. On
 * success the page is read again, or the queued operation's page opens.
 */
export function ConfirmedAction({
  action,
  fields,
  label,
  confirmation,
  confirmLabel,
  opens = "page",
}: {
  action: Action;
  /** Hidden inputs: what the action acts on. */
  fields: Record<string, string>;
  label: string;
  confirmation: string;
  confirmLabel: string;
  /** "operation": the action queues one (it gets a request key) and its page opens. */
  opens?: "page" | "operation";
}) {
  const router = useRouter();
  const requestKey = useRequestKey();
  const confirmationId = useId();
  const [asking, setAsking] = useState(false);
  const [state, submit, pending] = useActionState<ActionResult<{ operationId: string } | undefined> | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok) {
      setAsking(false);
      if (opens === "operation" && result.data) router.push(`/operations/${result.data.operationId}`);
      else router.refresh();
    }
    return result;
  }, null);
  return (
    <form action={submit} className="grid justify-items-start gap-1.5">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {opens === "operation" ? <input type="hidden" name="idempotencyKey" value={requestKey} /> : null}
      {asking ? (
        <div role="group" aria-labelledby={confirmationId} className="grid max-w-md gap-2">
          <p id={confirmationId} className="text-xs">
            {confirmation}
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="submit"
              disabled={pending}
              className="rounded-md bg-danger px-2.5 py-1 text-xs font-medium text-danger-fg disabled:opacity-60"
            >
              {pending ? "Working…" : confirmLabel}
            </button>
            <button
              type="button"
              onClick={() => setAsking(false)}
              disabled={pending}
              className="rounded-md border border-border px-2.5 py-1 text-xs hover:bg-surface-2"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          onClick={() => setAsking(true)}
          className="whitespace-nowrap rounded-md border border-border px-2.5 py-1 text-xs font-medium text-accent hover:bg-surface-2"
        >
          {label}
        </button>
      )}
      <FormStatus state={state} />
    </form>
  );
}
