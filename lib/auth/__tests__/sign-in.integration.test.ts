// Sign-in throttling, revocable sessions and the last-admin check against the catalog, on PGlite and PostgreSQL 15.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases, type TestDatabase } from "../../db/__tests__/databases";
import { liftSignInLock, updateUserAccess } from "../../users/users";
import { hashPassword } from "../passwords";
import { liveSessionUser, revokeSession } from "../sessions";
import { signInWithOidc, signInWithPassword } from "../sign-in";
import { countAttempt, throttleKey, throttleLimits } from "../throttle";

const minute = 60_000;
const password = "right-password-1";
const facts = (address = "10.1.1.1") => ({ address, userAgent: "vitest" });

describe.each(testDatabases)("sign-in and sessions on $name", (target) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await target.start();
    const passwordHash = await hashPassword(password);
    await t.db.user.createMany({
      data: [
        { id: "u-ada", email: "ada@example.com", name: "Ada", role: "admin", passwordHash },
        { id: "u-bob", email: "bob@example.com", name: "Bob", role: "admin", passwordHash },
        { id: "u-cy", email: "cy@example.com", name: "Cy", role: "operator", passwordHash },
        { id: "u-di", email: "di@example.com", name: "Di", role: "support", passwordHash },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  const signIn = (email: string, pass: string, now: Date, address?: string) =>
    signInWithPassword(t.db, { email, password: pass }, facts(address), now);

  it("locks an account after its limit of wrong passwords, refuses the right one while locked, and lets it in once the lock ends", async () => {
    const start = new Date("2026-12-01T10:00:00Z");
    const { failures } = throttleLimits.account;
    for (let i = 1; i <= failures; i++) {
      const result = await signIn("cy@example.com", `wrong-${i}`, new Date(start.getTime() + i * 1000));
      expect(result).toMatchObject({ ok: false, reason: "bad password", paused: i === failures });
    }
    const locked = await signIn("cy@example.com", password, new Date(start.getTime() + 10_000));
    expect(locked).toMatchObject({ ok: false, reason: "locked", paused: true });

    // The same for an e-mail nobody has: the answer does not tell the two apart.
    for (let i = 1; i <= failures; i++) await signIn("nobody@example.com", "x", new Date(start.getTime() + i * 1000));
    expect(await signIn("nobody@example.com", "x", new Date(start.getTime() + 10_000))).toMatchObject({ reason: "locked", paused: true });

    const entries = await t.db.auditEntry.findMany({ where: { action: { in: ["auth.signIn", "auth.lockout"] } }, orderBy: { at: "asc" } });
    const cy = entries.filter((e) => (e.parameters as { email?: string }).email === "cy@example.com");
    expect(cy.map((e) => [e.action, e.outcome, (e.parameters as { reason?: string }).reason ?? null])).toEqual([
      ...Array.from({ length: failures }, () => ["auth.signIn", "failed", "bad password"]),
      ["auth.lockout", "refused", null],
      ["auth.signIn", "refused", "locked"],
    ]);
    expect(cy.every((e) => e.targets.includes("user:u-cy"))).toBe(true);

    const after = new Date(start.getTime() + (throttleLimits.account.lockMinutes + 1) * minute);
    const result = await signIn("cy@example.com", password, after);
    expect(result).toMatchObject({ ok: true, user: { id: "u-cy", role: "operator" } });
    expect(await t.db.signInThrottle.findUnique({ where: { key: "account:cy@example.com" } })).toBeNull();
    const success = await t.db.auditEntry.findFirst({ where: { action: "auth.signIn", outcome: "succeeded", actorId: "u-cy" } });
    expect(success?.targets).toEqual(["user:u-cy"]);
  });

  it("doubles a lockout that follows another, and an admin can lift it (audited)", async () => {
    const start = new Date("2026-12-01T12:00:00Z");
    const { failures, lockMinutes } = throttleLimits.account;
    for (let i = 1; i <= failures; i++) await signIn("nobody2@example.com", "x", new Date(start.getTime() + i * 1000));
    const later = new Date(start.getTime() + (lockMinutes + 1) * minute);
    for (let i = 1; i <= failures; i++) await signIn("nobody2@example.com", "x", new Date(later.getTime() + i * 1000));
    const row = await t.db.signInThrottle.findUniqueOrThrow({ where: { key: "account:nobody2@example.com" } });
    expect(row.lockouts).toBe(2);
    expect(row.lockedUntil!.getTime() - (later.getTime() + failures * 1000)).toBe(2 * lockMinutes * minute);

    const admin = { id: "u-ada", email: "ada@example.com", name: "Ada", role: "admin" as const };
    await liftSignInLock({ db: t.db, user: admin }, { key: "account:nobody2@example.com" });
    expect(await t.db.signInThrottle.findUnique({ where: { key: "account:nobody2@example.com" } })).toBeNull();
    expect(await t.db.auditEntry.count({ where: { action: "users.liftSignInLock", actorId: "u-ada" } })).toBe(1);
  });

  it("counts two concurrent bursts of failures exactly: the limit-th locks, the one after is refused", async () => {
    const now = new Date("2026-12-01T14:00:00Z");
    const burst = () => Promise.all([1, 2, 3].map((i) => signIn("di@example.com", `wrong-${i}`, now, `10.2.0.${i}`)));
    const results = (await Promise.all([burst(), burst()])).flat();
    const reasons = results.map((r) => (r.ok ? "ok" : r.reason)).sort();
    expect(reasons).toEqual(["bad password", "bad password", "bad password", "bad password", "bad password", "locked"]);
    expect(results.filter((r) => !r.ok && r.paused && r.reason === "bad password")).toHaveLength(1);
    expect(await t.db.auditEntry.count({ where: { action: "auth.lockout", targets: { has: "user:u-di" } } })).toBe(1);

    const counts = await Promise.all(Array.from({ length: 4 }, () => countAttempt(t.db, throttleKey("address", "10.9.9.9"), now)));
    expect(counts.filter((c) => c.lockedNow || c.locked)).toHaveLength(0);
    expect((await t.db.signInThrottle.findUniqueOrThrow({ where: { key: "address:10.9.9.9" } })).failures).toBe(4);
  });

  it("throttles an address that tries many accounts, even with a right password", async () => {
    const now = new Date("2026-12-01T16:00:00Z");
    for (let i = 0; i < throttleLimits.address.failures; i++) await countAttempt(t.db, throttleKey("address", "10.3.3.3"), now);
    expect(await signIn("bob@example.com", password, now, "10.3.3.3")).toMatchObject({
      ok: false,
      reason: "throttled address",
      paused: true,
    });
    expect(await signIn("bob@example.com", password, now, "10.3.3.4")).toMatchObject({ ok: true });
  });

  it("ends a session on sign-out, on a role change and on disabling the user; notes lastSeenAt at most once a minute", async () => {
    const admin = { id: "u-ada", email: "ada@example.com", name: "Ada", role: "admin" as const };
    const ctx = { db: t.db, user: admin };
    const now = new Date();
    const start = async () => {
      const result = await signIn("di@example.com", password, now, "10.4.4.4");
      if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
      expect(await liveSessionUser(t.db, result.sessionId, now)).toMatchObject({ id: "u-di" });
      return result.sessionId;
    };
    await t.db.signInThrottle.deleteMany({ where: { key: "account:di@example.com" } });

    const signedOut = await start();
    await revokeSession(t.db, signedOut, "signed_out", now);
    expect(await liveSessionUser(t.db, signedOut, now)).toBeNull();

    const roleChanged = await start();
    const other = await start();
    await updateUserAccess(ctx, { userId: "u-di", role: "operator", disabled: false });
    expect(await liveSessionUser(t.db, roleChanged, now)).toBeNull();
    expect(await liveSessionUser(t.db, other, now)).toBeNull();

    const disabled = await start();
    await updateUserAccess(ctx, { userId: "u-di", role: "operator", disabled: true });
    expect(await liveSessionUser(t.db, disabled, now)).toBeNull();
    const reasons = await t.db.userSession.findMany({ where: { userId: "u-di" }, select: { revokedReason: true } });
    expect(reasons.map((r) => r.revokedReason).sort()).toEqual(["disabled", "role_changed", "role_changed", "signed_out"]);
    await updateUserAccess(ctx, { userId: "u-di", role: "support", disabled: false });

    const live = await start();
    const seen = async () => (await t.db.userSession.findUniqueOrThrow({ where: { id: live } })).lastSeenAt.getTime();
    await liveSessionUser(t.db, live, new Date(now.getTime() + 30_000));
    expect(await seen()).toBe(now.getTime());
    await liveSessionUser(t.db, live, new Date(now.getTime() + 61_000));
    expect(await seen()).toBe(now.getTime() + 61_000);
    expect(await liveSessionUser(t.db, live, new Date(now.getTime() + 9 * 3_600_000))).toBeNull();
  });

  it("single sign-on: refuses an unverified e-mail, an unknown or a disabled account (audited); starts a session otherwise", async () => {
    const profile = { sub: "oidc|1", email: "Bob@Example.com", email_verified: true };
    expect(await signInWithOidc(t.db, { ...profile, email_verified: "true" }, facts())).toMatchObject({
      ok: false,
      reason: "email not verified",
    });
    expect(await signInWithOidc(t.db, { ...profile, email_verified: undefined }, facts())).toMatchObject({ ok: false });
    expect(await signInWithOidc(t.db, { ...profile, email: "ghost@example.com" }, facts())).toMatchObject({
      ok: false,
      reason: "unknown account",
    });
    const result = await signInWithOidc(t.db, profile, facts());
    expect(result).toMatchObject({ ok: true, user: { id: "u-bob" } });
    const refused = await t.db.auditEntry.findMany({
      where: { action: "auth.signIn", outcome: "refused", detail: { startsWith: "single sign-on" } },
    });
    expect(refused.map((e) => (e.parameters as { reason: string }).reason).sort()).toEqual([
      "email not verified",
      "email not verified",
      "unknown account",
    ]);
  });

  it("never loses the last admin to two demotions at once", async () => {
    const ada = { id: "u-ada", email: "ada@example.com", name: "Ada", role: "admin" as const };
    const bob = { id: "u-bob", email: "bob@example.com", name: "Bob", role: "admin" as const };
    // On PostgreSQL, another transaction holds both admins' rows until both demotions are waiting, so they overlap for
    // certain (PGlite runs one transaction at a time: there they follow each other).
    const holder = target.name === "postgresql-15" ? new pg.Client({ connectionString: t.url }) : null;
    if (holder) {
      await holder.connect();
      await holder.query("BEGIN");
      await holder.query(`SELECT id FROM "User" WHERE id IN ('u-ada', 'u-bob') FOR UPDATE`);
    }
    const demotions = Promise.allSettled([
      updateUserAccess({ db: t.db, user: ada }, { userId: "u-bob", role: "operator", disabled: false }),
      updateUserAccess({ db: t.db, user: bob }, { userId: "u-ada", role: "support", disabled: true }),
    ]);
    if (holder) {
      // pg_stat_activity is read once per transaction unless its snapshot is cleared.
      const waiting = async () =>
        (await holder.query("SELECT pg_stat_clear_snapshot()")) &&
        Number(
          (
            await holder.query(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock'`,
            )
          ).rows[0].n,
        );
      while ((await waiting()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      await holder.query("COMMIT");
      await holder.end();
    }
    const results = await demotions;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(String(refused?.status === "rejected" ? refused.reason : "")).toMatch(/last active admin/);
    expect(await t.db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
  });
});
