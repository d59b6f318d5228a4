import "server-only";
import { decode } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { config } from "../config/config";
import { getDb } from "../db/client";
import type { SignedInUser } from "./action-context";
import { secureCookies } from "./options";
import { can, type Permission } from "./permissions";
import { requestedPathHeader, signInUrlFor } from "./requested-path";
import { liveSessionUser } from "./sessions";
import { sessionCookieName } from "./transport";

export type { SignedInUser };

/**
 * The signed-in user as the catalog knows them now: the session cookie names a UserSession, which must be live (not
 * signed out, not ended by a role change or by disabling the user, not expired), and the role is read on every
 * request, so any of those takes effect at once.
 */
export const currentUser = cache(async (): Promise<SignedInUser | null> => {
  const token = (await cookies()).get(sessionCookieName(secureCookies()))?.value;
  const secret = config().NEXTAUTH_SECRET;
  if (!token || !secret) return null;
  const claims = await decode({ token, secret }).catch(() => null);
  if (typeof claims?.sid !== "string") return null;
  return liveSessionUser(getDb(), claims.sid, new Date());
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
