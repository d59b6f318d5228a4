import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedHeaders, verifyWebhookSignature, webhookSignature } from "./signing";

const secret = "tsc-alerts-test-secret";
const body = JSON.stringify({ version: 1, event: { kind: "opened" } });

describe("webhook signatures", () => {
  it("is HMAC-SHA256 over `${timestamp}.${body}`: a fixed vector (also from `openssl dgst -sha256 -hmac`)", () => {
    expect(webhookSignature(secret, 1764633600, body)).toBe("3cfa1d4828272605b55fc9c9e76d4bf0683fd96402185349efa0195a283e11d6");
    expect(webhookSignature(secret, 1764633600, body)).toBe(createHmac("sha256", secret).update(`1764633600.${body}`).digest("hex"));
  });

  it("puts the time in seconds, the signature and the delivery id in the headers", () => {
    const headers = signedHeaders(secret, 1764633600_999, body, "notification-1");
    expect(headers).toEqual({
      "x-console-timestamp": "1764633600",
      "x-console-signature": "sha256=3cfa1d4828272605b55fc9c9e76d4bf0683fd96402185349efa0195a283e11d6",
      "x-console-delivery": "notification-1",
    });
  });

  it("verifies as a receiver does: the body as sent, the same secret, a recent timestamp", () => {
    const now = 1764633600_000;
    const headers = signedHeaders(secret, now, body, "n");
    const given = { timestamp: headers["x-console-timestamp"], signature: headers["x-console-signature"] };
    expect(verifyWebhookSignature(secret, given, body, now + 1_000)).toBe(true);
    expect(verifyWebhookSignature("another-secret-entirely", given, body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, given, body.replace("opened", "closed"), now)).toBe(false);
    expect(verifyWebhookSignature(secret, given, body, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...given, signature: undefined }, body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...given, timestamp: "soon" }, body, now)).toBe(false);
  });
});
