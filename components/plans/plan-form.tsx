"use client";

import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { FormStatus, SubmitButton, TextField, useRequestKey } from "@/components/forms/fields";
import type { ActionResult } from "@/lib/auth/action";
import { formatInteger } from "@/components/ui/format";
import { planBounds } from "@/lib/throttling/plan-input";

type Result = ActionResult<{ operationId?: string; planId?: string }>;
type Action = (input: FormData) => Promise<Result>;

export interface PlanValues {
  id?: string;
  name: string;
  ratePerSec: number;
  burst: number;
  quotaPerDay: number;
  apiGatewayUsagePlanId: string | null;
  priceCentsPerMonth: number | null;
}

export function PlanForm({ mode, plan, action }: { mode: "create" | "edit"; plan?: PlanValues; action: Action }) {
  const router = useRouter();
  const requestKey = useRequestKey();
  const [state, submit, pending] = useActionState<Result | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok && result.data.operationId) router.push(`/operations/${result.data.operationId}`);
    else if (result.ok) router.refresh();
    return result;
  }, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const number = (name: keyof typeof planBounds, label: string, unit: string) => (
    <TextField
      name={name}
      label={`${label} (${unit})`}
      type="number"
      inputMode="numeric"
      min={planBounds[name].min}
      max={planBounds[name].max}
      step={1}
      required
      defaultValue={plan?.[name]}
      errors={errors}
      hint={`${formatInteger(planBounds[name].min)} to ${formatInteger(planBounds[name].max)}`}
    />
  );
  return (
    <form
      action={submit}
      className="grid max-w-3xl gap-4 p-4"
      aria-label={mode === "create" ? "New throttling plan" : `Edit plan ${plan?.id}`}
      noValidate
    >
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      {mode === "edit" ? <input type="hidden" name="planId" value={plan?.id} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {mode === "create" ? (
          <TextField
            name="id"
            label="Plan id"
            errors={errors}
            className="font-mono"
            required
            maxLength={63}
            hint="Lowercase letters, digits and hyphens; permanent."
          />
        ) : null}
        <TextField name="name" label="Name" errors={errors} required maxLength={60} defaultValue={plan?.name} dir="auto" />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        {number("ratePerSec", "Rate", "req/s")}
        {number("burst", "Burst", "req")}
        {number("quotaPerDay", "Daily quota", "req")}
      </div>
      <TextField
        name="priceUsdPerMonth"
        label="Price per month (US dollars)"
        type="number"
        inputMode="decimal"
        min={0}
        step="0.01"
        errors={errors}
        className="sm:max-w-xs"
        defaultValue={
          plan?.priceCentsPerMonth === null || plan?.priceCentsPerMonth === undefined ? "" : (plan.priceCentsPerMonth / 100).toFixed(2)
        }
        hint="What a tenant on this plan pays; the cost page compares each tenant's estimated cost with it. Empty: not priced."
      />
      <TextField
        name="apiGatewayUsagePlanId"
        label="API Gateway usage plan id (AWS mode)"
        errors={errors}
        maxLength={64}
        className="font-mono"
        defaultValue={plan?.apiGatewayUsagePlanId ?? ""}
        hint="Where PLAN_ENFORCEMENT=api-gateway enforces this plan; leave empty in the embedded stack."
      />
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} pendingText={mode === "create" ? "Creating…" : "Queuing…"}>
          {mode === "create" ? "Create plan" : "Apply to every tenant on this plan"}
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
