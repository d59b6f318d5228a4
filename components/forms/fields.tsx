"use client";

import { useRouter } from "next/navigation";
import { useActionState, useId, useState } from "react";
import type { ActionResult } from "@/lib/auth/action";

export type QueueAction = (input: FormData) => Promise<ActionResult<{ operationId: string }>>;

/** A form that queues an operation: its state, its submit, whether it is pending; on success the operation's page opens. */
export function useQueueOperation(action: QueueAction) {
  const router = useRouter();
  return useActionState<ActionResult<{ operationId: string }> | null, FormData>(async (_, form) => {
    const result = await action(form);
    if (result.ok) router.push(`/operations/${result.data.operationId}`);
    return result;
  }, null);
}

/** One key per form render: a double click or a retried submission sends the same key, so the server queues one operation. */
export function useRequestKey(): string {
  const [key] = useState(() => {
    if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
    // Pages served over plain HTTP to a non-local host have no randomUUID; getRandomValues is always there.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
  return key;
}

export type FieldErrors = Record<string, string[] | undefined> | undefined;

const inputClass =
  "h-[34px] w-full rounded-md border border-border bg-surface px-2.5 text-[13px] outline-none focus-visible:ring-2 focus-visible:ring-accent aria-[invalid=true]:border-danger";

interface FieldProps {
  name: string;
  label: string;
  hint?: React.ReactNode;
  errors: FieldErrors;
}

function FieldFrame({
  id,
  label,
  hint,
  messages,
  children,
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  messages?: string[];
  children: React.ReactNode;
}) {
  return (
    <div className="grid content-start gap-1">
      <label htmlFor={id} className="text-[13px] font-medium">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {messages?.length ? (
        <p id={`${id}-error`} className="text-xs text-danger">
          {messages.join(" · ")}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, messages?: string[]) {
  return [hint ? `${id}-hint` : null, messages?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function TextField({
  name,
  label,
  hint,
  errors,
  className = "",
  ...input
}: FieldProps & Omit<React.InputHTMLAttributes<HTMLInputElement>, "name">) {
  const id = useId();
  const messages = errors?.[name];
  return (
    <FieldFrame id={id} label={label} hint={hint} messages={messages}>
      <input
        id={id}
        name={name}
        aria-invalid={messages?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, messages)}
        className={`${inputClass} ${className}`}
        {...input}
      />
    </FieldFrame>
  );
}

export function SelectField({
  name,
  label,
  hint,
  errors,
  options,
  ...select
}: FieldProps & { options: { value: string; label: string }[] } & Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "name">) {
  const id = useId();
  const messages = errors?.[name];
  return (
    <FieldFrame id={id} label={label} hint={hint} messages={messages}>
      <select
        id={id}
        name={name}
        aria-invalid={messages?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, messages)}
        className={inputClass}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function FormStatus({ state }: { state: { ok: boolean; error?: string; message?: string } | null }) {
  return (
    <p role="status" aria-live="polite" className={`text-[13px] ${state && !state.ok ? "text-danger" : "text-muted"}`}>
      {state ? (state.ok ? state.message : state.error) : ""}
    </p>
  );
}

export function SubmitButton({
  pending,
  children,
  pendingText,
  disabled = false,
}: {
  pending: boolean;
  children: React.ReactNode;
  pendingText: string;
  /** Not yet submittable (say why next to it). */
  disabled?: boolean;
}) {
  return (
    <button
      type="submit"
      disabled={pending || disabled}
      className="rounded-md bg-accent px-3 py-1.5 text-[13px] font-medium text-accent-fg disabled:opacity-60"
    >
      {pending ? pendingText : children}
    </button>
  );
}
