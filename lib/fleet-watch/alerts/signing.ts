// Webhook signatures: HMAC-SHA256 with the shared secret over
// `${timestamp}.${body}`, the timestamp in Unix seconds (docs/alerts.md shows
// a receiver verifying one). Pure.
import { createHmac, timingSafeEqual } from "node:crypto";

export const timestampHeader = "x-console-timestamp";
export const signatureHeader = "x-console-signature";
export const deliveryHeader = "x-console-delivery";

/** The hex HMAC-SHA256 of `${timestampSeconds}.${body}` under `secret`. */
export function webhookSignature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
}

/** The headers a webhook delivery carries besides its content type: the time it was signed, the signature and the delivery's id. */
export function signedHeaders(secret: string, nowMs: number, body: string, deliveryId: string): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [timestampHeader]: String(timestamp),
    [signatureHeader]: `sha256=${webhookSignature(secret, timestamp, body)}`,
    [deliveryHeader]: deliveryId,
  };
}

/**
 * What a receiver does: recompute the signature over the raw body and compare in constant time, refusing a
 * timestamp further than `toleranceSeconds` from its own clock (a replayed delivery).
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(`sha256=${webhookSignature(secret, timestamp, body)}`);
  const given = Buffer.from(headers.signature ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
