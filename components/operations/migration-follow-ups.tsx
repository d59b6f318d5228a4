"use client";

import { FormStatus, SubmitButton, useQueueOperation, useRequestKey, type QueueAction } from "@/components/forms/fields";

type Action = QueueAction;

/** A button that queues a rollback or clean-up of a migration and opens the new operation. */
export function FollowUpButton({
  migrationId,
  action,
  label,
  description,
}: {
  migrationId: string;
  action: Action;
  label: string;
  description: string;
}) {
  const requestKey = useRequestKey();
  const [state, submit, pending] = useQueueOperation(action);
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
