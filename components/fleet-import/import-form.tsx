"use client";

import Link from "next/link";
import { useId, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badges";
import { DataTable, type Column } from "@/components/ui/data-table";
import { countOf, formatInteger } from "@/components/ui/format";
import { ErrorNotice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import type { ActionResult } from "@/lib/auth/action";
import type { ImportProblem } from "@/lib/fleet-import/file-format";
import type { PlanRow, RowAction } from "@/lib/fleet-import/plan";
import type { AppliedView, DryRunView } from "@/lib/fleet-import/requests";

type DryRunAction = (input: { file: string }) => Promise<ActionResult<DryRunView>>;
type ApplyAction = (input: { file: string; fingerprint: string }) => Promise<ActionResult<AppliedView>>;

/** Rows the page lists at most (conflicts first); the counts cover every row, the CLI prints them all. */
const shownRows = 500;
const shownLinks = 100;

const actionTone: Record<RowAction, "success" | "neutral" | "danger"> = { create: "success", unchanged: "neutral", conflict: "danger" };
const actionLabel: Record<RowAction, string> = { create: "create", unchanged: "unchanged", conflict: "conflict" };

const planColumns: Column<PlanRow>[] = [
  { key: "line", header: "Line", numeric: true, cell: (row) => row.line },
  {
    key: "id",
    header: "Row",
    rowHeader: true,
    cell: (row) => (
      <span className="whitespace-nowrap">
        <span className="text-muted">{row.kind === "instance" ? "Instance" : "Tenant"} </span>
        <span className="font-mono">{row.id}</span>
      </span>
    ),
  },
  { key: "action", header: "Outcome", cell: (row) => <Badge tone={actionTone[row.action]}>{actionLabel[row.action]}</Badge> },
  { key: "summary", header: "Declared", cell: (row) => <span className="text-muted">{row.summary}</span>, className: "min-w-56" },
  {
    key: "why",
    header: "Why / notes",
    className: "min-w-64",
    cell: (row) =>
      row.reasons.length || row.notes.length ? (
        <ul className="grid gap-0.5">
          {row.reasons.map((reason) => (
            <li key={reason} className="text-danger">
              {reason}
            </li>
          ))}
          {row.notes.map((note) => (
            <li key={note} className="text-muted">
              {note}
            </li>
          ))}
        </ul>
      ) : null,
  },
];

const problemColumns: Column<ImportProblem & { key: string }>[] = [
  { key: "line", header: "Line", numeric: true, cell: (p) => (p.line === null ? "file" : p.line) },
  { key: "field", header: "Field", cell: (p) => <span className="font-mono">{p.field ?? "(row)"}</span> },
  { key: "message", header: "Problem", rowHeader: true, cell: (p) => p.message, className: "min-w-64" },
];

function Counts({ view }: { view: Extract<DryRunView, { ok: true }> }) {
  const line = (label: string, counts: { create: number; unchanged: number; conflict: number }) => (
    <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
      <dt className="w-36 text-muted">{label}</dt>
      <dd className="flex flex-wrap gap-2">
        <Badge tone="success">{formatInteger(counts.create)} to create</Badge>
        <Badge>{formatInteger(counts.unchanged)} unchanged</Badge>
        <Badge tone={counts.conflict ? "danger" : "neutral"}>{formatInteger(counts.conflict)} in conflict</Badge>
      </dd>
    </div>
  );
  return (
    <dl className="grid gap-2 px-4 py-3" aria-label="Dry run counts">
      {line("Storage instances", view.instances)}
      {line("Tenants", view.tenants)}
    </dl>
  );
}

/**
 * The import page's form: paste or choose a file, see the dry run, confirm.
 * The server plans again when confirmed and applies only the plan shown here.
 */
export function ImportForm({ dryRunAction, applyAction }: { dryRunAction: DryRunAction; applyAction: ApplyAction }) {
  const fileId = useId();
  const textId = useId();
  const confirmId = useId();
  const [text, setText] = useState("");
  const [planned, setPlanned] = useState<{ text: string; view: DryRunView } | null>(null);
  const [asking, setAsking] = useState(false);
  const [applied, setApplied] = useState<{ view: AppliedView; message?: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const view = planned && planned.text === text ? planned.view : null;
  const conflicts = view?.ok ? view.instances.conflict + view.tenants.conflict : 0;

  const dryRun = () =>
    startTransition(async () => {
      setError(null);
      setApplied(null);
      setAsking(false);
      const result = await dryRunAction({ file: text });
      if (result.ok) setPlanned({ text, view: result.data });
      else {
        setPlanned(null);
        setError(result.fieldErrors?.file?.join(" ") ?? result.error);
      }
    });

  const apply = () =>
    startTransition(async () => {
      if (!view?.ok) return;
      setError(null);
      const result = await applyAction({ file: text, fingerprint: view.fingerprint });
      setAsking(false);
      if (result.ok) {
        setApplied({ view: result.data, message: result.message });
        setPlanned(null);
      } else setError(result.error);
    });

  const rows = view?.ok
    ? [...view.rows.filter((r) => r.action === "conflict"), ...view.rows.filter((r) => r.action !== "conflict")].slice(0, shownRows)
    : [];

  return (
    <div className="grid gap-4">
      <Panel title="Import file">
        <div className="grid gap-3 p-4">
          <div className="grid gap-1">
            <label htmlFor={fileId} className="text-[13px] font-medium">
              Choose a file
            </label>
            <input
              id={fileId}
              type="file"
              accept=".json,.csv,application/json,text/csv"
              className="max-w-full text-[13px]"
              onChange={async (event) => {
                const chosen = event.target.files?.[0];
                if (chosen) setText(await chosen.text());
              }}
            />
          </div>
          <div className="grid gap-1">
            <label htmlFor={textId} className="text-[13px] font-medium">
              Or paste it (JSON or CSV)
            </label>
            <textarea
              id={textId}
              value={text}
              onChange={(event) => setText(event.target.value)}
              rows={10}
              spellCheck={false}
              aria-describedby={`${textId}-hint`}
              className="w-full rounded-md border border-border bg-surface px-2.5 py-2 font-mono text-xs outline-none focus-visible:ring-2 focus-visible:ring-accent"
            />
            <p id={`${textId}-hint`} className="text-xs text-muted">
              Storage instances (id, tableName, region, mode, keyScheme) and tenants (id, name, tier, deploymentModel, planId,
              storageInstanceId, bridgeEntity, bridgeInstanceId, contactEmail). The format, with examples, is in docs/fleet-import.md.
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="button"
              onClick={dryRun}
              disabled={pending || text.trim() === ""}
              className="rounded-md bg-accent px-3 py-1.5 text-[13px] font-medium text-accent-fg disabled:opacity-60"
            >
              {pending && !asking ? "Checking…" : "Dry run"}
            </button>
            {planned && planned.text !== text ? <span className="text-xs text-muted">The file changed: run the dry run again.</span> : null}
          </div>
          <p role="status" aria-live="polite" className="text-[13px] text-danger">
            {error ?? ""}
          </p>
        </div>
      </Panel>

      {view && !view.ok ? (
        <Panel title={`Problems in the file (${view.format.toUpperCase()})`}>
          <div className="px-4 pt-3">
            <ErrorNotice
              title="Nothing can be imported until every row is right"
              messages={[`${countOf(view.problems.length, "problem")}; fix them and run the dry run again.`]}
            />
          </div>
          <DataTable
            label="Problems in the import file"
            columns={problemColumns}
            rows={view.problems.map((p, i) => ({ ...p, key: String(i) }))}
            rowKey={(p) => p.key}
            empty={{ title: "No problems" }}
          />
        </Panel>
      ) : null}

      {view?.ok ? (
        <Panel title="Dry run" actions={<span className="text-xs text-muted">nothing has changed yet</span>}>
          <Counts view={view} />
          <div className="grid gap-2 border-t border-border px-4 py-3">
            {conflicts ? (
              <p className="text-[13px] text-danger">
                {countOf(conflicts, "row")} in conflict: nothing will be imported until the file or the catalog is changed.
              </p>
            ) : asking ? (
              <div role="group" aria-labelledby={confirmId} className="grid max-w-xl gap-2">
                <p id={confirmId} className="text-[13px]">
                  This creates {countOf(view.instances.create, "storage instance")} and {countOf(view.tenants.create, "tenant")} in the
                  catalog (active), audited, then publishes the routing records of the file&apos;s{" "}
                  {countOf(view.tenants.create + view.tenants.unchanged, "tenant")}. Tenant items are not touched.
                </p>
                <div className="flex flex-wrap gap-2">
                  <button
                    type="button"
                    onClick={apply}
                    disabled={pending}
                    className="rounded-md bg-accent px-3 py-1.5 text-[13px] font-medium text-accent-fg disabled:opacity-60"
                  >
                    {pending ? "Importing…" : "Confirm import"}
                  </button>
                  <button
                    type="button"
                    onClick={() => setAsking(false)}
                    disabled={pending}
                    className="rounded-md border border-border px-3 py-1.5 text-[13px] hover:bg-surface-2"
                  >
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <div>
                <button
                  type="button"
                  onClick={() => setAsking(true)}
                  className="rounded-md border border-border px-3 py-1.5 text-[13px] font-medium text-accent hover:bg-surface-2"
                >
                  {view.instances.create + view.tenants.create ? "Import…" : "Import (nothing new: republish routing)…"}
                </button>
              </div>
            )}
          </div>
          <DataTable
            label="Import plan"
            columns={planColumns}
            rows={rows}
            rowKey={(row) => `${row.kind}:${row.id}:${row.line}`}
            empty={{ title: "The file declares nothing" }}
          />
          {view.rows.length > rows.length ? (
            <p className="border-t border-border px-4 py-2 text-xs text-muted">
              Showing {formatInteger(rows.length)} of {formatInteger(view.rows.length)} rows (conflicts first); npm run fleet:import prints
              every row.
            </p>
          ) : null}
        </Panel>
      ) : null}

      {applied ? (
        <Panel title="Imported">
          <div className="grid gap-3 p-4">
            <p role="status" className="text-[13px]">
              {applied.message}
            </p>
            <nav aria-label="Imported tenants">
              <ul className="flex flex-wrap gap-x-3 gap-y-1">
                {applied.view.tenantIds.slice(0, shownLinks).map((id) => (
                  <li key={id}>
                    <Link href={`/tenants/${id}`} className="font-mono text-accent hover:underline">
                      {id}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            {applied.view.tenantIds.length > shownLinks ? (
              <p className="text-xs text-muted">
                and {formatInteger(applied.view.tenantIds.length - shownLinks)} more: see{" "}
                <Link href="/tenants" className="text-accent hover:underline">
                  Tenants
                </Link>
                .
              </p>
            ) : null}
          </div>
        </Panel>
      ) : null}
    </div>
  );
}
