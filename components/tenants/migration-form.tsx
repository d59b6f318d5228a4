"use client";

import { useState } from "react";
import { FormStatus, SubmitButton, TextField, useQueueOperation, useRequestKey, type QueueAction } from "@/components/forms/fields";
import { Badge } from "@/components/ui/badges";
import { choiceColumn, DataTable, type Column } from "@/components/ui/data-table";
import { formatDuration, formatPercent, withUnit } from "@/components/ui/format";
import type { MigrationTarget } from "@/lib/migration/plan";

type Action = QueueAction;

const figures: Column<MigrationTarget>[] = [
  { key: "p95", header: "Busier side, 24 h p95", numeric: true, cell: (target) => formatPercent(target.p95Utilisation) },
  {
    key: "withTenant",
    header: "With this tenant",
    numeric: true,
    cell: (target) => (
      <span className={target.p95WithTenant > 0.8 ? "text-warning" : undefined}>{formatPercent(target.p95WithTenant)}</span>
    ),
  },
  {
    key: "copyCap",
    header: "Suggested copy cap",
    numeric: true,
    cell: (target) => withUnit(target.suggestedCopyRatePerSec, "items/s"),
  },
  { key: "duration", header: "Expected duration", numeric: true, cell: (target) => formatDuration(target.estimate.totalSeconds * 1000) },
  {
    key: "freeze",
    header: "Expected write freeze",
    numeric: true,
    cell: (target) => (
      <>
        {formatDuration(target.estimate.freezeMs)}
        {target.estimate.measured ? "" : <span className="text-muted"> (not yet measured)</span>}
      </>
    ),
  },
];

export function MigrationForm({
  tenantId,
  targets,
  initialTarget,
  action,
}: {
  tenantId: string;
  targets: MigrationTarget[];
  initialTarget: string | null;
  action: Action;
}) {
  const requestKey = useRequestKey();
  const choosable = targets.filter((t) => t.refusal === null);
  // Nothing is preselected but what was asked for (?target=) or the one target an open finding recommends.
  const recommended = choosable.filter((t) => t.recommended);
  const [choice, setChoice] = useState(
    choosable.find((t) => t.id === initialTarget)?.id ?? (recommended.length === 1 ? recommended[0]!.id : ""),
  );
  const chosen = targets.find((t) => t.id === choice);
  const [rate, setRate] = useState<string | null>(null);
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState("");
  const blocked = !chosen || (chosen.noHeadroom !== null && !(override && reason.trim()));
  const [state, submit, pending] = useQueueOperation(action);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const columns: Column<MigrationTarget>[] = [
    choiceColumn({
      name: "target",
      value: (target) => target.id,
      chosen: choice,
      disabled: (target) => target.refusal !== null,
      onChoose: (id) => {
        setChoice(id);
        setRate(null);
        setOverride(false);
      },
    }),
    {
      key: "target",
      header: "Target",
      className: "min-w-52",
      cell: (target) => (
        <>
          <label htmlFor={`target-${target.id}`} className="font-medium">
            {target.label}
          </label>
          {target.recommended ? (
            <span className="ml-2">
              <Badge tone="success">recommended</Badge>
            </span>
          ) : null}
          {target.refusal ? <p className="mt-1 max-w-prose text-xs text-danger">Refused: {target.refusal}</p> : null}
          {!target.refusal && target.noHeadroom ? (
            <p className="mt-1 max-w-prose text-xs text-warning">No headroom: {target.noHeadroom}. Only with an override and a reason.</p>
          ) : null}
        </>
      ),
    },
    ...figures,
  ];

  return (
    <form action={submit} aria-label={`Migrate ${tenantId}`}>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <fieldset className="min-w-0">
        <legend className="sr-only">Target storage instance</legend>
        <DataTable
          label="Target storage instances"
          columns={columns}
          rows={targets}
          rowKey={(target) => target.id}
          rowClassName={(target) => (choice === target.id ? "bg-accent-soft" : undefined)}
          empty={{ title: "No target", body: "No other active pool in the tenant's region, and no silo of its own." }}
        />
      </fieldset>
      {fieldErrors?.target ? <p className="px-4 pt-2 text-xs text-danger">{fieldErrors.target.join(" · ")}</p> : null}
      {chosen?.noHeadroom ? (
        <fieldset className="mx-4 mt-3 grid max-w-2xl gap-2 rounded-md border border-border bg-warning-soft px-3 py-2">
          <legend className="px-1 text-[13px] font-medium">{chosen.id} has no headroom for this tenant</legend>
          <p className="text-xs">{chosen.noHeadroom}. Its co-tenants may be throttled while the tenant copies in and after it arrives.</p>
          <label className="flex items-center gap-2 text-[13px]">
            <input type="checkbox" checked={override} onChange={(event) => setOverride(event.target.checked)} />
            Override the headroom check
          </label>
          {override ? (
            <TextField
              name="overrideReason"
              label="Reason (recorded with the operation and in the audit log)"
              value={reason}
              maxLength={500}
              required
              onChange={(event) => setReason(event.target.value)}
              errors={fieldErrors}
            />
          ) : null}
        </fieldset>
      ) : fieldErrors?.overrideReason ? (
        <p className="px-4 pt-2 text-xs text-danger">{fieldErrors.overrideReason.join(" · ")}</p>
      ) : null}
      <div className="flex flex-wrap items-end gap-4 border-t border-border px-4 py-3">
        <TextField
          name="copyRatePerSec"
          label="Copy cap (items/s, 0 = none)"
          inputMode="numeric"
          className="w-56"
          value={rate ?? String(chosen?.suggestedCopyRatePerSec ?? 0)}
          onChange={(event) => setRate(event.target.value)}
          errors={fieldErrors}
          hint="Keeps co-tenants of both instances under 80% busy"
        />
        <SubmitButton pending={pending} pendingText="Queuing…" disabled={blocked}>
          {chosen ? `Migrate ${tenantId} to ${chosen.kind === "silo" ? "its own silo" : chosen.id}` : "Choose a target"}
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
