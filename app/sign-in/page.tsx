import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oidcProviderName, passwordSignInEnabled } from "@/lib/auth/options";
import { consoleOrigin } from "@/lib/auth/console-origin";
import { safeReturnPath } from "@/lib/auth/return-to";
import { currentUser } from "@/lib/auth/session";
import { signInPausedCode, signInPausedMessage } from "@/lib/auth/sign-in-messages";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Resolved as a browser would against the console's own origin: only a same-origin path survives (lib/auth/return-to.ts).
  const returnTo = safeReturnPath(params.callbackUrl, consoleOrigin(await headers()));
  if (await currentUser()) redirect(returnTo);
  const failed = !params.error
    ? null
    : params.error === signInPausedCode
      ? signInPausedMessage
      : "Sign-in failed. Your account may not be registered with the console, or it is disabled.";
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-border bg-surface p-6 shadow-sm">
        <h1 className="text-lg font-semibold tracking-tight">Tenant Storage Console</h1>
        <p className="mb-5 text-muted">Sign in to manage tenant storage.</p>
        {failed ? (
          <p role="alert" className="mb-3 rounded-md bg-danger-soft px-3 py-2 text-danger">
            {failed}
          </p>
        ) : null}
        <SignInForm returnTo={returnTo} passwordEnabled={passwordSignInEnabled()} oidcName={oidcProviderName()} />
      </div>
    </main>
  );
}
