// The small pieces every findings view shares: status, when it began (relative,
// the exact time on hover), how long it lasted, and its subject's links.
import Link from "next/link";
import { SeverityBadge } from "@/components/fleet/severity";
import { Badge } from "@/components/ui/badges";
import { formatDateTime, formatDuration } from "@/components/ui/format";
import { findingKindLabels } from "@/lib/fleet-watch/finding-filters";
import type { FindingSummary } from "@/lib/fleet-watch/queries";

export { SeverityBadge };

export function FindingStatusBadge({ status }: { status: FindingSummary["status"] }) {
  return <Badge tone={status === "open" ? "warning" : "success"}>{status === "open" ? "Open" : "Resolved"}</Badge>;
}

/** The severity now, and the worst it reached when that was worse. */
export function FindingSeverity({ finding }: { finding: Pick<FindingSummary, "severity" | "peakSeverity"> }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <SeverityBadge severity={finding.severity} />
      {finding.peakSeverity !== finding.severity ? <span className="text-xs text-muted">peak {finding.peakSeverity}</span> : null}
    </span>
  );
}

/** "12 min ago", "3 h 5 min ago": how long before `nowMs`. */
export function ago(atMs: number, nowMs: number): string {
  const ms = nowMs - atMs;
  return ms < 60_000 ? "just now" : `${formatDuration(ms)} ago`;
}

/** A past instant as "12 min ago", its exact time on hover and for machines. */
export function Ago({ at, nowMs }: { at: Date; nowMs: number }) {
  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at)} className="num whitespace-nowrap">
      {ago(at.getTime(), nowMs)}
    </time>
  );
}

/** Open: from its onset to now; resolved: from its onset to its resolution. */
export function findingDurationMs(finding: Pick<FindingSummary, "sinceAt" | "resolvedAt">, nowMs: number): number {
  return (finding.resolvedAt?.getTime() ?? nowMs) - finding.sinceAt.getTime();
}

export function FindingDuration({ finding, nowMs }: { finding: Pick<FindingSummary, "sinceAt" | "resolvedAt">; nowMs: number }) {
  return (
    <span className="num whitespace-nowrap" title={finding.resolvedAt ? `until ${formatDateTime(finding.resolvedAt)}` : "still open"}>
      {formatDuration(findingDurationMs(finding, nowMs))}
      {finding.resolvedAt ? null : <span className="text-muted"> so far</span>}
    </span>
  );
}

export function kindLabel(kind: FindingSummary["kind"]): string {
  return findingKindLabels[kind];
}

/** The tenant (by name) and the instance a finding is about, each a link. */
export function FindingSubject({
  finding,
  show = "both",
}: {
  finding: Pick<FindingSummary, "tenantId" | "tenantName" | "storageInstanceId">;
  /** On a tenant's or an instance's own page, the other one only. */
  show?: "both" | "tenant" | "instance";
}) {
  const tenant =
    finding.tenantId && show !== "instance" ? (
      <Link href={`/tenants/${finding.tenantId}`} className="text-accent hover:underline" dir="auto">
        {finding.tenantName ?? finding.tenantId}
      </Link>
    ) : null;
  const instance =
    finding.storageInstanceId && show !== "tenant" ? (
      <Link href={`/instances/${finding.storageInstanceId}`} className="whitespace-nowrap font-mono text-xs text-accent hover:underline">
        {finding.storageInstanceId}
      </Link>
    ) : null;
  if (tenant && instance)
    return (
      <span>
        {tenant} <span className="text-muted">on</span> {instance}
      </span>
    );
  return tenant ?? instance ?? <span className="text-muted">—</span>;
}
