"use client";

import { useState } from "react";
import { FormStatus, SubmitButton, TextField, useQueueOperation, useRequestKey, type QueueAction } from "@/components/forms/fields";
import { formatInteger } from "@/components/ui/format";
import type { MigrationTarget } from "@/lib/migration/plan";

type Action = QueueAction;

const percent = (fraction: number) => `${Math.round(fraction * 100)} %`;

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  return `${Math.round(seconds / 60)} min`;
}

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
  const [choice, setChoice] = useState(targets.find((t) => t.id === initialTarget)?.id ?? targets[0]?.id ?? "");
  const chosen = targets.find((t) => t.id === choice);
  const [rate, setRate] = useState<string | null>(null);
  const [state, submit, pending] = useQueueOperation(action);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;

  return (
    <form action={submit} aria-label={`Migrate ${tenantId}`}>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <fieldset>
        <legend className="sr-only">Target storage instance</legend>
        <div className="overflow-x-auto">
          <table className="w-full text-[13px]">
            <thead className="border-b border-border bg-surface-2 text-muted">
              <tr>
                <th scope="col" className="w-10 px-3 py-2" />
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Target
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Busier side, 24 h p95
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  With this tenant
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Suggested copy cap
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Expected duration
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Expected write freeze
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {targets.map((target) => (
                <tr key={target.id} className={choice === target.id ? "bg-accent-soft" : undefined}>
                  <td className="px-3 py-1.5 text-center">
                    <input
                      type="radio"
                      name="target"
                      value={target.id}
                      id={`target-${target.id}`}
                      checked={choice === target.id}
                      onChange={() => {
                        setChoice(target.id);
                        setRate(null);
                      }}
                    />
                  </td>
                  <td className="px-3 py-1.5">
                    <label htmlFor={`target-${target.id}`} className="font-medium">
                      {target.label}
                    </label>
                  </td>
                  <td className="num px-3 py-1.5 text-right">{percent(target.p95Utilisation)}</td>
                  <td className={`num px-3 py-1.5 text-right ${target.p95WithTenant > 0.8 ? "text-warning" : ""}`}>
                    {percent(target.p95WithTenant)}
                  </td>
                  <td className="num px-3 py-1.5 text-right">{formatInteger(target.suggestedCopyRatePerSec)} items/s</td>
                  <td className="num px-3 py-1.5 text-right">{formatSeconds(target.estimate.totalSeconds)}</td>
                  <td className="num px-3 py-1.5 text-right">
                    {formatSeconds(target.estimate.freezeMs / 1000)}
                    {target.estimate.measured ? "" : <span className="text-muted"> (not yet measured)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
          hint="Keeps co-tenants of both instances under 80 % busy"
        />
        <SubmitButton pending={pending} pendingText="Queuing…">
          {chosen ? `Migrate ${tenantId} to ${chosen.kind === "silo" ? "its own silo" : chosen.id}` : "Choose a target"}
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
