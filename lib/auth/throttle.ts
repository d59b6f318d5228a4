// Sign-in throttling shared by every console process through the catalog (SignInThrottle): failed attempts are counted
// per account ("account:<email>") and per client address ("address:<ip>") in one atomic upsert each, so concurrent
// attempts on several processes count exactly. An attempt is counted before its password is checked, so a burst sent
// all at once gets no more guesses checked than the limit allows.
import "server-only";
import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client.ts";

export type ThrottleKind = "account" | "address";

export interface ThrottleLimits {
  /** Failures within `windowMinutes` that lock the key. */
  failures: number;
  windowMinutes: number;
  /** The first lockout's length; each consecutive lockout doubles it, up to `maxLockMinutes`. */
  lockMinutes: number;
  maxLockMinutes: number;
}

export const throttleLimits: Record<ThrottleKind, ThrottleLimits> = {
  account: { failures: 5, windowMinutes: 15, lockMinutes: 15, maxLockMinutes: 24 * 60 },
  // Higher: many people may share one address (an office, a VPN); it stops one client trying many accounts.
  address: { failures: 20, windowMinutes: 15, lockMinutes: 15, maxLockMinutes: 24 * 60 },
};

/** A key with no failure for this long starts over: its failures and its consecutive lockouts are forgotten. */
export const forgetAfterHours = 24;

export const throttleKey = (kind: ThrottleKind, value: string) => `${kind}:${value}`;

export function throttleKind(key: string): ThrottleKind {
  return key.startsWith("address:") ? "address" : "account";
}

/** The length of the n-th consecutive lockout (n from 1). */
export function lockMinutes(limits: ThrottleLimits, lockout: number): number {
  return Math.min(limits.lockMinutes * 2 ** Math.max(0, lockout - 1), limits.maxLockMinutes);
}

export interface AttemptCount {
  key: string;
  /** The key was already locked when this attempt came: refuse it without checking anything. */
  locked: boolean;
  /** This attempt reached the limit and locked the key (until `lockedUntil`, the `lockouts`-th consecutive lockout). */
  lockedNow: boolean;
  lockedUntil: Date | null;
  lockouts: number;
}

interface Row {
  failures: number;
  lockedUntil: Date | null;
  lockouts: number;
}

/**
 * Counts one attempt against `key` as a failure (undo it with `forgiveAttempt` when the attempt succeeds). One
 * statement whose expressions read only the conflicting row itself (locked by the upsert, in its latest version), so
 * concurrent attempts on the same key, from any process, are serialised and none is lost. A key that reaches the limit
 * is locked and its failure count starts over at 0 (so the attempt that locked it can tell).
 */
export async function countAttempt(db: Db, key: string, now: Date): Promise<AttemptCount> {
  const limits = throttleLimits[throttleKind(key)];
  const at = Prisma.sql`${now}::timestamp(3)`;
  const windowStart = Prisma.sql`${new Date(now.getTime() - limits.windowMinutes * 60_000)}::timestamp(3)`;
  const forgetBefore = Prisma.sql`${new Date(now.getTime() - forgetAfterHours * 3_600_000)}::timestamp(3)`;
  // The count starts over after the window, after a lockout ended, or after a long quiet spell.
  const fresh = Prisma.sql`(t."lastFailureAt" < ${forgetBefore} OR t."firstFailureAt" < ${windowStart} OR COALESCE(t."lockedUntil" <= ${at}, false))`;
  const lockedBefore = Prisma.sql`COALESCE(t."lockedUntil" > ${at}, false)`;
  const failures = Prisma.sql`(CASE WHEN ${fresh} THEN 1 ELSE t."failures" + 1 END)`;
  const lockouts = Prisma.sql`(CASE WHEN t."lastFailureAt" < ${forgetBefore} THEN 0 ELSE t."lockouts" END)`;
  const locks = Prisma.sql`(${failures} >= ${limits.failures}::int AND NOT ${lockedBefore})`;
  const rows = await db.$queryRaw<Row[]>`
    INSERT INTO "SignInThrottle" AS t ("key", "failures", "firstFailureAt", "lastFailureAt", "lockedUntil", "lockouts")
    VALUES (${key}, 1, ${at}, ${at}, NULL, 0)
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN ${locks} THEN 0 ELSE ${failures} END,
      "firstFailureAt" = CASE WHEN ${fresh} THEN ${at} ELSE t."firstFailureAt" END,
      "lastFailureAt" = ${at},
      "lockedUntil" = CASE
        WHEN ${locks} THEN ${at} + make_interval(mins => LEAST(${limits.lockMinutes}::int * power(2, ${lockouts})::int, ${limits.maxLockMinutes}::int))
        WHEN ${lockedBefore} THEN t."lockedUntil"
        ELSE NULL END,
      "lockouts" = CASE WHEN ${locks} THEN ${lockouts} + 1 ELSE ${lockouts} END
    RETURNING "failures", "lockedUntil", "lockouts"`;
  const row = rows[0];
  if (!row) throw new Error(`sign-in throttle: no row for ${key}`);
  const lockedNow = row.lockedUntil !== null && row.lockedUntil > now && row.failures === 0;
  return {
    key,
    locked: row.lockedUntil !== null && row.lockedUntil > now && !lockedNow,
    lockedNow,
    lockedUntil: row.lockedUntil,
    lockouts: row.lockouts,
  };
}

/**
 * Takes back the failure `countAttempt` counted for an attempt that succeeded. The account's key goes entirely (a
 * success ends its consecutive lockouts); an address keeps its other failures, and loses a lock this very attempt set.
 */
export async function forgiveAttempt(db: Db, count: AttemptCount): Promise<void> {
  if (throttleKind(count.key) === "account") {
    await db.signInThrottle.deleteMany({ where: { key: count.key } });
    return;
  }
  const limits = throttleLimits.address;
  if (count.lockedNow) {
    await db.$executeRaw`
      UPDATE "SignInThrottle" SET "lockedUntil" = NULL, "lockouts" = GREATEST("lockouts" - 1, 0), "failures" = ${limits.failures - 1}::int
      WHERE "key" = ${count.key} AND "lockedUntil" = ${count.lockedUntil}::timestamp(3)`;
  } else {
    await db.$executeRaw`UPDATE "SignInThrottle" SET "failures" = GREATEST("failures" - 1, 0) WHERE "key" = ${count.key}`;
  }
}

export interface ThrottleRow {
  key: string;
  kind: ThrottleKind;
  /** The e-mail or the address. */
  subject: string;
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
  lockouts: number;
}

/** Keys locked now, and keys with failures in their window, most recent first (for the users page). */
export async function listThrottles(db: Db, now: Date): Promise<ThrottleRow[]> {
  const since = new Date(now.getTime() - Math.max(...Object.values(throttleLimits).map((l) => l.windowMinutes)) * 60_000);
  const rows = await db.signInThrottle.findMany({
    where: { OR: [{ lockedUntil: { gt: now } }, { lastFailureAt: { gt: since }, failures: { gt: 0 } }] },
    orderBy: { lastFailureAt: "desc" },
    take: 200,
  });
  return rows.map((row) => ({
    key: row.key,
    kind: throttleKind(row.key),
    subject: row.key.slice(row.key.indexOf(":") + 1),
    failures: row.failures,
    lastFailureAt: row.lastFailureAt,
    lockedUntil: row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null,
    lockouts: row.lockouts,
  }));
}

/** Forgets rows nobody has failed on for a day and that hold no lock: the table stays as small as the attacks are recent. */
export async function pruneThrottles(db: Db, now: Date): Promise<void> {
  const before = new Date(now.getTime() - forgetAfterHours * 3_600_000);
  await db.signInThrottle.deleteMany({
    where: { lastFailureAt: { lt: before }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
  });
}
