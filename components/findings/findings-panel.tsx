// A tenant's or a storage instance's findings on its own page: the open ones
// first and in full, the open ones it suffers from as a co-tenant (a tenant's
// page), and the last month's resolved ones folded away below.
import Link from "next/link";
import { formatInteger } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { historyDays, type ScopedFindings } from "@/lib/fleet-watch/queries";
import { Ago, FindingSubject, SeverityBadge, kindLabel } from "./finding-labels";
import { FindingsTable } from "./findings-table";

export function FindingsPanel({ findings, scope, id }: { findings: ScopedFindings; scope: "tenant" | "instance"; id: string }) {
  const { open, recent, victimOf, readAtMs } = findings;
  const all = `/findings?${scope}=${encodeURIComponent(id)}`;
  const title = open.length ? `Findings: ${formatInteger(open.length)} open` : "Findings";
  return (
    <Panel
      title={title}
      actions={
        <Link href={all} className="text-xs text-accent hover:underline">
          All findings of this {scope === "tenant" ? "tenant" : "instance"}
        </Link>
      }
    >
      {open.length ? (
        <FindingsTable
          label={`Open findings of ${id}`}
          rows={open}
          nowMs={readAtMs}
          subject={scope === "tenant" ? "instance" : "tenant"}
          empty={{ title: "No open finding" }}
        />
      ) : (
        <p className="px-4 py-2.5 text-[13px]">No open finding for this {scope === "tenant" ? "tenant" : "instance"}.</p>
      )}
      {victimOf.length ? (
        <section aria-label="Hurt by" className="border-t border-border px-4 py-2.5">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">Hurt by</h3>
          <ul className="mt-1 space-y-1 text-[13px]">
            {victimOf.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
                <SeverityBadge severity={f.severity} />
                <Link href={`/findings/${f.id}`} className="text-accent hover:underline">
                  {kindLabel(f.kind)}
                </Link>
                <FindingSubject finding={f} />
                <span className="text-xs text-muted">
                  since <Ago at={f.sinceAt} nowMs={readAtMs} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {recent.length ? (
        <details className="border-t border-border">
          <summary className="cursor-pointer px-4 py-2 text-[13px] text-accent">
            Resolved in the last {historyDays} days ({recent.length})
          </summary>
          <FindingsTable
            label={`Findings of ${id} resolved in the last ${historyDays} days`}
            rows={recent}
            nowMs={readAtMs}
            subject={scope === "tenant" ? "instance" : "tenant"}
            empty={{ title: "None resolved recently" }}
          />
        </details>
      ) : (
        <p className="border-t border-border px-4 py-2 text-xs text-muted">None resolved in the last {historyDays} days.</p>
      )}
    </Panel>
  );
}
