import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "../db/client";
import type { SignedInUser } from "./action-context";
import { authOptions } from "./options";
import { can, type Permission } from "./permissions";
import { requestedPathHeader, signInUrlFor } from "./requested-path";

export type { SignedInUser };

/**
 * The signed-in user as the catalog knows them now: the role is read on every
 * request, so a role change or a disabled account takes effect at once.
 */
export const currentUser = cache(async (): Promise<SignedInUser | null> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getDb().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

/** For layouts and pages: the signed-in user, or a redirect to sign-in that returns here afterwards. */
export async function requireSignedIn(): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect(signInUrlFor((await headers()).get(requestedPathHeader)));
  return user;
}

/** For pages: sends the signed-out to sign-in and answers 403 to a role without the permission. */
export async function requirePagePermission(permission: Permission): Promise<SignedInUser> {
  const user = await requireSignedIn();
  if (!can(user.role, permission)) forbidden();
  return user;
}

/** For route handlers: the response to send instead (401 signed out, 403 without the permission), or null to go on. */
export async function authorizeRoute(permission: Permission): Promise<Response | null> {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to use this." }, { status: 401 });
  if (!can(user.role, permission)) return Response.json({ error: "Your role does not allow this." }, { status: 403 });
  return null;
}
