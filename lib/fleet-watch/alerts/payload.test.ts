import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/config";
import { alertPayload, snsPublishInput, snsSubject, type AlertEvent, type AlertFinding } from "./payload";
import { alertSettings } from "./settings";

const finding: AlertFinding = {
  id: "cmfinding0001",
  kind: "noisy_neighbour",
  severity: "major",
  peakSeverity: "major",
  status: "open",
  summary: "acme is over 3× its fair share of pool-003",
  subject: "noisy_neighbour/pool-003/acme",
  tenantId: "acme",
  storageInstanceId: "pool-003",
  sinceAt: new Date("2026-12-01T11:50:00Z"),
  openedAt: new Date("2026-12-01T11:55:00Z"),
  resolvedAt: null,
};
const opened: AlertEvent = { id: "cmevent0001", kind: "opened", severity: "major", at: new Date("2026-12-01T11:55:00Z"), detail: "opened" };

describe("the alert's document", () => {
  it("carries the event, the finding, a link to its page and the time", () => {
    expect(alertPayload(finding, opened, "https://console.example.com", Date.parse("2026-12-01T12:00:00Z"))).toEqual({
      version: 1,
      event: { id: "cmevent0001", kind: "opened", severity: "major", at: "2026-12-01T11:55:00.000Z", detail: "opened" },
      finding: {
        id: "cmfinding0001",
        kind: "noisy_neighbour",
        severity: "major",
        peakSeverity: "major",
        status: "open",
        summary: "acme is over 3× its fair share of pool-003",
        subject: "noisy_neighbour/pool-003/acme",
        tenantId: "acme",
        storageInstanceId: "pool-003",
        since: "2026-12-01T11:50:00.000Z",
        opened: "2026-12-01T11:55:00.000Z",
        resolved: null,
      },
      title: "[major] opened: acme is over 3× its fair share of pool-003",
      url: "https://console.example.com/findings/cmfinding0001",
      time: "2026-12-01T12:00:00.000Z",
    });
  });
});

describe("the SNS Publish input", () => {
  const payload = alertPayload(finding, opened, "https://console.example.com", Date.parse("2026-12-01T12:00:00Z"));

  it("sends the document as the message, the title as an ASCII subject, severity as an attribute", () => {
    const input = snsPublishInput(
      { topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts", fifo: false },
      { id: "n1", findingId: finding.id },
      payload,
    );
    expect(input).toEqual({
      TopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
      Subject: "[major] opened: acme is over 3? its fair share of pool-003",
      Message: JSON.stringify(payload),
      MessageAttributes: {
        severity: { DataType: "String", StringValue: "major" },
        event: { DataType: "String", StringValue: "opened" },
        findingKind: { DataType: "String", StringValue: "noisy_neighbour" },
      },
    });
  });

  it("groups by finding and deduplicates by notification on a FIFO topic", () => {
    const input = snsPublishInput(
      { topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo", fifo: true },
      { id: "n1", findingId: "f1" },
      payload,
    );
    expect(input).toMatchObject({ MessageGroupId: "f1", MessageDeduplicationId: "n1" });
  });

  it("keeps a subject under 100 characters with no line breaks", () => {
    const subject = snsSubject(`[minor] opened: ${"x".repeat(200)}\nsecond line`);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^\[minor\] opened: x+\.\.\.$/);
    expect(snsSubject("a\nb")).toBe("a?b");
  });
});

describe("alert settings", () => {
  it("turns on only the channels configured, with the topic's region and the console's URL", () => {
    const settings = alertSettings(
      loadConfig({
        ALERT_WEBHOOK_URL: "https://hooks.example.com/tsc",
        ALERT_WEBHOOK_SECRET: "s".repeat(32),
        ALERT_SNS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts",
        ALERT_QUIET_HOURS: "22:00-07:00",
        NEXTAUTH_URL: "https://console.example.com/",
      }),
    );
    expect(settings).toMatchObject({
      channels: ["webhook", "sns"],
      webhook: { url: "https://hooks.example.com/tsc", timeoutMs: 10_000 },
      sns: { topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts", region: "eu-west-1", fifo: false },
      quietHours: { startMinute: 22 * 60, endMinute: 7 * 60 },
      minimumMs: { critical: 0, major: 300_000, minor: 900_000 },
      maxAttempts: 8,
      backoffBaseMs: 30_000,
      consoleUrl: "https://console.example.com",
    });
  });

  it("keeps the webhook's secret for signing but out of logs and serialisations", () => {
    const secret = "never-show-this-secret-0123";
    const settings = alertSettings(loadConfig({ ALERT_WEBHOOK_URL: "https://hooks.example.com/tsc", ALERT_WEBHOOK_SECRET: secret }));
    expect(settings.webhook?.secret).toBe(secret);
    expect(JSON.stringify(settings)).not.toContain(secret);
    expect(inspect(settings, { depth: 10 })).not.toContain(secret);
    expect({ ...settings.webhook }).not.toHaveProperty("secret");
  });

  it("has no channel when nothing is configured, and links to the demo's console", () => {
    expect(alertSettings(loadConfig({}))).toMatchObject({
      channels: [],
      webhook: null,
      sns: null,
      quietHours: null,
      consoleUrl: "http://127.0.0.1:3000",
    });
  });
});
