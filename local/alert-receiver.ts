// The demo's alert receiver: where the local stack's worker sends findings'
// alerts when no ALERT_WEBHOOK_URL is configured, so alerts work end to end on
// a laptop. It verifies each delivery's signature as a customer's receiver
// would (docs/alerts.md) and prints what it received.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { deliveryHeader, signatureHeader, timestampHeader, verifyWebhookSignature } from "../lib/fleet-watch/alerts/signing";

export interface AlertReceiver {
  /** The worker's ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET. */
  env: { ALERT_WEBHOOK_URL: string; ALERT_WEBHOOK_SECRET: string };
  received: { deliveryId: string; verified: boolean; body: unknown }[];
  stop(): Promise<void>;
}

export async function startAlertReceiver(log: (line: string) => void): Promise<AlertReceiver> {
  const secret = randomBytes(24).toString("hex");
  const received: AlertReceiver["received"] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = (name: string) => request.headers[name] as string | undefined;
      const verified = verifyWebhookSignature(
        secret,
        { timestamp: header(timestampHeader), signature: header(signatureHeader) },
        body,
        Date.now(),
      );
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(body);
      } catch {
        // Kept as null: the receiver reports it below.
      }
      received.push({ deliveryId: header(deliveryHeader) ?? "", verified, body: parsed });
      if (received.length > 200) received.shift();
      const alert = parsed as { title?: string; url?: string } | null;
      log(
        `Alert ${verified ? "received (signature verified)" : "REFUSED (bad signature)"}: ${alert?.title ?? body.slice(0, 120)}${alert?.url ? ` ${alert.url}` : ""}`,
      );
      response.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/alerts`, ALERT_WEBHOOK_SECRET: secret },
    received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
