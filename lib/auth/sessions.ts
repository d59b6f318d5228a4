// Revocable sessions: the session cookie (a next-auth JWT) carries only the id of a UserSession row, and every request
// checks that row is live. Signing out, a role change or disabling the user ends a session at once.
import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client.ts";
import type { SignedInUser } from "./action-context";

/** A session's hard limit, from sign-in; the cookie's own expiry is the same. */
export const sessionHours = 8;
/** lastSeenAt is written at most this often per session. */
export const lastSeenEveryMs = 60_000;

export type RevokedReason = "signed_out" | "role_changed" | "disabled" | "password_changed" | "revoked_by_admin";

type Tx = Db | Prisma.TransactionClient;

export interface RequestFacts {
  /** The client address as sign-in throttling sees it (lib/auth/client-address.ts). */
  address: string;
  userAgent: string;
}

export async function startSession(db: Tx, userId: string, facts: RequestFacts, now: Date): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db.userSession.create({
    data: {
      id,
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + sessionHours * 3_600_000),
      address: facts.address.slice(0, 64),
      userAgent: facts.userAgent.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200),
    },
  });
  return id;
}

/** The session's user if the session is live (not revoked, not expired, the user not disabled); notes it was seen. */
export async function liveSessionUser(db: Db, sessionId: string, now: Date): Promise<SignedInUser | null> {
  if (!sessionId || sessionId.length > 100) return null;
  const session = await db.userSession.findUnique({
    where: { id: sessionId },
    select: {
      revokedAt: true,
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabled: true } },
    },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.user.disabled) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= lastSeenEveryMs) {
    // Conditional, so several processes serving the same session write it once a minute between them.
    await db.userSession.updateMany({
      where: { id: sessionId, lastSeenAt: { lte: new Date(now.getTime() - lastSeenEveryMs) } },
      data: { lastSeenAt: now },
    });
  }
  const { id, email, name, role } = session.user;
  return { id, email, name, role };
}

export async function revokeSession(db: Tx, sessionId: string, reason: RevokedReason, now: Date): Promise<void> {
  await db.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
}

/** Ends every live session of a user (within the caller's transaction, with the change that calls for it). */
export async function revokeUserSessions(db: Tx, userId: string, reason: RevokedReason, now: Date): Promise<number> {
  const { count } = await db.userSession.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

export interface SessionSummary {
  active: number;
  lastSeenAt: Date | null;
}

/** Live sessions per user, with when each user was last seen in any of them. */
export async function sessionSummaries(db: Db, now: Date): Promise<Map<string, SessionSummary>> {
  const groups = await db.userSession.groupBy({
    by: ["userId"],
    where: { revokedAt: null, expiresAt: { gt: now } },
    _count: { _all: true },
    _max: { lastSeenAt: true },
  });
  return new Map(groups.map((group) => [group.userId, { active: group._count._all, lastSeenAt: group._max.lastSeenAt }]));
}

/** Drops sessions that ended more than a month ago. */
export async function pruneSessions(db: Db, now: Date): Promise<void> {
  await db.userSession.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 30 * 24 * 3_600_000) } } });
}
