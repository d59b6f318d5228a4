"use client";

// The fleet watch's remediation settings: the kill switch and, per severity,
// whether a finding gets no proposal, advice, or a proposal whose approval
// queues the operation. The form starts from the settings in force (it never
// picks "apply after approval" on its own), and asks the admin to confirm
// before a severity starts applying on approval. Others read the settings.
import { useRouter } from "next/navigation";
import { useActionState, useId, useState } from "react";
import { FormStatus, SubmitButton } from "@/components/forms/fields";
import { formatDateTime } from "@/components/ui/format";
import { Facts } from "@/components/ui/panel";
import type { ActionResult } from "@/lib/auth/action";
import {
  remediationDescriptions,
  remediationLabels,
  remediationPolicies,
  severities,
  type RemediationPolicy,
  type WatchSettingsValue,
} from "@/lib/fleet-watch/policy";
import type { SeverityValue } from "@/lib/fleet-watch/shapes";

export interface RemediationSettingsProps {
  /** The settings in force: lib/fleet-watch/settings.ts loadWatchSettingsView's result as it is. */
  settings: WatchSettingsValue & { updatedAt: string | null; updatedByEmail: string | null };
  /** findings.configure (admins): the form; otherwise the settings are shown read-only. */
  canConfigure: boolean;
  /** updateWatchSettingsAction of app/(console)/findings/actions.ts. */
  action: (input: FormData) => Promise<ActionResult<{ withdrawn: number }>>;
}

const killSwitchChoices = [
  { value: "off", label: "On", description: "Findings get proposals as each severity's policy says." },
  {
    value: "on",
    label: "Off (kill switch)",
    description: "Nothing is proposed or approved, whatever the policies say; proposals waiting for an operator are withdrawn.",
  },
] as const;

const severityLabels: Record<SeverityValue, string> = { minor: "Minor findings", major: "Major findings", critical: "Critical findings" };

function lastChange(settings: RemediationSettingsProps["settings"]): string {
  return settings.updatedAt
    ? `Last changed by ${settings.updatedByEmail ?? "a former user"}, ${formatDateTime(settings.updatedAt)}.`
    : "The defaults: no admin has changed them yet.";
}

function ReadOnly({ settings }: { settings: RemediationSettingsProps["settings"] }) {
  return (
    <div>
      <Facts
        items={[
          { label: "Proposals", value: settings.proposalsOff ? "Off (kill switch)" : "On" },
          ...severities.map((s) => ({ label: severityLabels[s], value: remediationLabels[settings.remediation[s]] })),
        ]}
      />
      <p className="border-t border-border px-4 py-2 text-xs text-muted">{lastChange(settings)} Only admins change them.</p>
    </div>
  );
}

function PolicyChoice({
  severity,
  value,
  onChange,
  errors,
}: {
  severity: SeverityValue;
  value: RemediationPolicy;
  onChange: (value: RemediationPolicy) => void;
  errors?: string[];
}) {
  const id = useId();
  return (
    <fieldset className="grid gap-1.5" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="mb-1 text-[13px] font-medium">{severityLabels[severity]}</legend>
      {remediationPolicies.map((policy) => (
        <label key={policy} className="flex items-start gap-2 text-[13px]">
          <input
            type="radio"
            name={severity}
            value={policy}
            checked={value === policy}
            onChange={() => onChange(policy)}
            className="mt-0.5"
          />
          <span className="grid">
            <span>{remediationLabels[policy]}</span>
            <span className="text-xs text-muted">{remediationDescriptions[policy]}</span>
          </span>
        </label>
      ))}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs text-danger">
          {errors.join(" · ")}
        </p>
      ) : null}
    </fieldset>
  );
}

export function RemediationSettings({ settings, canConfigure, action }: RemediationSettingsProps) {
  const router = useRouter();
  const [killSwitch, setKillSwitch] = useState<"on" | "off">(settings.proposalsOff ? "on" : "off");
  const [policies, setPolicies] = useState(settings.remediation);
  const [confirmed, setConfirmed] = useState(false);
  const [state, submit, pending] = useActionState<ActionResult<{ withdrawn: number }> | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok) {
      setConfirmed(false);
      router.refresh();
    }
    return result;
  }, null);
  if (!canConfigure) return <ReadOnly settings={settings} />;

  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const newlyApplied = severities.filter((s) => policies[s] === "approve" && settings.remediation[s] !== "approve");
  const choose = (severity: SeverityValue) => (value: RemediationPolicy) => {
    setPolicies((current) => ({ ...current, [severity]: value }));
    setConfirmed(false);
  };
  return (
    <form action={submit} aria-label="Remediation settings" className="grid gap-4 px-4 py-3">
      <fieldset className="grid gap-1.5">
        <legend className="mb-1 text-[13px] font-medium">Proposals</legend>
        {killSwitchChoices.map((choice) => (
          <label key={choice.value} className="flex items-start gap-2 text-[13px]">
            <input
              type="radio"
              name="killSwitch"
              value={choice.value}
              checked={killSwitch === choice.value}
              onChange={() => setKillSwitch(choice.value)}
              className="mt-0.5"
            />
            <span className="grid">
              <span>{choice.label}</span>
              <span className="text-xs text-muted">{choice.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="grid gap-4 md:grid-cols-3">
        {severities.map((severity) => (
          <PolicyChoice
            key={severity}
            severity={severity}
            value={policies[severity]}
            onChange={choose(severity)}
            errors={fieldErrors?.[severity]}
          />
        ))}
      </div>
      {newlyApplied.length ? (
        <label className="flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-[13px] text-warning">
          <input
            type="checkbox"
            name="confirmApply"
            value="yes"
            checked={confirmed}
            onChange={(event) => setConfirmed(event.target.checked)}
            className="mt-0.5"
          />
          <span>
            An operator&apos;s approval of a {newlyApplied.join(" or ")} finding&apos;s proposal will queue its migration or plan change at
            once.
          </span>
        </label>
      ) : null}
      <div className="flex flex-wrap items-center gap-4">
        {newlyApplied.length && !confirmed ? (
          <button type="submit" disabled className="rounded-md bg-accent px-3 py-1.5 text-[13px] font-medium text-accent-fg opacity-60">
            Confirm above to save
          </button>
        ) : (
          <SubmitButton pending={pending} pendingText="Saving…">
            Save
          </SubmitButton>
        )}
        <FormStatus state={state} />
      </div>
      <p className="text-xs text-muted">{lastChange(settings)} Every change is audited.</p>
    </form>
  );
}
