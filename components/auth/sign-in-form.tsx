"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { signInFailedMessage, signInPausedCode, signInPausedMessage } from "@/lib/auth/sign-in-messages";

export function SignInForm({
  returnTo,
  passwordEnabled,
  oidcName,
}: {
  returnTo: string;
  passwordEnabled: boolean;
  oidcName: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      setError(result?.error === signInPausedCode ? signInPausedMessage : signInFailedMessage);
      return;
    }
    router.replace(returnTo);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-4">
      {passwordEnabled ? (
        <form action={submit} className="flex flex-col gap-3">
          <label className="flex flex-col gap-1">
            <span className="text-muted">Email</span>
            <input
              name="email"
              type="email"
              autoComplete="username"
              required
              maxLength={254}
              className="rounded-md border border-border bg-surface px-3 py-2"
            />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-muted">Password</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={200}
              className="rounded-md border border-border bg-surface px-3 py-2"
            />
          </label>
          <p role="alert" className="min-h-5 text-danger">
            {error}
          </p>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-accent px-3 py-2 font-medium text-accent-fg disabled:opacity-60"
          >
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      ) : null}
      {oidcName ? (
        <button
          type="button"
          onClick={() => void signIn("oidc", { callbackUrl: returnTo })}
          className="rounded-md border border-border px-3 py-2 font-medium hover:bg-surface-2"
        >
          Sign in with {oidcName}
        </button>
      ) : null}
    </div>
  );
}
