// What an alert says: one JSON document per notification (stored with it,
// sent as the webhook's body and as the SNS message), its one-line title and
// the SNS Publish input. Pure.
import type { PublishInput } from "@aws-sdk/client-sns";
import type { FindingKindValue, SeverityValue } from "../shapes";
import type { EventKindValue } from "./plan";

export interface AlertFinding {
  id: string;
  kind: FindingKindValue;
  severity: SeverityValue;
  peakSeverity: SeverityValue;
  status: "open" | "resolved";
  summary: string;
  subject: string;
  tenantId: string | null;
  storageInstanceId: string | null;
  sinceAt: Date;
  openedAt: Date;
  resolvedAt: Date | null;
}

export interface AlertEvent {
  id: string;
  kind: EventKindValue;
  severity: SeverityValue;
  at: Date;
  detail: string;
}

/** The alert's document (version 1); docs/alerts.md describes each field. */
export interface AlertPayload {
  version: 1;
  /** What happened: "opened", "escalated", "reopened" or "resolved". */
  event: { id: string; kind: EventKindValue; severity: SeverityValue; at: string; detail: string };
  finding: {
    id: string;
    kind: FindingKindValue;
    severity: SeverityValue;
    peakSeverity: SeverityValue;
    status: "open" | "resolved";
    summary: string;
    subject: string;
    tenantId: string | null;
    storageInstanceId: string | null;
    since: string;
    opened: string;
    resolved: string | null;
  };
  title: string;
  /** The finding's page in the console. */
  url: string;
  /** When the alert was made. */
  time: string;
}

const verbs: Record<EventKindValue, string> = {
  opened: "opened",
  escalated: "escalated",
  deescalated: "de-escalated",
  reopened: "reopened",
  resolved: "resolved",
  outcome: "outcome measured",
};

/** "[major] opened: acme is over 3× its fair share of pool-003". */
export function alertTitle(event: Pick<AlertEvent, "kind" | "severity">, summary: string): string {
  return `[${event.severity}] ${verbs[event.kind]}: ${summary}`;
}

export function alertPayload(finding: AlertFinding, event: AlertEvent, consoleUrl: string, nowMs: number): AlertPayload {
  return {
    version: 1,
    event: { id: event.id, kind: event.kind, severity: event.severity, at: event.at.toISOString(), detail: event.detail },
    finding: {
      id: finding.id,
      kind: finding.kind,
      severity: finding.severity,
      peakSeverity: finding.peakSeverity,
      status: finding.status,
      summary: finding.summary,
      subject: finding.subject,
      tenantId: finding.tenantId,
      storageInstanceId: finding.storageInstanceId,
      since: finding.sinceAt.toISOString(),
      opened: finding.openedAt.toISOString(),
      resolved: finding.resolvedAt?.toISOString() ?? null,
    },
    title: alertTitle(event, finding.summary),
    url: `${consoleUrl}/findings/${encodeURIComponent(finding.id)}`,
    time: new Date(nowMs).toISOString(),
  };
}

/** SNS subjects are ASCII without line breaks or control characters, less than 100 characters long. */
export function snsSubject(title: string): string {
  const ascii = title.replace(/[^\x20-\x7e]/g, "?").trim();
  return ascii.length < 100 ? ascii : `${ascii.slice(0, 96)}...`;
}

/**
 * The Publish request for one notification: the document as the message, the title as its subject, and the
 * severity, event and finding kind as message attributes (for subscription filter policies). A FIFO topic
 * groups by finding (its alerts stay in order) and deduplicates by notification.
 */
export function snsPublishInput(
  topic: { topicArn: string; fifo: boolean },
  notification: { id: string; findingId: string },
  payload: AlertPayload,
): PublishInput {
  const attribute = (value: string) => ({ DataType: "String", StringValue: value });
  return {
    TopicArn: topic.topicArn,
    Subject: snsSubject(payload.title),
    Message: JSON.stringify(payload),
    MessageAttributes: {
      severity: attribute(payload.event.severity),
      event: attribute(payload.event.kind),
      findingKind: attribute(payload.finding.kind),
    },
    ...(topic.fifo ? { MessageGroupId: notification.findingId, MessageDeduplicationId: notification.id } : {}),
  };
}
