// The figures behind a finding, each with its unit, and the window they were read for.
import { Facts } from "@/components/ui/panel";
import { formatCount, formatDuration, formatIndex, formatPercent, formatRatio, formatSpan } from "@/components/ui/format";
import type { FindingEvidence } from "@/lib/fleet-watch/shapes";

function periods(seconds: number): string {
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60}-minute periods` : `${seconds}-second periods`;
}

export function evidenceWindowText(evidence: FindingEvidence): string {
  const { startMs, endMs, periodSeconds } = evidence.window;
  return `${formatDuration(endMs - startMs)}, ${formatSpan(startMs, endMs)}, ${periods(periodSeconds)}`;
}

export function EvidenceFacts({ evidence }: { evidence: FindingEvidence | null }) {
  if (!evidence)
    return (
      <p className="px-4 py-3 text-[13px] text-muted">
        The watcher stored no figures for this finding (or in a shape this page does not read).
      </p>
    );
  const items: { label: string; value: React.ReactNode }[] = [];
  const num = (text: string) => <span className="num">{text}</span>;
  if (evidence.peakRatio !== undefined)
    items.push({ label: "Peak share", value: num(`${formatRatio(evidence.peakRatio)} its fair share`) });
  if (evidence.meanRatio !== undefined)
    items.push({ label: "Mean share over the span", value: num(`${formatRatio(evidence.meanRatio)} its fair share`) });
  if (evidence.peakUtilisation !== undefined)
    items.push({
      label: "Instance utilisation, peak · latest",
      value: num(`${formatPercent(evidence.peakUtilisation)} · ${formatPercent(evidence.latestUtilisation)} of capacity`),
    });
  if (evidence.capacityThrottled !== undefined)
    items.push({
      label: "Refused for capacity",
      value: num(
        evidence.requests
          ? `${formatCount(evidence.capacityThrottled, "req")} of ${formatCount(evidence.requests, "req")} (${formatPercent(evidence.capacityThrottled / evidence.requests)})`
          : formatCount(evidence.capacityThrottled, "req"),
      ),
    });
  else if (evidence.requests !== undefined) items.push({ label: "Requests", value: num(formatCount(evidence.requests, "req")) });
  if (evidence.jain !== undefined)
    items.push({
      label: "Jain's index",
      value: num(`${formatIndex(evidence.jain)}${evidence.tenants !== undefined ? ` over ${formatCount(evidence.tenants)} tenants` : ""}`),
    });
  return (
    <>
      <p className="border-b border-border px-4 py-2 text-xs text-muted">
        Read over <span className="num">{evidenceWindowText(evidence)}</span>
      </p>
      {items.length ? <Facts items={items} /> : <p className="px-4 py-3 text-[13px] text-muted">No figures recorded.</p>}
    </>
  );
}
