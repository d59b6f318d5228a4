import type { Db } from "../db/client";
import { roles } from "../catalog/vocabulary";
import { z } from "zod";
import { singleLine } from "../validation/fields";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import { revokeUserSessions, sessionSummaries, type SessionSummary } from "../auth/sessions";
import { listThrottles, throttleKind, type ThrottleRow } from "../auth/throttle";

export async function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, disabled: true, updatedAt: true },
  });
}

/** Users with their live sessions (how many, last seen), for the users page. */
export async function listUsersWithSessions(db: Db, now = new Date()) {
  const [users, sessions] = await Promise.all([listUsers(db), sessionSummaries(db, now)]);
  const none: SessionSummary = { active: 0, lastSeenAt: null };
  return users.map((user) => ({ ...user, sessions: sessions.get(user.id) ?? none }));
}

export type UserRow = Awaited<ReturnType<typeof listUsersWithSessions>>[number];

/** Accounts and addresses that sign-in throttling holds now or recently (locks an admin may lift). */
export async function listSignInLocks(db: Db, now = new Date()): Promise<ThrottleRow[]> {
  return listThrottles(db, now);
}

export const updateUserAccessInput = z.object({
  userId: singleLine({ max: 64, required: "Choose a user" }),
  role: z.enum(roles, { error: "Role is admin, operator or support" }),
  disabled: z.enum(["true", "false"], { error: "Disabled is true or false" }).transform((value) => value === "true"),
});

/** Changes a user's role or disabled flag; never leaves the console without an active admin. */
export async function updateUserAccess(ctx: ActionContext, input: z.infer<typeof updateUserAccessInput>) {
  return ctx.db.$transaction(async (tx) => {
    // Locks the active admins first: two demotions of the last two admins at once are serialised here, and the second
    // counts the first one's result (READ COMMITTED re-reads the rows it waited for).
    await tx.$queryRaw`SELECT id FROM "User" WHERE role = 'admin' AND disabled = false ORDER BY id FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, role: true, disabled: true } });
    if (!user) throw new ActionRefusal("No such user.");
    const losesAdmin = user.role === "admin" && !user.disabled && (input.role !== "admin" || input.disabled);
    if (losesAdmin) {
      const otherAdmins = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: user.id } } });
      if (otherAdmins === 0) throw new ActionRefusal("This is the last active admin; make someone else admin first.");
    }
    if (user.role === input.role && user.disabled === input.disabled) {
      return { data: undefined, message: "Nothing changed." };
    }
    await tx.user.update({ where: { id: user.id }, data: { role: input.role, disabled: input.disabled } });
    // Their sessions end with the change: a disabled user is out at once, a new role starts from a fresh sign-in.
    const ended =
      input.disabled && !user.disabled
        ? await revokeUserSessions(tx, user.id, "disabled", new Date())
        : user.role !== input.role
          ? await revokeUserSessions(tx, user.id, "role_changed", new Date())
          : 0;
    await tx.auditEntry.create({
      data: {
        ...auditEntry(ctx.user, {
          action: "users.updateAccess",
          targetType: "user",
          targetId: user.id,
          parameters: {
            email: user.email,
            from: { role: user.role, disabled: user.disabled },
            to: { role: input.role, disabled: input.disabled },
            sessionsEnded: ended,
          },
          outcome: "succeeded",
        }),
      },
    });
    const signedOut = ended ? ` ${ended === 1 ? "Their session was" : `Their ${ended} sessions were`} ended.` : "";
    return { data: undefined, message: `${user.email} is now ${input.role}${input.disabled ? " (disabled)" : ""}.${signedOut}` };
  });
}

export const liftSignInLockInput = z.object({
  key: z
    .string()
    .trim()
    .min(1, "Choose a lock")
    .max(400)
    .regex(/^(account|address):/, "Not a sign-in lock"),
});

/** Lifts a sign-in lock (an account's or an address's): its failures and consecutive lockouts are forgotten. */
export async function liftSignInLock(ctx: ActionContext, input: z.infer<typeof liftSignInLockInput>) {
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.signInThrottle.findUnique({ where: { key: input.key } });
    if (!row) throw new ActionRefusal("That lock has already ended or been lifted.");
    await tx.signInThrottle.delete({ where: { key: input.key } });
    const kind = throttleKind(input.key);
    const subject = input.key.slice(input.key.indexOf(":") + 1);
    const user = kind === "account" ? await tx.user.findUnique({ where: { email: subject }, select: { id: true } }) : null;
    await tx.auditEntry.create({
      data: {
        ...auditEntry(ctx.user, {
          action: "users.liftSignInLock",
          targetType: kind === "account" ? "user" : "address",
          targetId: kind === "account" ? (user?.id ?? null) : subject,
          parameters: {
            kind,
            subject,
            failures: row.failures,
            lockouts: row.lockouts,
            lockedUntil: row.lockedUntil?.toISOString() ?? null,
          },
          outcome: "succeeded",
        }),
      },
    });
    return { data: undefined, message: `Sign-in is open again for ${kind === "account" ? subject : `address ${subject}`}.` };
  });
}
