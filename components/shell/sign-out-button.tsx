"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: "/sign-in" })}
      className="rounded-md border border-border px-2.5 py-1 text-fg hover:bg-surface-2"
    >
      Sign out
    </button>
  );
}
