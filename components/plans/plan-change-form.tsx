"use client";

import { useState } from "react";
import { FormStatus, SubmitButton, useQueueOperation, useRequestKey, type QueueAction } from "@/components/forms/fields";
import { choiceColumn, DataTable, type Column } from "@/components/ui/data-table";
import { countOf, formatInteger, formatPercent, withUnit } from "@/components/ui/format";
import { listOfLimits, loweredLimits, type PlanEffect } from "@/lib/throttling/plan-effect";

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

function refusedText(plan: PlanChoice, effect: PlanEffect): string {
  const share = formatPercent(effect.requests > 0 ? effect.throttled / effect.requests : 0, 1);
  return `Under ${plan.name}, ${formatInteger(effect.throttled)} of the tenant's ${formatInteger(effect.requests)} requests in the last 24 hours would have been refused (${share}), in ${countOf(effect.throttledPeriods, "minute")}`;
}

export function PlanChangeForm({
  tenantId,
  plans,
  action,
  initialPlan = null,
}: {
  tenantId: string;
  plans: PlanChoice[];
  action: Action;
  /** Preselected (?planId=); otherwise nothing is. */
  initialPlan?: string | null;
}) {
  const requestKey = useRequestKey();
  const [choice, setChoice] = useState(plans.find((p) => p.id === initialPlan && !p.current)?.id ?? "");
  const [confirming, setConfirming] = useState(false);
  const [state, submit, pending] = useQueueOperation(action);
  const current = plans.find((p) => p.current);
  const chosen = plans.find((p) => p.id === choice);
  const lowered = current && chosen ? loweredLimits(current, chosen) : [];
  const errors = state && !state.ok ? state.fieldErrors?.planId : undefined;
  const withEffects = plans.some((p) => p.effect);
  const columns: Column<PlanChoice>[] = [
    choiceColumn({
      name: "planId",
      value: (plan) => plan.id,
      chosen: choice,
      onChoose: (id) => {
        setChoice(id);
        setConfirming(false);
      },
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
      {confirming && chosen && current ? (
        <section
          aria-labelledby="lowering-title"
          className="mx-4 mt-3 grid max-w-3xl gap-1 rounded-md border border-border bg-warning-soft px-3 py-2 text-[13px]"
        >
          <h3 id="lowering-title" className="font-medium">
            Confirm: {chosen.name} lowers {tenantId}&apos;s {listOfLimits(lowered)}
          </h3>
          <ul className="list-inside list-disc">
            {lowered.includes("rate") ? (
              <li>
                Rate {withUnit(current.ratePerSec, "req/s")} → {withUnit(chosen.ratePerSec, "req/s")}
              </li>
            ) : null}
            {lowered.includes("burst") ? (
              <li>
                Burst {withUnit(current.burst, "req")} → {withUnit(chosen.burst, "req")}
              </li>
            ) : null}
            {lowered.includes("daily quota") ? (
              <li>
                Daily quota {withUnit(current.quotaPerDay, "req")} → {withUnit(chosen.quotaPerDay, "req")}
              </li>
            ) : null}
          </ul>
          <p data-testid="lowering-effect">
            {chosen.effect
              ? `${refusedText(chosen, chosen.effect)}${current.effect ? `; under ${current.name} (the model), ${formatInteger(current.effect.throttled)}` : ""}.`
              : "What it would have refused could not be measured (see above): the tenant's clients may start seeing refusals."}
          </p>
          <input type="hidden" name="confirmLowering" value="true" />
        </section>
      ) : null}
      <div className="flex flex-wrap items-center gap-3 border-t border-border px-4 py-3">
        {lowered.length && !confirming ? (
          <button
            type="button"
            onClick={() => setConfirming(true)}
            className="rounded-md bg-accent px-3 py-1.5 text-[13px] font-medium text-accent-fg"
          >
            Review lowering to {chosen?.name}
          </button>
        ) : (
          <SubmitButton pending={pending} pendingText="Queuing…" disabled={!chosen}>
            {chosen ? `${confirming ? "Confirm: move" : "Move"} ${tenantId} to ${chosen.name}` : "Choose a plan"}
          </SubmitButton>
        )}
        {confirming ? (
          <button
            type="button"
            onClick={() => setConfirming(false)}
            className="rounded-md border border-border px-3 py-1.5 text-[13px] hover:bg-surface-2"
          >
            Back
          </button>
        ) : null}
        <FormStatus state={state} />
      </div>
    </form>
  );
}
