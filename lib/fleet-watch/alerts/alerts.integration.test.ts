// Alerts against the catalog (PGlite and PostgreSQL 15) and a real webhook
// receiver on a local port: a finding's alert waits for its minimum duration,
// is retried after the receiver fails and sent once it accepts, every body
// signed with the shared secret; a finding shorter than its minimum, or one
// that resolves while quiet hours hold its alert, never alerts; two workers
// queueing and delivering at once send each alert once. Each fate is audited.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/config";
import { testDatabases, type TestDatabase } from "../../db/__tests__/databases";
import type { Db } from "../../db/client";
import type { SeverityValue } from "../shapes";
import { deliverNotifications, type AlertDeps } from "./deliver";
import { findingNotifications } from "./queries";
import { queueNotifications } from "./queue";
import { alertSettings } from "./settings";
import { verifyWebhookSignature } from "./signing";
import { runAlerts } from "./tick";

const secret = "integration-webhook-secret-4f9c2a";
const minute = 60_000;
const noon = Date.parse("2026-12-01T12:00:00Z");

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver: answers 500 to the next `failures` deliveries, then 200; keeps what it got. */
class Receiver {
  deliveries: Delivery[] = [];
  failures = 0;
  private server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const status = this.failures > 0 ? 500 : 200;
      if (this.failures > 0) this.failures--;
      this.deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      response.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "try later");
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/tsc-alerts`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  signedBySecret(delivery: Delivery): boolean {
    const given = {
      timestamp: delivery.headers["x-console-timestamp"] as string,
      signature: delivery.headers["x-console-signature"] as string,
    };
    return verifyWebhookSignature(secret, given, delivery.body, Date.now());
  }
}

async function openFinding(db: Db, subject: string, severity: SeverityValue, atMs: number) {
  return db.finding.create({
    data: {
      kind: "noisy_neighbour",
      subject,
      tenantId: subject.split("/").at(-1)!,
      storageInstanceId: "pool-003",
      severity,
      peakSeverity: severity,
      summary: `${subject.split("/").at(-1)} is over 3× its fair share of pool-003`,
      sinceAt: new Date(atMs - 5 * minute),
      openedAt: new Date(atMs),
      lastSeenAt: new Date(atMs),
      events: { create: { kind: "opened", severity, at: new Date(atMs), detail: "opened" } },
    },
  });
}

async function resolveFinding(db: Db, id: string, severity: SeverityValue, atMs: number) {
  await db.finding.update({
    where: { id },
    data: {
      status: "resolved",
      resolvedAt: new Date(atMs),
      events: { create: { kind: "resolved", severity, at: new Date(atMs), detail: "resolved" } },
    },
  });
}

const alertAudits = (db: Db, findingId: string) =>
  db.auditEntry.findMany({
    where: { targetType: "finding", targetId: findingId, action: { startsWith: "alerts." } },
    orderBy: { at: "asc" },
  });

describe.each(testDatabases)("alerts on $name", (target) => {
  let database: TestDatabase;
  let db: Db;
  const receiver = new Receiver();
  let deps: AlertDeps;

  beforeAll(async () => {
    [database] = await Promise.all([target.start(), receiver.start().then((url) => (receiverUrl = url))]);
    db = database.db;
    const settings = alertSettings(
      loadConfig({
        ALERT_WEBHOOK_URL: receiverUrl,
        ALERT_WEBHOOK_SECRET: secret,
        ALERT_QUIET_HOURS: "22:00-07:00",
        ALERT_BACKOFF_BASE_SECONDS: "10",
        ALERT_MAX_ATTEMPTS: "4",
        NEXTAUTH_URL: "https://console.example.com",
      }),
    );
    deps = { settings, sns: null, random: () => 0.5 };
  });
  let receiverUrl = "";

  afterAll(async () => {
    await Promise.all([database?.stop(), receiver.stop()]);
  });

  beforeEach(async () => {
    await db.finding.deleteMany();
    receiver.deliveries = [];
    receiver.failures = 0;
  });

  it("waits for the minimum duration, retries after the receiver fails, then sends once, signed; the resolved alert follows", async () => {
    const finding = await openFinding(db, "noisy_neighbour/pool-003/acme", "major", noon);
    // A major finding alerts after 5 minutes.
    expect(await queueNotifications(db, deps.settings, noon + 2 * minute)).toEqual({ queued: 0, suppressed: 0, released: 0 });
    expect(await queueNotifications(db, deps.settings, noon + 5 * minute)).toEqual({ queued: 1, suppressed: 0, released: 0 });
    expect(await queueNotifications(db, deps.settings, noon + 5 * minute)).toEqual({ queued: 0, suppressed: 0, released: 0 });

    receiver.failures = 2;
    let now = noon + 5 * minute;
    expect(await deliverNotifications(db, deps, now)).toMatchObject({ sent: 0, retried: 1 });
    let notification = await db.notification.findFirstOrThrow({ where: { findingId: finding.id } });
    // 10 s × 2^1, jittered to three quarters of it.
    expect(notification).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500: try later" });
    expect(notification.nextAttemptAt.getTime()).toBe(now + 15_000);
    // Not due yet: nothing is sent.
    expect(await deliverNotifications(db, deps, now + 14_000)).toEqual({ sent: 0, retried: 0, failed: 0, held: 0 });
    now += 15_000;
    expect(await deliverNotifications(db, deps, now)).toMatchObject({ retried: 1 });
    notification = await db.notification.findFirstOrThrow({ where: { findingId: finding.id } });
    expect(notification).toMatchObject({ attempts: 2 });
    expect(notification.nextAttemptAt.getTime()).toBe(now + 30_000);
    now += 30_000;
    expect(await deliverNotifications(db, deps, now)).toMatchObject({ sent: 1 });
    notification = await db.notification.findFirstOrThrow({ where: { findingId: finding.id } });
    expect(notification).toMatchObject({ status: "sent", attempts: 3, lastError: null, sentAt: new Date(now) });
    expect(await deliverNotifications(db, deps, now + 60 * minute)).toEqual({ sent: 0, retried: 0, failed: 0, held: 0 });

    // Three deliveries of one alert: the same body and delivery id, each signed with the secret.
    expect(receiver.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    expect(new Set(receiver.deliveries.map((d) => d.body)).size).toBe(1);
    expect(new Set(receiver.deliveries.map((d) => d.headers["x-console-delivery"]))).toEqual(new Set([notification.id]));
    for (const delivery of receiver.deliveries) expect(receiver.signedBySecret(delivery)).toBe(true);
    expect(receiver.deliveries.some((d) => JSON.stringify(d.headers).includes(secret))).toBe(false);
    const body = JSON.parse(receiver.deliveries[0]!.body);
    expect(body).toMatchObject({
      version: 1,
      event: { kind: "opened", severity: "major" },
      finding: { id: finding.id, kind: "noisy_neighbour", subject: "noisy_neighbour/pool-003/acme", tenantId: "acme", resolved: null },
      url: `https://console.example.com/findings/${finding.id}`,
    });

    const audits = await alertAudits(db, finding.id);
    expect(audits.map((a) => [a.action, a.outcome, (a.parameters as { fate: string }).fate])).toEqual([
      ["alerts.deliver", "failed", "retried"],
      ["alerts.deliver", "failed", "retried"],
      ["alerts.deliver", "succeeded", "sent"],
    ]);
    for (const audit of audits) {
      expect(audit).toMatchObject({ actorEmail: "(the worker)", actorId: null });
      expect(audit.parameters).toMatchObject({
        notificationId: notification.id,
        channel: "webhook",
        destination: new URL(receiverUrl).origin,
      });
      expect(JSON.stringify(audit)).not.toContain(secret);
      expect(JSON.stringify(audit)).not.toContain("/hooks/tsc-alerts");
    }

    await resolveFinding(db, finding.id, "major", noon + 30 * minute);
    const tick = await runAlerts(db, deps, noon + 31 * minute);
    expect(tick.lines).toEqual(["1 queued", "1 sent"]);
    const resolved = JSON.parse(receiver.deliveries.at(-1)!.body);
    expect(resolved).toMatchObject({ event: { kind: "resolved" }, finding: { status: "resolved", resolved: "2026-12-01T12:30:00.000Z" } });
    expect((await findingNotifications(db, finding.id)).map((n) => [n.event.kind, n.channel, n.title, n.state])).toEqual([
      ["opened", "webhook", "[major] opened: acme is over 3× its fair share of pool-003", "sent (attempt 3)"],
      ["resolved", "webhook", "[major] resolved: acme is over 3× its fair share of pool-003", "sent (attempt 1)"],
    ]);
  });

  it("gives up after the last attempt, audited as failed", async () => {
    const finding = await openFinding(db, "instance_pressure/pool-003", "critical", noon);
    await queueNotifications(db, deps.settings, noon);
    receiver.failures = 10;
    let now = noon;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const notification = await db.notification.findFirstOrThrow({ where: { findingId: finding.id } });
      now = Math.max(now, notification.nextAttemptAt.getTime());
      await deliverNotifications(db, deps, now);
    }
    expect(await db.notification.findFirstOrThrow({ where: { findingId: finding.id } })).toMatchObject({
      status: "failed",
      attempts: 4,
      lastError: "HTTP 500: try later",
    });
    expect(receiver.deliveries).toHaveLength(4);
    expect((await alertAudits(db, finding.id)).map((a) => (a.parameters as { fate: string }).fate)).toEqual([
      "retried",
      "retried",
      "retried",
      "failed",
    ]);
  });

  it("never alerts for a finding that resolved before its minimum duration: both notifications suppressed, audited once", async () => {
    const finding = await openFinding(db, "noisy_neighbour/pool-003/blip", "minor", noon);
    await resolveFinding(db, finding.id, "minor", noon + 3 * minute);
    expect(await queueNotifications(db, deps.settings, noon + 4 * minute)).toEqual({ queued: 0, suppressed: 2, released: 0 });
    expect(await queueNotifications(db, deps.settings, noon + 5 * minute)).toEqual({ queued: 0, suppressed: 0, released: 0 });
    const notifications = await db.notification.findMany({ where: { findingId: finding.id }, include: { event: true } });
    expect(notifications.map((n) => [n.event.kind, n.status, n.lastError]).sort()).toEqual([
      ["opened", "suppressed", "resolved after 3 min, under the minimum of 15 min for a minor finding"],
      ["resolved", "suppressed", "resolved after 3 min, under the minimum of 15 min for a minor finding"],
    ]);
    expect(await deliverNotifications(db, deps, noon + 6 * minute)).toEqual({ sent: 0, retried: 0, failed: 0, held: 0 });
    expect(receiver.deliveries).toEqual([]);
    expect((await findingNotifications(db, finding.id)).map((n) => n.state)).toEqual([
      "suppressed: resolved after 3 min, under the minimum of 15 min for a minor finding",
      "suppressed: resolved after 3 min, under the minimum of 15 min for a minor finding",
    ]);
    const audits = await alertAudits(db, finding.id);
    expect(audits.map((a) => [a.action, a.outcome, (a.parameters as { fate: string }).fate])).toEqual([
      ["alerts.suppress", "succeeded", "suppressed"],
      ["alerts.suppress", "succeeded", "suppressed"],
    ]);
  });

  it("holds a major alert in quiet hours and suppresses it with the resolved when the finding resolves meanwhile", async () => {
    const evening = Date.parse("2026-12-01T22:30:00Z");
    const finding = await openFinding(db, "noisy_neighbour/pool-003/night", "major", evening);
    expect(await queueNotifications(db, deps.settings, evening + 6 * minute)).toMatchObject({ queued: 1 });
    const held = await db.notification.findFirstOrThrow({ where: { findingId: finding.id } });
    expect(held.nextAttemptAt.toISOString()).toBe("2026-12-02T07:00:00.000Z");
    expect(await deliverNotifications(db, deps, evening + 10 * minute)).toEqual({ sent: 0, retried: 0, failed: 0, held: 0 });

    await resolveFinding(db, finding.id, "major", evening + 60 * minute);
    expect(await queueNotifications(db, deps.settings, evening + 61 * minute)).toEqual({ queued: 0, suppressed: 2, released: 0 });
    expect(await deliverNotifications(db, deps, Date.parse("2026-12-02T07:01:00Z"))).toEqual({ sent: 0, retried: 0, failed: 0, held: 0 });
    expect(receiver.deliveries).toEqual([]);
    const notifications = await db.notification.findMany({ where: { findingId: finding.id } });
    expect(notifications.map((n) => n.status)).toEqual(["suppressed", "suppressed"]);
    expect((await alertAudits(db, finding.id)).map((a) => a.detail)).toEqual([
      "not sent: held for quiet hours (22:00-07:00 UTC) and the finding resolved meanwhile",
      "not sent: held for quiet hours (22:00-07:00 UTC) and the finding resolved meanwhile",
    ]);
  });

  it("sends each alert once when two workers queue and deliver at the same time", async () => {
    const findings = await Promise.all(
      ["a", "b", "c", "d", "e", "f"].map((tenant) => openFinding(db, `noisy_neighbour/pool-003/${tenant}`, "critical", noon)),
    );
    const now = noon + minute;
    const queued = await Promise.all([queueNotifications(db, deps.settings, now), queueNotifications(db, deps.settings, now)]);
    expect(queued[0].queued + queued[1].queued).toBe(findings.length);
    expect(await db.notification.count()).toBe(findings.length);

    const delivered = await Promise.all([deliverNotifications(db, deps, now), deliverNotifications(db, deps, now)]);
    expect(delivered[0].sent + delivered[1].sent).toBe(findings.length);
    const ids = receiver.deliveries.map((d) => d.headers["x-console-delivery"]);
    expect(ids).toHaveLength(findings.length);
    expect(new Set(ids).size).toBe(findings.length);
    expect(await db.notification.count({ where: { status: "sent", attempts: 1 } })).toBe(findings.length);
    const sentAudits = await db.auditEntry.count({ where: { action: "alerts.deliver", targetId: { in: findings.map((f) => f.id) } } });
    expect(sentAudits).toBe(findings.length);
  });
});
