import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oidcProviderName, passwordSignInEnabled } from "@/lib/auth/options";
import { safeReturnPath } from "@/lib/auth/return-to";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnPath(params.callbackUrl);
  if (await currentUser()) redirect(returnTo);
  const failed = params.error ? "Sign-in failed. Your account may not be registered with the console, or it is disabled." : null;
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
