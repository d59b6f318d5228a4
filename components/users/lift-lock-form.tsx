"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/auth/action";

type Action = (input: FormData) => Promise<ActionResult>;

/** Lifts one sign-in lock (admins only; the server checks, and audits a refusal). */
export function LiftLockForm({ lockKey, subject, action }: { lockKey: string; subject: string; action: Action }) {
  const [state, submit, pending] = useActionState<ActionResult | null, FormData>((_, form) => action(form), null);
  return (
    <form action={submit} className="flex flex-wrap items-center gap-2" aria-label={`Lift the sign-in lock on ${subject}`}>
      <input type="hidden" name="key" value={lockKey} />
      <button
        type="submit"
        disabled={pending || Boolean(state?.ok)}
        className="rounded-md border border-border px-3 py-1 font-medium hover:bg-surface-2 disabled:opacity-60"
      >
        {pending ? "Lifting…" : "Lift lock"}
      </button>
      <span role="status" aria-live="polite" className={state && !state.ok ? "text-danger" : "text-muted"}>
        {state ? (state.ok ? state.message : state.error) : ""}
      </span>
    </form>
  );
}
