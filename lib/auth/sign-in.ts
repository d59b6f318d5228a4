// Signing in: every attempt is counted against its account and its client address (lib/auth/throttle.ts) and audited
// ("auth.signIn": succeeded, or failed/refused with its reason; "auth.lockout" when an attempt locks a key). A locked
// account is refused before its password is checked, whether it exists or not, so the answer reveals nothing.
import "server-only";
import { z } from "zod";
import { auditEntry } from "../audit/record";
import type { Db } from "../db/client";
import type { SignedInUser } from "./action-context";
import { emailVerified } from "./oidc";
import { verifyPassword } from "./passwords";
export { signInPausedCode } from "./sign-in-messages";
import { pruneSessions, startSession, type RequestFacts } from "./sessions";
import {
  countAttempt,
  forgiveAttempt,
  lockMinutes,
  pruneThrottles,
  throttleKey,
  throttleKind,
  throttleLimits,
  type AttemptCount,
} from "./throttle";

export type SignInFailure =
  "bad password" | "unknown account" | "disabled" | "locked" | "throttled address" | "malformed" | "email not verified";

export type SignInResult =
  | { ok: true; user: SignedInUser; sessionId: string }
  | { ok: false; reason: SignInFailure; /** Paused by a lockout: say so, without saying whether the account exists. */ paused: boolean };

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

// A constant-cost dummy compare for unknown e-mails, so timing does not reveal which accounts exist.
const dummyHash = "$2b$10$BIgXaQNCQbDdjUt7YA2aO.TBrZnGEwiVWfqbEi6SPCWPXTLjPyEM.";

/** What the audit keeps of a typed e-mail: no control characters, no lone surrogates, bounded. */
export function attemptedEmail(raw: unknown): string {
  if (typeof raw !== "string") return "";
  return raw
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .toWellFormed()
    .trim()
    .slice(0, 254)
    .toWellFormed();
}

interface Attempt {
  email: string;
  facts: RequestFacts;
  user?: { id: string; email: string; name: string; role: SignedInUser["role"] } | null;
}

async function audit(db: Db, attempt: Attempt, outcome: "succeeded" | "failed" | "refused", reason: SignInFailure | null, detail?: string) {
  const user = attempt.user ?? null;
  await db.auditEntry.create({
    data: {
      ...auditEntry(outcome === "succeeded" && user ? user : null, {
        action: "auth.signIn",
        targetType: "user",
        targetId: user?.id ?? null,
        parameters: { email: attempt.email, address: attempt.facts.address, ...(reason ? { reason } : {}) },
        outcome,
        detail:
          detail ??
          (reason ? `sign-in ${reason === "locked" || reason === "throttled address" ? "refused" : "failed"}: ${reason}` : undefined),
      }),
    },
  });
}

async function auditLockout(db: Db, attempt: Attempt, count: AttemptCount) {
  const kind = throttleKind(count.key);
  const limits = throttleLimits[kind];
  const minutes = lockMinutes(limits, count.lockouts);
  const user = attempt.user ?? null;
  await db.auditEntry.create({
    data: {
      ...auditEntry(null, {
        action: "auth.lockout",
        targetType: kind === "account" ? "user" : "address",
        targetId: kind === "account" ? (user?.id ?? null) : attempt.facts.address,
        parameters: { email: attempt.email, address: attempt.facts.address, kind, minutes, lockout: count.lockouts },
        outcome: "refused",
        detail: `${kind === "account" ? "account" : "address"} locked for ${minutes} min after ${limits.failures} failed sign-ins in ${limits.windowMinutes} min (lockout ${count.lockouts} in a row)`,
      }),
    },
  });
}

/** E-mail + password sign-in, throttled and audited. Starts a session on success. */
export async function signInWithPassword(db: Db, raw: unknown, facts: RequestFacts, now = new Date()): Promise<SignInResult> {
  const input = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const parsed = credentialsSchema.safeParse({ email: input.email, password: input.password });
  const attempt: Attempt = { email: parsed.success ? parsed.data.email : attemptedEmail(input.email), facts };

  const address = await countAttempt(db, throttleKey("address", facts.address), now);
  const account = parsed.success ? await countAttempt(db, throttleKey("account", parsed.data.email), now) : null;
  // Looked up before any refusal, so every entry names the account when it exists (no password is checked yet).
  const user = parsed.success
    ? await db.user.findUnique({
        where: { email: parsed.data.email },
        select: { id: true, email: true, name: true, role: true, disabled: true, passwordHash: true },
      })
    : null;
  attempt.user = user;
  const fail = async (reason: SignInFailure, outcome: "failed" | "refused" = "failed"): Promise<SignInResult> => {
    await audit(db, attempt, outcome, reason);
    for (const count of [account, address]) if (count?.lockedNow) await auditLockout(db, attempt, count);
    return { ok: false, reason, paused: Boolean(account?.lockedNow || address.lockedNow || outcome === "refused") };
  };

  if (address.locked) return fail("throttled address", "refused");
  if (account?.locked) return fail("locked", "refused");
  if (!parsed.success) return fail("malformed");

  const passwordOk = await verifyPassword(parsed.data.password, user?.passwordHash ?? dummyHash);
  if (!user) return fail("unknown account");
  if (!user.passwordHash || !passwordOk) return fail("bad password");
  if (user.disabled) return fail("disabled");

  await forgiveAttempt(db, address);
  if (account) await forgiveAttempt(db, account);
  const sessionId = await startSession(db, user.id, facts, now);
  await audit(db, attempt, "succeeded", null, "signed in with e-mail and password");
  await pruneThrottles(db, now);
  await pruneSessions(db, now);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role }, sessionId };
}

/**
 * OpenID Connect sign-in: the provider proved who someone is; only people an admin added to the console, not disabled,
 * with a verified e-mail, may enter. Returns the started session's id, or null (audited either way).
 */
export async function signInWithOidc(db: Db, profile: unknown, facts: RequestFacts, now = new Date()): Promise<SignInResult> {
  const claims = profile && typeof profile === "object" ? (profile as Record<string, unknown>) : {};
  const email = attemptedEmail(claims.email).toLowerCase();
  const attempt: Attempt = { email, facts };
  const user = email
    ? await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, role: true, disabled: true } })
    : null;
  attempt.user = user;
  const refuse = async (reason: SignInFailure) => {
    await audit(db, attempt, "refused", reason, `single sign-on refused: ${reason}`);
    return { ok: false as const, reason, paused: false };
  };
  if (!emailVerified(profile)) return refuse("email not verified");
  if (!user) return refuse("unknown account");
  if (user.disabled) return refuse("disabled");
  const sessionId = await startSession(db, user.id, facts, now);
  await audit(db, attempt, "succeeded", null, "signed in with single sign-on");
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role }, sessionId };
}
