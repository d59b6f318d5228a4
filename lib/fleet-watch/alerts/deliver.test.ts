// One delivery attempt per channel, without a catalog: SNS against a mocked
// client (no local SNS exists), the webhook against a stub fetch. The
// delivery loop itself runs against a real receiver in
// alerts.integration.test.ts.
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/config";
import { sendNotification, type AlertDeps } from "./deliver";
import { alertPayload } from "./payload";
import { alertSettings } from "./settings";
import { verifyWebhookSignature } from "./signing";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

const secret = "unit-test-webhook-secret-0123456789";
const settings = alertSettings(
  loadConfig({
    ALERT_WEBHOOK_URL: "https://hooks.example.com/services/T0KEN",
    ALERT_WEBHOOK_SECRET: secret,
    ALERT_SNS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:fleet-alerts",
    NEXTAUTH_URL: "https://console.example.com",
  }),
);
const payload = alertPayload(
  {
    id: "f1",
    kind: "instance_pressure",
    severity: "critical",
    peakSeverity: "critical",
    status: "open",
    summary: "pool-003 refuses requests for capacity",
    subject: "instance_pressure/pool-003",
    tenantId: null,
    storageInstanceId: "pool-003",
    sinceAt: new Date("2026-12-01T11:50:00Z"),
    openedAt: new Date("2026-12-01T11:52:00Z"),
    resolvedAt: null,
  },
  { id: "e1", kind: "opened", severity: "critical", at: new Date("2026-12-01T11:52:00Z"), detail: "opened" },
  settings.consoleUrl,
  Date.parse("2026-12-01T11:53:00Z"),
);
const notification = (channel: "webhook" | "sns") => ({
  id: `n-${channel}`,
  findingId: "f1",
  channel,
  payload: JSON.parse(JSON.stringify(payload)),
});

describe("an SNS delivery", () => {
  const deps: AlertDeps = { settings, sns: new SNSClient({ region: "eu-west-1" }) };

  it("publishes the document to the topic with its subject and the severity as a message attribute", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    expect(await sendNotification(deps, notification("sns"))).toEqual({ ok: true, detail: "message m-1" });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      TopicArn: "arn:aws:sns:eu-west-1:123456789012:fleet-alerts",
      Subject: "[critical] opened: pool-003 refuses requests for capacity",
      Message: JSON.stringify(payload),
      MessageAttributes: {
        severity: { DataType: "String", StringValue: "critical" },
        event: { DataType: "String", StringValue: "opened" },
        findingKind: { DataType: "String", StringValue: "instance_pressure" },
      },
    });
    expect(JSON.parse(calls[0]!.args[0].input.Message!).url).toBe("https://console.example.com/findings/f1");
  });

  it("reports a refusal as a failed attempt with the error's name", async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error("User is not authorized to perform SNS:Publish"), { name: "AuthorizationErrorException" }));
    expect(await sendNotification(deps, notification("sns"))).toEqual({
      ok: false,
      error: "AuthorizationErrorException: User is not authorized to perform SNS:Publish",
    });
  });
});

describe("a webhook delivery", () => {
  const received: { url: string; init: RequestInit }[] = [];
  const answering =
    (status: number, body = "") =>
    async (url: string | URL | Request, init?: RequestInit) => {
      received.push({ url: String(url), init: init! });
      return new Response(body || null, { status });
    };
  beforeEach(() => void received.splice(0));

  it("POSTs the document as JSON, signed and dated, with the delivery's id and never the secret", async () => {
    const deps: AlertDeps = { settings, sns: null, fetch: answering(204) as typeof fetch, clock: () => 1764590000_000 };
    expect(await sendNotification(deps, notification("webhook"))).toEqual({ ok: true, detail: "HTTP 204" });
    const [{ url, init }] = received as [(typeof received)[number]];
    expect(url).toBe("https://hooks.example.com/services/T0KEN");
    expect(init.method).toBe("POST");
    const headers = init.headers as Record<string, string>;
    expect(headers).toMatchObject({
      "content-type": "application/json",
      "x-console-timestamp": "1764590000",
      "x-console-delivery": "n-webhook",
    });
    expect(init.body).toBe(JSON.stringify(payload));
    const signature = { timestamp: headers["x-console-timestamp"], signature: headers["x-console-signature"] };
    expect(verifyWebhookSignature(secret, signature, init.body as string, 1764590000_000)).toBe(true);
    expect(JSON.stringify(init)).not.toContain(secret);
  });

  it("counts anything but 2xx as a failure, saying what the receiver answered", async () => {
    const deps: AlertDeps = { settings, sns: null, fetch: answering(503, "upstream\nbusy") as typeof fetch };
    expect(await sendNotification(deps, notification("webhook"))).toEqual({ ok: false, error: "HTTP 503: upstream busy" });
    const redirect: AlertDeps = { settings, sns: null, fetch: answering(302) as typeof fetch };
    expect(await sendNotification(redirect, notification("webhook"))).toEqual({ ok: false, error: "HTTP 302" });
  });

  it("reports a receiver that does not answer in time, or cannot be reached", async () => {
    const timeout = Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" });
    const silent: AlertDeps = { settings, sns: null, fetch: (async () => Promise.reject(timeout)) as typeof fetch };
    expect(await sendNotification(silent, notification("webhook"))).toEqual({ ok: false, error: "no answer within 10000 ms" });
    const refused = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    const down: AlertDeps = { settings, sns: null, fetch: (async () => Promise.reject(refused)) as typeof fetch };
    expect(await sendNotification(down, notification("webhook"))).toEqual({
      ok: false,
      error: "fetch failed: connect ECONNREFUSED 127.0.0.1:9",
    });
  });
});
