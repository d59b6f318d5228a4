import Link from "next/link";
import { RestoreFollowUp } from "@/components/backups/backup-forms";
import { countOf, formatDuration, formatInteger } from "@/components/ui/format";
import { Facts, Panel } from "@/components/ui/panel";
import type { QueueAction } from "@/components/forms/fields";
import type { RestoreParameters } from "@/lib/backup/restore-operation";
import type { RestoreResult } from "@/lib/backup/queries";
import { describeKey } from "@/lib/storage/tenant-partitions";

const kinds = [
  { key: "add", label: "To add", hint: "in the source, missing now" },
  { key: "change", label: "To change", hint: "content differs" },
  { key: "remove", label: "To remove", hint: "not in the source" },
] as const;

const modeLabels: Record<RestoreParameters["mode"], string> = {
  dry_run: "dry run (changes nothing)",
  in_place: "in place",
  staged: "staged into a new placement",
  side_table: "to a side table",
};

/** A restore's result: what the comparison found (per key), and for a succeeded dry run the restore buttons. */
export function RestorePanel({
  operationId,
  status,
  parameters,
  result,
  canRestore,
  action,
}: {
  operationId: string;
  status: string;
  parameters: RestoreParameters;
  result: RestoreResult;
  canRestore: boolean;
  action: QueueAction;
}) {
  const { compare, unfreeze, sideTable: side, staging } = result;
  const source = parameters.source.kind === "backup" ? { backupId: parameters.source.backupId } : { pointInTime: parameters.source.at };
  return (
    <Panel title={parameters.mode === "dry_run" ? "Dry run: what a restore would change" : "Restore"}>
      <Facts
        items={[
          {
            label: "Source",
            value:
              parameters.source.kind === "backup" ? (
                <Link href={`/backups/${parameters.source.backupId}`} className="font-mono text-xs text-accent hover:underline">
                  backup {parameters.source.backupId}
                </Link>
              ) : (
                <span className="num">point in time {parameters.source.at}</span>
              ),
          },
          { label: "Mode", value: modeLabels[parameters.mode] },
          ...(staging && parameters.mode !== "in_place" && parameters.mode !== "side_table"
            ? [
                {
                  label: parameters.mode === "dry_run" ? "Restore path" : "Staged",
                  value: staging.into ? (
                    <span>{staging.reason}</span>
                  ) : (
                    <span>in place only (writes frozen for the whole replace): {staging.reason}</span>
                  ),
                },
              ]
            : []),
          ...(compare ? [{ label: "Unchanged", value: <span className="num">{countOf(compare.unchanged, "item")}</span> }] : []),
          ...(unfreeze?.frozenMs != null
            ? [{ label: "Write freeze", value: <span className="num">{formatDuration(unfreeze.frozenMs)}</span> }]
            : []),
          ...(side
            ? [
                {
                  label: "Side table",
                  value: (
                    <span className="font-mono text-xs">
                      {side.sideTable} ({side.region})
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      {compare ? (
        <div className="grid gap-3 border-t border-border px-4 py-3 sm:grid-cols-3">
          {kinds.map(({ key, label, hint }) => {
            const count = compare[key];
            const shown = compare.samples[key];
            return (
              <section key={key} aria-label={`${label}: ${count}`}>
                <h3 className="text-[13px] font-semibold">
                  {label} <span className="num">{formatInteger(count)}</span>
                </h3>
                <p className="text-xs text-muted">{hint}</p>
                {shown.length ? (
                  <ul className="mt-1 max-h-48 overflow-y-auto font-mono text-xs">
                    {shown.map((k) => (
                      // The tenant's key prefix is the same on every line: shown once in the title, the entity and id in full.
                      <li key={k} className="truncate" title={describeKey(k)}>
                        {describeKey(k).replace(/^[^#]*#/, "")}
                      </li>
                    ))}
                    {count > shown.length ? <li className="text-muted">and {formatInteger(count - shown.length)} more</li> : null}
                  </ul>
                ) : null}
              </section>
            );
          })}
        </div>
      ) : null}
      {compare && parameters.mode === "dry_run" && compare.add + compare.change + compare.remove === 0 ? (
        <p className="border-t border-border px-4 py-3 text-[13px] text-muted">
          The tenant&apos;s items equal the source now: a restore in place would change nothing.
        </p>
      ) : null}
      {parameters.mode === "dry_run" && status === "succeeded" && canRestore ? (
        <div className="border-t border-border">
          <RestoreFollowUp
            tenantId={parameters.tenantId}
            source={source}
            dryRunId={operationId}
            stagedInto={staging?.into?.storageInstanceId ?? null}
            action={action}
          />
        </div>
      ) : null}
    </Panel>
  );
}
