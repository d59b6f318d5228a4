"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/auth/action";
import { roleLabels } from "@/lib/auth/permissions";
import { roles, type RoleValue } from "@/lib/catalog/vocabulary";

type Action = (input: FormData) => Promise<ActionResult>;

export function UserAccessForm({
  user,
  action,
}: {
  user: { id: string; email: string; role: RoleValue; disabled: boolean };
  action: Action;
}) {
  const [state, submit, pending] = useActionState<ActionResult | null, FormData>((_, form) => action(form), null);
  return (
    <form action={submit} className="flex flex-wrap items-center gap-2" aria-label={`Access for ${user.email}`}>
      <input type="hidden" name="userId" value={user.id} />
      <select
        name="role"
        defaultValue={user.role}
        aria-label={`Role for ${user.email}`}
        className="rounded-md border border-border bg-surface px-2 py-1"
      >
        {roles.map((role) => (
          <option key={role} value={role}>
            {roleLabels[role]}
          </option>
        ))}
      </select>
      <select
        name="disabled"
        defaultValue={String(user.disabled)}
        aria-label={`Sign-in for ${user.email}`}
        className="rounded-md border border-border bg-surface px-2 py-1"
      >
        <option value="false">Can sign in</option>
        <option value="true">Disabled</option>
      </select>
      <button type="submit" disabled={pending} className="rounded-md bg-accent px-3 py-1 font-medium text-accent-fg disabled:opacity-60">
        {pending ? "Saving…" : "Save"}
      </button>
      <span role="status" aria-live="polite" className={state && !state.ok ? "text-danger" : "text-muted"}>
        {state ? (state.ok ? state.message : state.error) : ""}
      </span>
    </form>
  );
}
