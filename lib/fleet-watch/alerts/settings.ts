// The alert settings a worker reads from its configuration once (the ALERT_*
// variables in lib/config/variables.ts): which channels are on, the quiet
// hours, the minimum durations and the retry schedule. Pure.
import type { Config } from "../../config/config";
import type { SeverityValue } from "../shapes";
import { parseQuietHours, type QuietHours } from "./quiet-hours";

export type AlertChannel = "webhook" | "sns";

export interface AlertSettings {
  /** The channels configured, in delivery order; empty: alerts are off. */
  channels: AlertChannel[];
  webhook: { url: string; secret: string; timeoutMs: number } | null;
  /** The topic and its region (an SNS client publishes in the topic's own region). */
  sns: { topicArn: string; region: string; fifo: boolean; timeoutMs: number } | null;
  quietHours: QuietHours | null;
  /** How long a finding must last, per severity, before it alerts. */
  minimumMs: Record<SeverityValue, number>;
  maxAttempts: number;
  backoffBaseMs: number;
  /** The console's public URL, for a link to the finding (NEXTAUTH_URL, else the demo's address). */
  consoleUrl: string;
}

export type AlertConfig = Pick<
  Config,
  | "ALERT_WEBHOOK_URL"
  | "ALERT_WEBHOOK_SECRET"
  | "ALERT_DELIVERY_TIMEOUT_MS"
  | "ALERT_SNS_TOPIC_ARN"
  | "ALERT_QUIET_HOURS"
  | "ALERT_MIN_MINUTES_CRITICAL"
  | "ALERT_MIN_MINUTES_MAJOR"
  | "ALERT_MIN_MINUTES_MINOR"
  | "ALERT_MAX_ATTEMPTS"
  | "ALERT_BACKOFF_BASE_SECONDS"
  | "NEXTAUTH_URL"
>;

export const defaultConsoleUrl = "http://127.0.0.1:3000";

export function alertSettings(settings: AlertConfig): AlertSettings {
  const webhook =
    settings.ALERT_WEBHOOK_URL && settings.ALERT_WEBHOOK_SECRET
      ? withHiddenSecret({ url: settings.ALERT_WEBHOOK_URL, timeoutMs: settings.ALERT_DELIVERY_TIMEOUT_MS }, settings.ALERT_WEBHOOK_SECRET)
      : null;
  const topicArn = settings.ALERT_SNS_TOPIC_ARN;
  const sns = topicArn
    ? { topicArn, region: topicArn.split(":")[3]!, fifo: topicArn.endsWith(".fifo"), timeoutMs: settings.ALERT_DELIVERY_TIMEOUT_MS }
    : null;
  return {
    channels: [...(webhook ? (["webhook"] as const) : []), ...(sns ? (["sns"] as const) : [])],
    webhook,
    sns,
    quietHours: parseQuietHours(settings.ALERT_QUIET_HOURS),
    minimumMs: {
      critical: settings.ALERT_MIN_MINUTES_CRITICAL * 60_000,
      major: settings.ALERT_MIN_MINUTES_MAJOR * 60_000,
      minor: settings.ALERT_MIN_MINUTES_MINOR * 60_000,
    },
    maxAttempts: settings.ALERT_MAX_ATTEMPTS,
    backoffBaseMs: settings.ALERT_BACKOFF_BASE_SECONDS * 1000,
    consoleUrl: (settings.NEXTAUTH_URL ?? defaultConsoleUrl).replace(/\/+$/, ""),
  };
}

/** The secret is there for signing but not enumerable: logging or serialising the settings does not show it. */
function withHiddenSecret<T extends object>(webhook: T, secret: string): T & { secret: string } {
  return Object.defineProperty(webhook, "secret", { value: secret, enumerable: false }) as T & { secret: string };
}
