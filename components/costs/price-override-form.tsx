"use client";

import { useActionState } from "react";
import { FormStatus, SelectField, SubmitButton, TextField } from "@/components/forms/fields";
import type { ActionResult } from "@/lib/auth/action";
import { priceItems } from "@/lib/cost/prices";

type Action = (input: FormData) => Promise<ActionResult>;

/** An admin's override of one price (or its reset to the list price), with the reason the audit log keeps. */
export function PriceOverrideForm({ regions, override, reset }: { regions: string[]; override: Action; reset: Action }) {
  const [state, submit, pending] = useActionState<ActionResult | null, FormData>(async (_, form) => {
    return form.get("intent") === "reset" ? reset(form) : override(form);
  }, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={submit} aria-label="Override a price" className="grid gap-3 border-t border-border p-4" noValidate>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField name="region" label="Region" errors={errors} options={regions.map((r) => ({ value: r, label: r }))} />
        <SelectField
          name="item"
          label="Item"
          errors={errors}
          options={Object.entries(priceItems).map(([value, item]) => ({ value, label: `${item.label} (${item.unit})` }))}
        />
        <TextField name="usd" label="Price (US dollars)" type="number" inputMode="decimal" min={0} step="any" errors={errors} />
        <TextField name="reason" label="Reason" maxLength={200} required errors={errors} hint="The source you read, and when" dir="auto" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingText="Saving…">
          Override price
        </SubmitButton>
        <button
          type="submit"
          name="intent"
          value="reset"
          disabled={pending}
          className="rounded-md border border-border px-3 py-1.5 text-[13px] hover:bg-surface-2 disabled:opacity-60"
        >
          Back to the list price
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
