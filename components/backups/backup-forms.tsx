"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import {
  FormStatus,
  SelectField,
  SubmitButton,
  TextField,
  useQueueOperation,
  useRequestKey,
  type QueueAction,
} from "@/components/forms/fields";
import type { ActionResult } from "@/lib/auth/action";

export interface InstanceOption {
  id: string;
  label: string;
  schedule: { enabled: boolean; intervalHours: number; retentionDays: number; strategy: "per_tenant" | "whole_table" } | null;
}

const strategyOptions = [
  { value: "per_tenant", label: "Separated at backup (per-tenant files)" },
  { value: "whole_table", label: "Separated at restore (one file set)" },
];

export function BackUpNowForm({
  instances,
  initialInstance,
  action,
}: {
  instances: InstanceOption[];
  initialInstance: string | null;
  action: QueueAction;
}) {
  const requestKey = useRequestKey();
  const [state, submit, pending] = useQueueOperation(action);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={submit} aria-label="Back up a storage instance" className="flex flex-wrap items-end gap-4 px-4 py-3">
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <SelectField
        name="storageInstanceId"
        label="Storage instance"
        errors={fieldErrors}
        defaultValue={initialInstance ?? instances[0]?.id}
        options={instances.map((i) => ({ value: i.id, label: i.label }))}
      />
      <SelectField name="strategy" label="Strategy" errors={fieldErrors} defaultValue="per_tenant" options={strategyOptions} />
      <SubmitButton pending={pending} pendingText="Queuing…">
        Back up now
      </SubmitButton>
      <FormStatus state={state} />
    </form>
  );
}

export function ScheduleForm({
  instances,
  initialInstance = null,
  action,
}: {
  instances: InstanceOption[];
  /** The instance the page was opened for (?instance=). */
  initialInstance?: string | null;
  action: (form: FormData) => Promise<ActionResult>;
}) {
  const [instanceId, setInstanceId] = useState(instances.find((i) => i.id === initialInstance)?.id ?? instances[0]?.id ?? "");
  const current = instances.find((i) => i.id === instanceId)?.schedule;
  const [state, submit, pending] = useActionState<ActionResult | null, FormData>((_, form) => action(form), null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    // Keyed by instance so the fields show the chosen instance's schedule.
    <form action={submit} aria-label="Set a backup schedule" className="flex flex-wrap items-end gap-4 px-4 py-3">
      <SelectField
        name="storageInstanceId"
        label="Storage instance"
        errors={fieldErrors}
        value={instanceId}
        onChange={(e) => setInstanceId(e.target.value)}
        options={instances.map((i) => ({ value: i.id, label: i.label }))}
      />
      <div key={instanceId} className="contents">
        <SelectField
          name="enabled"
          label="Scheduled"
          errors={fieldErrors}
          defaultValue={current?.enabled === false ? "off" : "on"}
          options={[
            { value: "on", label: "On" },
            { value: "off", label: "Off" },
          ]}
        />
        <TextField
          name="intervalHours"
          label="Every (hours)"
          inputMode="numeric"
          className="w-28"
          errors={fieldErrors}
          defaultValue={String(current?.intervalHours ?? 24)}
        />
        <TextField
          name="retentionDays"
          label="Keep (days)"
          inputMode="numeric"
          className="w-28"
          errors={fieldErrors}
          defaultValue={String(current?.retentionDays ?? 7)}
        />
        <SelectField
          name="strategy"
          label="Strategy"
          errors={fieldErrors}
          defaultValue={current?.strategy ?? "per_tenant"}
          options={strategyOptions}
        />
      </div>
      <SubmitButton pending={pending} pendingText="Saving…">
        Save schedule
      </SubmitButton>
      <FormStatus state={state} />
    </form>
  );
}

export interface BackupChoice {
  id: string;
  label: string;
  detail: string;
}

/** Picks a backup (or, in AWS mode, a point in time) and queues the dry run; the restore itself follows from the dry run's page. */
export function RestoreDryRunForm({
  tenantId,
  backups,
  initialBackup,
  pointInTime,
  action,
}: {
  tenantId: string;
  backups: BackupChoice[];
  initialBackup: string | null;
  pointInTime: boolean;
  action: QueueAction;
}) {
  const requestKey = useRequestKey();
  const [choice, setChoice] = useState(
    backups.find((b) => b.id === initialBackup)?.id ?? backups[0]?.id ?? (pointInTime ? "point-in-time" : ""),
  );
  const [state, submit, pending] = useQueueOperation(action);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={submit} aria-label={`Dry run of a restore of ${tenantId}`}>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="mode" value="dry_run" />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <input type="hidden" name="backupId" value={choice === "point-in-time" ? "" : choice} />
      <fieldset>
        <legend className="sr-only">Restore from</legend>
        <ul className="divide-y divide-border">
          {backups.map((backup) => (
            <li key={backup.id} className={`flex items-start gap-3 px-4 py-2 ${choice === backup.id ? "bg-accent-soft" : ""}`}>
              <input
                type="radio"
                name="source"
                id={`backup-${backup.id}`}
                value={backup.id}
                checked={choice === backup.id}
                onChange={() => setChoice(backup.id)}
                className="mt-1"
              />
              <label htmlFor={`backup-${backup.id}`} className="grid gap-0.5 text-[13px]">
                <span className="num font-medium">{backup.label}</span>
                <span className="num text-xs text-muted">{backup.detail}</span>
              </label>
            </li>
          ))}
          {pointInTime ? (
            <li className={`flex items-start gap-3 px-4 py-2 ${choice === "point-in-time" ? "bg-accent-soft" : ""}`}>
              <input
                type="radio"
                name="source"
                id="point-in-time"
                value="point-in-time"
                checked={choice === "point-in-time"}
                onChange={() => setChoice("point-in-time")}
                className="mt-1"
              />
              <div className="grid gap-1">
                <label htmlFor="point-in-time" className="text-[13px] font-medium">
                  A point in time (DynamoDB point-in-time recovery)
                </label>
                <TextField
                  name="pointInTime"
                  label="Time (UTC, ISO 8601)"
                  placeholder="2026-11-24T10:00:00Z"
                  disabled={choice !== "point-in-time"}
                  errors={fieldErrors}
                  className="w-64"
                />
              </div>
            </li>
          ) : null}
        </ul>
      </fieldset>
      {fieldErrors?.backupId ? <p className="px-4 pt-2 text-xs text-danger">{fieldErrors.backupId.join(" · ")}</p> : null}
      <div className="flex flex-wrap items-center gap-4 border-t border-border px-4 py-3">
        <SubmitButton pending={pending} pendingText="Queuing…">
          Dry run
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

/**
 * On a succeeded dry run's page: restore staged (recommended where the dry run found a placement to stage into) or
 * in place, after confirming; or to a side table.
 */
export function RestoreFollowUp({
  tenantId,
  source,
  dryRunId,
  stagedInto,
  action,
}: {
  tenantId: string;
  source: { backupId?: string; pointInTime?: string };
  dryRunId: string;
  /** Where a staged restore would go, as the dry run found; null: in place only. */
  stagedInto: string | null;
  action: QueueAction;
}) {
  const requestKey = useRequestKey();
  const [state, submit, pending] = useQueueOperation(action);
  const [confirmed, setConfirmed] = useState(false);
  return (
    <form action={submit} aria-label={`Restore ${tenantId}`} className="space-y-3 px-4 py-3">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="backupId" value={source.backupId ?? ""} />
      <input type="hidden" name="pointInTime" value={source.pointInTime ?? ""} />
      <input type="hidden" name="dryRunId" value={dryRunId} />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <label className="flex items-start gap-2 text-[13px]">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} className="mt-0.5" />
        <span>
          Freeze {tenantId}&apos;s writes and replace its items with the source&apos;s
          {stagedInto
            ? ` (staged: the source's items are written to ${stagedInto} and checked while ${tenantId} keeps working, its writes since are copied on top, then writes are frozen only for the last changes and the switch; in place: frozen for the whole replace)`
            : " (its items now are saved first, and put back if the restore fails)"}
        </span>
      </label>
      <div className="flex flex-wrap items-center gap-3">
        {stagedInto ? (
          <button
            type="submit"
            name="mode"
            value="staged"
            disabled={pending || !confirmed}
            className="rounded-md bg-danger px-3 py-1.5 text-[13px] font-medium text-danger-fg disabled:opacity-50"
          >
            Restore staged into {stagedInto} (recommended)
          </button>
        ) : null}
        <button
          type="submit"
          name="mode"
          value="in_place"
          disabled={pending || !confirmed}
          className={
            stagedInto
              ? "rounded-md border border-danger px-3 py-1.5 text-[13px] font-medium text-danger hover:bg-surface-2 disabled:opacity-50"
              : "rounded-md bg-danger px-3 py-1.5 text-[13px] font-medium text-danger-fg disabled:opacity-50"
          }
        >
          Restore in place
        </button>
        <button
          type="submit"
          name="mode"
          value="side_table"
          disabled={pending}
          className="rounded-md border border-border bg-surface px-3 py-1.5 text-[13px] font-medium hover:bg-surface-2 disabled:opacity-50"
        >
          Restore to a side table
        </button>
        <FormStatus state={state} />
      </div>
      <p className="text-xs text-muted">A side table gets the source&apos;s items for inspection; the tenant is not touched.</p>
    </form>
  );
}

/**
 * "Back up now" on a tenant's or an instance's page: pick the instance (a bridge tenant has two), confirm with a
 * strategy, and follow the queued backup on its operation's page. Shown only to roles that may back up; the action
 * checks again.
 */
export function BackUpButton({ instances, action }: { instances: { id: string; tenants: number }[]; action: QueueAction }) {
  const requestKey = useRequestKey();
  const [open, setOpen] = useState(false);
  const [instanceId, setInstanceId] = useState(instances.length === 1 ? instances[0]!.id : "");
  const [state, submit, pending] = useActionState<Awaited<ReturnType<QueueAction>> | null, FormData>((_, form) => action(form), null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const chosen = instances.find((i) => i.id === instanceId);
  if (state?.ok)
    return (
      <p role="status" className="text-[13px]">
        {state.message}{" "}
        <Link href={`/operations/${state.data.operationId}`} className="text-accent hover:underline">
          Follow its progress
        </Link>
      </p>
    );
  if (!open)
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-md border border-border px-2 py-0.5 text-xs text-accent hover:bg-surface-2"
      >
        Back up now
      </button>
    );
  return (
    <form action={submit} aria-label="Back up now" className="grid max-w-md gap-3 rounded-md border border-border p-3">
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      {instances.length > 1 ? (
        <SelectField
          name="storageInstanceId"
          label="Storage instance"
          errors={fieldErrors}
          value={instanceId}
          onChange={(event) => setInstanceId(event.target.value)}
          options={[{ value: "", label: "Choose…" }, ...instances.map((i) => ({ value: i.id, label: i.id }))]}
        />
      ) : (
        <input type="hidden" name="storageInstanceId" value={instanceId} />
      )}
      <SelectField name="strategy" label="Strategy" errors={fieldErrors} defaultValue="per_tenant" options={strategyOptions} />
      <p className="text-xs text-muted">
        {chosen
          ? `Backs up all of ${chosen.id}: ${chosen.tenants === 1 ? "1 tenant" : `${chosen.tenants.toLocaleString("en-US")} tenants`}' items, read with a parallel Scan while they keep working.`
          : "Choose the instance to back up."}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <SubmitButton pending={pending} pendingText="Queuing…" disabled={!chosen}>
          {chosen ? `Confirm: back up ${chosen.id}` : "Back up"}
        </SubmitButton>
        <button
          type="button"
          onClick={() => setOpen(false)}
          className="rounded-md border border-border px-3 py-1.5 text-[13px] hover:bg-surface-2"
        >
          Cancel
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
