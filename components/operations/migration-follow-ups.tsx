"use client";

import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { FormStatus, SubmitButton, useRequestKey } from "@/components/forms/fields";
import type { ActionResult } from "@/lib/auth/action";

type Action = (input: FormData) => Promise<ActionResult<{ operationId: string }>>;

/** A button that queues a rollback or clean-up of a migration and opens the new operation. */
export function FollowUpButton({ migrationId, action, label, description }: { migrationId: string; action: Action; label: string; description: string }) {
  const router = useRouter();
  const requestKey = useRequestKey();
  const [state, submit, pending] = useActionState<ActionResult<{ operationId: string }> | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok) router.push(`/operations/${result.data.operationId}`);
    return result;
  }, null);
  return (
    <form action={submit} className="space-y-1">
      <input type="hidden" name="migrationId" value={migrationId} />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingText="Queuing…">
          {label}
        </SubmitButton>
        <FormStatus state={state} />
      </div>
      <p className="text-xs text-muted">{description}</p>
    </form>
  );
}
