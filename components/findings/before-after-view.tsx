// The hour before an operation finished against the hour after, for the other
// tenants of the finding's instance: refusals for capacity and p99 latency,
// in total and per co-tenant; and the operations a finding's page can compare.
import Link from "next/link";
import { Badge } from "@/components/ui/badges";
import { DataTable, RowLink, type Column } from "@/components/ui/data-table";
import {
  countOf,
  formatCount,
  formatDateTime,
  formatDuration,
  formatMs,
  formatPercent,
  formatSpan,
  formatUsd,
} from "@/components/ui/format";
import type { BeforeAfterRead, Change, TenantWindow } from "@/lib/fleet-watch/before-after";
import type { OperationMark } from "@/lib/fleet-watch/queries";
import { OperationStatusBadge } from "@/components/ui/badges";

const changeText: Record<Change, { text: string; tone: "success" | "danger" | "neutral" }> = {
  better: { text: "better", tone: "success" },
  worse: { text: "worse", tone: "danger" },
  unchanged: { text: "no clear change", tone: "neutral" },
  unknown: { text: "not enough data", tone: "neutral" },
};

function Figure({ title, before, after, change, note }: { title: string; before: string; after: string; change: Change; note: string }) {
  return (
    <div className="rounded-md border border-border px-3 py-2.5">
      <p className="text-xs text-muted">{title}</p>
      <p className="num mt-0.5 text-lg font-semibold">
        {before} <span aria-hidden>→</span>
        <span className="sr-only">before, and after:</span> {after}
      </p>
      <p className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-muted">
        <Badge tone={changeText[change].tone}>{changeText[change].text}</Badge>
        {note}
      </p>
    </div>
  );
}

const ratio = (w: TenantWindow) => (w.throttleRatio === null ? "—" : formatPercent(w.throttleRatio, 1));

function coTenantColumns(tenantNames: Record<string, string>): Column<BeforeAfterRead["comparison"]["coTenants"][number]>[] {
  return [
    {
      key: "tenant",
      header: "Co-tenant",
      rowHeader: true,
      cell: (c) => (
        <RowLink href={`/tenants/${c.tenantId}`} dir="auto">
          {tenantNames[c.tenantId] ?? c.tenantId}
        </RowLink>
      ),
    },
    { key: "refusedBefore", header: "Refused before", numeric: true, cell: (c) => ratio(c.before) },
    { key: "refusedAfter", header: "Refused after", numeric: true, cell: (c) => ratio(c.after) },
    { key: "p99Before", header: "Worst p99 before", numeric: true, cell: (c) => formatMs(c.before.p99Worst) },
    { key: "p99After", header: "Worst p99 after", numeric: true, cell: (c) => formatMs(c.after.p99Worst) },
  ];
}

export function BeforeAfterView({
  read,
  operation,
  tenantNames,
}: {
  read: BeforeAfterRead;
  operation: OperationMark;
  tenantNames: Record<string, string>;
}) {
  const { comparison: c } = read;
  const windowMinutes = (periods: number) => formatDuration(periods * c.periodSeconds * 1000);
  return (
    <div className="space-y-3 px-4 py-3">
      <p className="text-[13px]">
        <Link href={`/operations/${operation.id}`} className="text-accent underline underline-offset-2">
          {operation.label}
        </Link>{" "}
        finished <span className="num">{formatDateTime(c.finishedAtMs)}</span>. The other tenants of{" "}
        <span className="font-mono text-xs">{read.storageInstanceId}</span> in the hour before (
        <span className="num">{formatSpan(c.before.startMs, c.before.endMs)}</span>) and after (
        <span className="num">{formatSpan(c.after.startMs, c.after.endMs)}</span>
        {c.afterComplete ? null : <>, so far</>}).
      </p>
      {read.comparison.coTenants.length === 0 ? (
        <p className="text-[13px] text-muted">No other tenant is placed on {read.storageInstanceId} now: there is no one to compare.</p>
      ) : (
        <>
          <div className="grid gap-3 sm:grid-cols-2">
            <Figure
              title="Co-tenants' requests refused for capacity"
              before={c.before.throttleRatio === null ? "—" : formatPercent(c.before.throttleRatio, 1)}
              after={c.after.throttleRatio === null ? "—" : formatPercent(c.after.throttleRatio, 1)}
              change={c.refusals}
              note={`${formatCount(c.before.capacityThrottled, "req")} → ${formatCount(c.after.capacityThrottled, "req")}`}
            />
            <Figure
              title="Co-tenants' p99 latency (typical minute's worst)"
              before={formatMs(c.before.p99Typical)}
              after={formatMs(c.after.p99Typical)}
              change={c.latency}
              note={`worst ${formatMs(c.before.p99Worst)} → ${formatMs(c.after.p99Worst)}`}
            />
          </div>
          {c.afterComplete ? null : (
            <p className="text-xs text-muted">
              The hour after has not passed yet: {windowMinutes(c.after.periods)} of it so far. Reload later for the whole hour.
            </p>
          )}
          <details>
            <summary className="cursor-pointer text-[13px] text-accent">Per co-tenant ({formatCount(c.coTenants.length)})</summary>
            <div className="mt-2">
              <DataTable
                label="Co-tenants before and after"
                flush
                columns={coTenantColumns(tenantNames)}
                rows={c.coTenants}
                rowKey={(row) => row.tenantId}
                empty={{ title: "No co-tenant" }}
              />
            </div>
          </details>
        </>
      )}
      <p className="num text-xs text-muted">
        Read from CloudWatch on this page load:{" "}
        {read.cost.metricsRequested === 0
          ? "from the console's cache"
          : `${countOf(read.cost.metricsRequested, "metric")} in ${countOf(read.cost.calls, "call")} (≈ ${formatUsd(read.cost.metricsRequested * 0.00001)})`}
        {read.coTenantCount > read.comparison.coTenants.length
          ? ` · the ${formatCount(read.comparison.coTenants.length)} of ${formatCount(read.coTenantCount)} co-tenants it hurt most or first by id`
          : null}
        {` · ${c.periodSeconds / 60}-minute periods`}
      </p>
    </div>
  );
}

/** The operations on a finding's tenant or instance since it began, each a link, and the one compared marked. */
export function FindingOperations({
  operations,
  comparedId,
  compareHref,
  comparable,
}: {
  operations: readonly OperationMark[];
  comparedId: string | null;
  compareHref: (operationId: string) => string;
  comparable: (operation: OperationMark) => boolean;
}) {
  if (operations.length === 0)
    return (
      <p className="px-4 py-3 text-[13px] text-muted">
        No migration, plan change or restore of its tenant or on its instance since it began.
      </p>
    );
  return (
    <ul className="divide-y divide-border" aria-label="Operations since it began">
      {operations.map((operation) => (
        <li key={operation.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-[13px]">
          <Link href={`/operations/${operation.id}`} className="text-accent hover:underline">
            {operation.label}
          </Link>
          <OperationStatusBadge status={operation.status} />
          <span className="num text-xs text-muted">
            {operation.finishedAtMs !== null && operation.startedAtMs !== null
              ? formatSpan(operation.startedAtMs, operation.finishedAtMs)
              : operation.startedAtMs !== null
                ? `since ${formatDateTime(operation.startedAtMs)}`
                : null}
          </span>
          {operation.id === comparedId ? (
            <span className="ml-auto text-xs font-medium">compared above</span>
          ) : comparable(operation) ? (
            <Link href={compareHref(operation.id)} scroll={false} className="ml-auto text-xs text-accent hover:underline">
              Compare before and after
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
