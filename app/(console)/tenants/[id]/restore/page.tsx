import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RestoreDryRunForm } from "@/components/backups/backup-forms";
import { StrategyComparison } from "@/components/backups/backup-views";
import { EmptyState } from "@/components/ui/empty-state";
import { countOf, formatDateTime, formatDuration } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePagePermission } from "@/lib/auth/session";
import { backupsHolding, strategyLabels, strategyTimings } from "@/lib/backup/queries";
import { pointInTimeEnabled } from "@/lib/backup/settings";
import { getTenantSummary } from "@/lib/catalog/tenants";
import { getDb } from "@/lib/db/client";
import { firstValues } from "@/lib/validation/search-params";
import { restoreTenantAction } from "../../../backups/actions";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Restore tenant" };

export default async function RestoreTenantPage({ params, searchParams }: Props) {
  await requirePagePermission("tenants.restore");
  const { id } = await params;
  const db = getDb();
  const tenant = await getTenantSummary(db, { id });
  if (!tenant) notFound();
  const { backup } = firstValues(await searchParams, ["backup"]);
  const [held, timings] = await Promise.all([backupsHolding(db, tenant.id), strategyTimings(db)]);
  const readSpeed = new Map(timings.map((t) => [t.strategy, t.restoreReadItemsPerSec]));
  const choices = held.map(({ backup: b, items }) => {
    const perSec = readSpeed.get(b.strategy);
    return {
      id: b.id,
      label: `${formatDateTime(b.startedAt)}, ${b.storageInstanceId}`,
      detail: `${strategyLabels[b.strategy]}; ${countOf(items, "item")} of ${tenant.id}${perSec ? `; reading them: about ${formatDuration(((b.strategy === "whole_table" ? b.items : items) / perSec) * 1000)} at this fleet's measured speed` : ""}`,
    };
  });
  const pointInTime = pointInTimeEnabled();
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link href="/tenants" className="hover:underline">
              Tenants
            </Link>{" "}
            /{" "}
            <Link href={`/tenants/${tenant.id}`} className="hover:underline">
              <span dir="auto">{tenant.name}</span>
            </Link>
          </>
        }
        title="Restore tenant"
        description={`Puts ${tenant.id}'s items back as a backup holds them. First a dry run lists what would be added, changed and removed, and says whether the restore can be staged (written to a new placement while ${tenant.id} keeps working, its writes meanwhile kept, writes frozen only for the switch) or only made in place in ${tenant.storageInstanceId ?? "its placement"} (writes frozen for the whole replace); the restore follows from the dry run's page. No other tenant's items are read into the result, written or deleted.`}
      />
      <div className="grid gap-4">
        {tenant.status !== "active" ? (
          <p role="alert" className="rounded-lg border border-border bg-warning-soft px-4 py-3 text-warning">
            {tenant.id} is {tenant.status}; only an active tenant can be restored.
          </p>
        ) : (
          <Panel title="Restore from">
            {choices.length === 0 && !pointInTime ? (
              <EmptyState title="No backup holds this tenant">
                Back up its storage instance on the{" "}
                <Link href={`/backups?instance=${tenant.storageInstanceId ?? ""}`} className="text-accent hover:underline">
                  Backups
                </Link>{" "}
                page first.
              </EmptyState>
            ) : (
              <RestoreDryRunForm
                tenantId={tenant.id}
                backups={choices}
                initialBackup={backup ?? null}
                pointInTime={pointInTime}
                action={restoreTenantAction}
              />
            )}
          </Panel>
        )}
        <Panel title="Strategies, measured on this fleet">
          <StrategyComparison timings={timings} />
        </Panel>
      </div>
    </>
  );
}
