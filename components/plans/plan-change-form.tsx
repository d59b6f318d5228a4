"use client";

import { useState } from "react";
import { FormStatus, SubmitButton, useQueueOperation, useRequestKey, type QueueAction } from "@/components/forms/fields";
import { choiceColumn, DataTable, type Column } from "@/components/ui/data-table";
import { countOf, formatPercent, withUnit } from "@/components/ui/format";
import type { PlanEffect } from "@/lib/throttling/plan-effect";

type Action = QueueAction;

export interface PlanChoice {
  id: string;
  name: string;
  ratePerSec: number;
  burst: number;
  quotaPerDay: number;
  current: boolean;
  effect: PlanEffect | null;
}

const effectColumns: Column<PlanChoice>[] = [
  {
    key: "refused",
    header: "Would have refused, last 24 h",
    numeric: true,
    cell: (plan) =>
      plan.effect
        ? `${withUnit(plan.effect.throttled, "req")} (${formatPercent(plan.effect.requests > 0 ? plan.effect.throttled / plan.effect.requests : 0, 1)})`
        : "—",
  },
  {
    key: "minutes",
    header: "Minutes with refusals",
    numeric: true,
    cell: (plan) => (plan.effect ? countOf(plan.effect.throttledPeriods, "min", "min") : "—"),
  },
];

export function PlanChangeForm({ tenantId, plans, action }: { tenantId: string; plans: PlanChoice[]; action: Action }) {
  const requestKey = useRequestKey();
  const [choice, setChoice] = useState(plans.find((p) => !p.current)?.id ?? "");
  const [state, submit, pending] = useQueueOperation(action);
  const errors = state && !state.ok ? state.fieldErrors?.planId : undefined;
  const withEffects = plans.some((p) => p.effect);
  const columns: Column<PlanChoice>[] = [
    choiceColumn({
      name: "planId",
      value: (plan) => plan.id,
      chosen: choice,
      onChoose: setChoice,
      disabled: (plan) => plan.current,
      describedBy: errors ? "plan-error" : undefined,
    }),
    {
      key: "plan",
      header: "Plan",
      cell: (plan) => (
        <>
          <label htmlFor={`planId-${plan.id}`} className="font-medium">
            {plan.name}
          </label>
          {plan.current ? <span className="ml-2 text-xs text-muted">current</span> : null}
        </>
      ),
    },
    { key: "rate", header: "Rate", numeric: true, cell: (plan) => withUnit(plan.ratePerSec, "req/s") },
    { key: "burst", header: "Burst", numeric: true, cell: (plan) => withUnit(plan.burst, "req") },
    { key: "quota", header: "Daily quota", numeric: true, cell: (plan) => withUnit(plan.quotaPerDay, "req") },
  ];

  return (
    <form action={submit} aria-label={`Change the throttling plan of ${tenantId}`}>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <fieldset className="min-w-0">
        <legend className="sr-only">New plan</legend>
        <DataTable
          label="Throttling plans to choose from"
          columns={withEffects ? [...columns, ...effectColumns] : columns}
          rows={plans}
          rowKey={(plan) => plan.id}
          rowClassName={(plan) => (choice === plan.id ? "bg-accent-soft" : undefined)}
          empty={{ title: "No throttling plans", body: "An admin creates plans on the Throttling plans page." }}
        />
      </fieldset>
      {errors ? (
        <p id="plan-error" className="px-4 pt-2 text-xs text-danger">
          {errors.join(" · ")}
        </p>
      ) : null}
      <div className="flex items-center gap-3 border-t border-border px-4 py-3">
        <SubmitButton pending={pending} pendingText="Queuing…">
          {choice ? `Move ${tenantId} to ${plans.find((p) => p.id === choice)?.name ?? choice}` : "Choose a plan"}
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
