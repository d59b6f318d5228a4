"use client";

import { useState } from "react";
import { FormStatus, SubmitButton, TextField, useQueueOperation, useRequestKey, type QueueAction } from "@/components/forms/fields";
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
  const [choice, setChoice] = useState(choosable.find((t) => t.id === initialTarget)?.id ?? choosable[0]?.id ?? "");
  const chosen = targets.find((t) => t.id === choice);
  const [rate, setRate] = useState<string | null>(null);
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
          {target.refusal ? <p className="mt-1 max-w-prose text-xs text-danger">Refused: {target.refusal}</p> : null}
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
        <SubmitButton pending={pending} pendingText="Queuing…">
          {chosen ? `Migrate ${tenantId} to ${chosen.kind === "silo" ? "its own silo" : chosen.id}` : "Choose a target"}
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
