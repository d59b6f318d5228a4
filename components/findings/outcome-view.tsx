// Whether the operation meant to fix a finding did what was predicted: as the
// watcher measured it (FindingOutcome), predicted against measured.
import Link from "next/link";
import { Badge } from "@/components/ui/badges";
import { formatDateTime, formatPercent } from "@/components/ui/format";
import { kindLabels } from "@/lib/operations/labels";
import type { FindingOutcome } from "@/lib/fleet-watch/shapes";

function Row({
  label,
  figures,
  format,
}: {
  label: string;
  figures: [before: number, predicted: number, after: number];
  format: (v: number) => string;
}) {
  return (
    <tr>
      <th scope="row" className="px-4 py-1.5 text-left font-normal text-muted">
        {label}
      </th>
      {figures.map((value, i) => (
        <td key={i} className="num px-3 py-1.5 text-right last:pr-4">
          {format(value)}
        </td>
      ))}
    </tr>
  );
}

export function OutcomeView({ outcome }: { outcome: FindingOutcome }) {
  const kind = outcome.operationKind in kindLabels ? kindLabels[outcome.operationKind as keyof typeof kindLabels] : outcome.operationKind;
  return (
    <div>
      <p className="flex flex-wrap items-center gap-2 px-4 py-2.5">
        <Badge tone={outcome.cameTrue ? "success" : "warning"}>{outcome.cameTrue ? "Came true" : "Did not come true"}</Badge>
        <span className="text-[13px]">
          <Link href={`/operations/${outcome.operationId}`} className="text-accent underline underline-offset-2">
            {kind}
          </Link>{" "}
          finished <span className="num">{formatDateTime(outcome.finishedAtMs)}</span>
        </span>
      </p>
      <p className="px-4 pb-2 text-[13px]" dir="auto">
        {outcome.detail}
      </p>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-[13px]" aria-label="Predicted and measured effect">
          <thead className="border-y border-border bg-surface-2 text-xs text-muted">
            <tr>
              <th scope="col" className="px-4 py-1.5 text-left font-medium">
                The hour …
              </th>
              <th scope="col" className="px-3 py-1.5 text-right font-medium">
                before
              </th>
              <th scope="col" className="px-3 py-1.5 text-right font-medium">
                after, predicted
              </th>
              <th scope="col" className="px-3 py-1.5 pr-4 text-right font-medium">
                after, measured
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            <Row
              label="Co-tenants refused for capacity"
              figures={[outcome.before.coTenantThrottleRatio, outcome.predicted.coTenantThrottleRatio, outcome.after.coTenantThrottleRatio]}
              format={(v) => formatPercent(v, 1)}
            />
            <Row
              label="Peak utilisation"
              figures={[outcome.before.peakUtilisation, outcome.predicted.peakUtilisation, outcome.after.peakUtilisation]}
              format={(v) => formatPercent(v)}
            />
          </tbody>
        </table>
      </div>
    </div>
  );
}
