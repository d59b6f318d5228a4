"use client";

import { useState } from "react";
import { FormStatus, SubmitButton, useQueueOperation, useRequestKey, type QueueAction } from "@/components/forms/fields";
import { formatInteger, withUnit } from "@/components/ui/format";
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

const share = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(part / whole < 0.01 ? 2 : 1)} %` : "0 %");

export function PlanChangeForm({ tenantId, plans, action }: { tenantId: string; plans: PlanChoice[]; action: Action }) {
  const requestKey = useRequestKey();
  const [choice, setChoice] = useState(plans.find((p) => !p.current)?.id ?? "");
  const [state, submit, pending] = useQueueOperation(action);
  const errors = state && !state.ok ? state.fieldErrors?.planId : undefined;
  const withEffects = plans.some((p) => p.effect);

  return (
    <form action={submit} aria-label={`Change the throttling plan of ${tenantId}`}>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <fieldset>
        <legend className="sr-only">New plan</legend>
        <div className="overflow-x-auto">
          <table className="w-full text-[13px]">
            <thead className="border-b border-border bg-surface-2 text-muted">
              <tr>
                <th scope="col" className="w-10 px-3 py-2" />
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Plan
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Rate
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Burst
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Daily quota
                </th>
                {withEffects ? (
                  <>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Would have refused, last 24 h
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Minutes with refusals
                    </th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {plans.map((plan) => (
                <tr key={plan.id} className={choice === plan.id ? "bg-accent-soft" : undefined}>
                  <td className="px-3 py-1.5 text-center">
                    <input
                      type="radio"
                      name="planId"
                      value={plan.id}
                      id={`plan-${plan.id}`}
                      checked={choice === plan.id}
                      disabled={plan.current}
                      onChange={() => setChoice(plan.id)}
                      aria-describedby={errors ? "plan-error" : undefined}
                    />
                  </td>
                  <td className="px-3 py-1.5">
                    <label htmlFor={`plan-${plan.id}`} className="font-medium">
                      {plan.name}
                    </label>
                    {plan.current ? <span className="ml-2 text-xs text-muted">current</span> : null}
                  </td>
                  <td className="num px-3 py-1.5 text-right">{withUnit(plan.ratePerSec, "req/s")}</td>
                  <td className="num px-3 py-1.5 text-right">{withUnit(plan.burst, "req")}</td>
                  <td className="num px-3 py-1.5 text-right">{withUnit(plan.quotaPerDay, "req")}</td>
                  {withEffects ? (
                    <>
                      <td className="num px-3 py-1.5 text-right">
                        {plan.effect
                          ? `${formatInteger(plan.effect.throttled)} req (${share(plan.effect.throttled, plan.effect.requests)})`
                          : "—"}
                      </td>
                      <td className="num px-3 py-1.5 text-right">{plan.effect ? formatInteger(plan.effect.throttledPeriods) : "—"}</td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
