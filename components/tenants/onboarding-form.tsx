"use client";

import { useState } from "react";
import {
  FormStatus,
  SelectField,
  SubmitButton,
  TextField,
  useQueueOperation,
  useRequestKey,
  type QueueAction,
} from "@/components/forms/fields";
import {
  defaultModelForTier,
  deploymentModelLabels,
  tierLabels,
  type DeploymentModelValue,
  type TierValue,
} from "@/lib/catalog/vocabulary";

type Action = QueueAction;

/** A suggestion only: names in other scripts have no Latin slug, and the operator types one. */
function suggestId(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

const tierOptions: TierValue[] = ["basic", "standard", "premium", "enterprise"];
const entities = ["orders", "customers", "invoices", "events"];

export function OnboardingForm({
  action,
  regions,
  defaultRegion,
  plansByTier,
}: {
  action: Action;
  regions: string[];
  defaultRegion: string;
  plansByTier: Partial<Record<TierValue, string>>;
}) {
  const requestKey = useRequestKey();
  const [name, setName] = useState("");
  const [id, setId] = useState("");
  const [idEdited, setIdEdited] = useState(false);
  const [tier, setTier] = useState<TierValue>("standard");
  const [model, setModel] = useState<"" | DeploymentModelValue>("");
  const [state, submit, pending] = useQueueOperation(action);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const effectiveModel = model || defaultModelForTier[tier];

  return (
    <form action={submit} className="grid max-w-2xl gap-4 p-4" aria-label="Onboard a tenant" noValidate>
      <input type="hidden" name="idempotencyKey" value={requestKey} />
      <TextField
        name="name"
        label="Tenant name"
        errors={errors}
        value={name}
        maxLength={400}
        dir="auto"
        autoComplete="off"
        required
        onChange={(event) => {
          setName(event.target.value);
          if (!idEdited) setId(suggestId(event.target.value));
        }}
        hint="As the customer writes it: any script, up to 100 characters."
      />
      <TextField
        name="id"
        label="Tenant id"
        errors={errors}
        value={id}
        className="font-mono"
        autoComplete="off"
        spellCheck={false}
        required
        onChange={(event) => {
          setId(event.target.value);
          setIdEdited(true);
        }}
        hint="Lowercase letters, digits and hyphens, 3 to 63 characters. Permanent: it prefixes every key of the tenant's data."
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          name="tier"
          label="Tier"
          errors={errors}
          value={tier}
          onChange={(event) => setTier(event.target.value as TierValue)}
          options={tierOptions.map((t) => ({
            value: t,
            label: `${tierLabels[t]}${plansByTier[t] ? ` (plan ${plansByTier[t]})` : " (no default plan)"}`,
          }))}
        />
        <SelectField
          name="model"
          label="Deployment model"
          errors={errors}
          value={model}
          onChange={(event) => setModel(event.target.value as "" | DeploymentModelValue)}
          options={[
            { value: "", label: `Tier default: ${deploymentModelLabels[defaultModelForTier[tier]]}` },
            ...(["pool", "silo", "bridge"] as const).map((m) => ({ value: m, label: deploymentModelLabels[m] })),
          ]}
          hint={
            effectiveModel === "pool"
              ? "Pooled: placed in the pool with the most measured headroom in its region."
              : effectiveModel === "silo"
                ? "Silo: a DynamoDB table of its own, registered as a new storage instance."
                : "Bridge: pooled, with its heaviest entity in a table of its own."
          }
        />
      </div>
      {effectiveModel === "bridge" ? (
        <SelectField
          name="bridgeEntity"
          label="Entity in its own table"
          errors={errors}
          defaultValue="orders"
          options={entities.map((e) => ({ value: e, label: e }))}
        />
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          name="region"
          label="Region"
          errors={errors}
          defaultValue={defaultRegion}
          options={regions.map((r) => ({ value: r, label: r }))}
        />
        <TextField name="contactEmail" label="Contact e-mail" type="email" errors={errors} autoComplete="off" required maxLength={400} />
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} pendingText="Queuing…">
          Onboard tenant
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
