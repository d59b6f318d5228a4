// A finding's history (each change the watcher made to it, oldest first) and
// the alerts sent for it (per event and channel, with retries and errors).
import { SeverityBadge } from "@/components/fleet/severity";
import { Badge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatDateTime, formatInteger, formatTime } from "@/components/ui/format";
import type { NotificationView } from "@/lib/fleet-watch/alerts/queries";
import type { FindingEventView } from "@/lib/fleet-watch/queries";

export const eventLabels: Record<FindingEventView["kind"], string> = {
  opened: "Opened",
  escalated: "Escalated",
  deescalated: "De-escalated",
  reopened: "Re-opened",
  resolved: "Resolved",
  outcome: "Outcome measured",
};

const eventTones = {
  opened: "warning",
  escalated: "danger",
  deescalated: "neutral",
  reopened: "warning",
  resolved: "success",
  outcome: "accent",
} as const;

export function FindingTimeline({ events }: { events: readonly FindingEventView[] }) {
  if (events.length === 0) return <p className="px-4 py-3 text-[13px] text-muted">No event recorded yet.</p>;
  return (
    <ol className="relative px-4 py-3" aria-label="History">
      {events.map((event, i) => (
        <li key={event.id} className="relative flex gap-3 pb-3 last:pb-0">
          {/* The line between events, drawn beside the dots; decorative. */}
          {i < events.length - 1 ? <span aria-hidden className="absolute bottom-0 left-[5px] top-4 w-px bg-border" /> : null}
          <span aria-hidden className="mt-1.5 size-[11px] shrink-0 rounded-full border-2 border-border-strong bg-surface" />
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
              <Badge tone={eventTones[event.kind]}>{eventLabels[event.kind]}</Badge>
              <SeverityBadge severity={event.severity} />
              <time dateTime={event.at.toISOString()} className="num text-xs text-muted">
                {formatDateTime(event.at)}
              </time>
            </div>
            <p className="mt-0.5 text-[13px]" dir="auto">
              {event.detail}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}

const statusTones = { sent: "success", pending: "accent", failed: "danger", suppressed: "neutral" } as const;
const channelLabels = { webhook: "Webhook", sns: "Amazon SNS" } as const;

const notificationColumns: Column<NotificationView>[] = [
  {
    key: "event",
    header: "For",
    className: "align-top",
    cell: (n) => (
      <>
        <div>{eventLabels[n.event.kind]}</div>
        <div className="num whitespace-nowrap text-xs text-muted">{formatTime(n.event.at, true)} UTC</div>
      </>
    ),
  },
  { key: "channel", header: "Channel", className: "align-top whitespace-nowrap", cell: (n) => channelLabels[n.channel] },
  {
    key: "status",
    header: "What became of it",
    className: "align-top min-w-56",
    cell: (n) => (
      <>
        <Badge tone={statusTones[n.status]}>{n.status}</Badge>
        <div className={`mt-0.5 break-words text-xs ${n.status === "failed" ? "text-danger" : "text-muted"}`}>{n.state}</div>
      </>
    ),
  },
  { key: "attempts", header: "Attempts", numeric: true, className: "align-top", cell: (n) => formatInteger(n.attempts) },
];

/** The finding's alerts as the alerts concern reads them (lib/fleet-watch/alerts/queries.ts). */
export function NotificationsTable({ notifications }: { notifications: readonly NotificationView[] }) {
  return (
    <DataTable
      label="Notifications"
      columns={notificationColumns}
      rows={notifications}
      rowKey={(n) => n.id}
      empty={{
        title: "No notification",
        body: "Alerts are sent for its events through the configured channels (a webhook, Amazon SNS); none was queued for this finding.",
      }}
    />
  );
}
