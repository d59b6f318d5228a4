import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OperationLive } from "@/components/operations/operation-live";
import { formatDateTime, formatDuration } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { operationIdPattern } from "@/lib/operations/ids";
import { kindLabels } from "@/lib/operations/labels";
import { getOperationView } from "@/lib/operations/views";
import { FollowUpButton } from "@/components/operations/migration-follow-ups";
import { migrationState, type MigrationState } from "@/lib/migration/state";
import { findOutput } from "@/lib/operations/definition";
import { moveOutputs } from "@/lib/migration/moving";
import { RestorePanel } from "@/components/backups/restore-panel";
import { restoreParameters } from "@/lib/backup/restore-operation";
import { restoreResult } from "@/lib/backup/queries";
import { restoreTenantAction } from "../../backups/actions";
import { mayActOn } from "@/lib/operations/request-permissions";
import { OffboardingPanel } from "@/components/operations/offboarding-panel";
import { offboardingPhaseOfView } from "@/lib/lifecycle/lifecycle-view";
import { cancelOperationAction, cleanupMigrationAction, retryOperationAction, rollbackMigrationAction } from "../actions";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: operationIdPattern.test(id) ? `Operation ${id}` : "Unknown operation" };
}

function ParameterValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-muted">—</span>;
  return (
    <span dir="auto" className="break-all font-mono text-xs">
      {typeof value === "string" ? value : JSON.stringify(value)}
    </span>
  );
}

function MigrationPanel({ state, freezeMs, canMigrate }: { state: MigrationState; freezeMs: number | null; canMigrate: boolean }) {
  return (
    <Panel title="Migration">
      <Facts
        items={[
          {
            label: "Moved",
            value: (
              <span className="font-mono text-xs">
                {state.sourceInstanceId} → {state.targetInstanceId}
              </span>
            ),
          },
          { label: "Write freeze", value: <span className="num">{formatDuration(freezeMs)}</span> },
          { label: "Cut over", value: <span className="num">{formatDateTime(state.switchedAt)}</span> },
          {
            label: "Source copy",
            value: state.supersededBy ? (
              <span className="text-xs">replaced by {state.supersededBy}</span>
            ) : (
              <span className="num">
                {state.windowOpen
                  ? `kept until ${formatDateTime(state.retainedUntil)}`
                  : `window ended ${formatDateTime(state.retainedUntil)}; clean-up due`}
              </span>
            ),
          },
        ]}
      />
      {canMigrate && (state.rollback.possible || state.cleanup.possible) ? (
        <div className="space-y-3 border-t border-border px-4 py-3">
          {state.rollback.possible ? (
            <FollowUpButton
              migrationId={state.migrationId}
              action={rollbackMigrationAction}
              label="Roll back"
              description={state.rollback.reason}
            />
          ) : null}
          {state.cleanup.possible ? (
            <FollowUpButton
              migrationId={state.migrationId}
              action={cleanupMigrationAction}
              label="Delete the source copy"
              description={state.cleanup.reason}
            />
          ) : null}
        </div>
      ) : null}
    </Panel>
  );
}

export default async function OperationPage({ params }: Props) {
  const user = await requirePagePermission("operations.read");
  const { id } = await params;
  const view = operationIdPattern.test(id) ? await getOperationView(getDb(), id) : null;
  if (!view) notFound();
  const migration = view.kind === "migrate" && view.status === "succeeded" ? await migrationState(getDb(), view.id) : null;
  const freezeMs = findOutput(view.steps, moveOutputs.cutOver)?.freezeMs ?? null;
  const restore = view.kind === "restore" ? restoreParameters.safeParse(view.parameters) : null;
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/operations" className="hover:underline">
            Operations
          </Link>
        }
        title={`${kindLabels[view.kind]}${view.tenantId ? ` of ${view.tenantId}` : ""}`}
        description={<span className="font-mono text-xs">{view.id}</span>}
      />
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <OperationLive
          initial={view}
          canManage={mayActOn(user.role, view.kind)}
          cancelAction={cancelOperationAction}
          retryAction={retryOperationAction}
        />
        <div className="grid content-start gap-4">
          {restore?.success ? (
            <RestorePanel
              operationId={view.id}
              status={view.status}
              parameters={restore.data}
              result={restoreResult(view.steps)}
              canRestore={can(user.role, "tenants.restore")}
              action={restoreTenantAction}
            />
          ) : null}
          {view.kind === "offboard" ? (
            <OffboardingPanel view={view} phase={offboardingPhaseOfView(view)} canDownload={can(user.role, "tenants.downloadExport")} />
          ) : null}
          {view.kind === "backup" && view.status !== "queued" ? (
            <Panel title="Backup">
              <p className="px-4 py-3 text-[13px]">
                <Link href={`/backups/${view.id}`} className="text-accent underline">
                  The backup&apos;s page
                </Link>{" "}
                lists the tenants it holds.
              </p>
            </Panel>
          ) : null}
          {migration ? <MigrationPanel state={migration} freezeMs={freezeMs} canMigrate={can(user.role, "tenants.migrate")} /> : null}
          <Panel title="Request">
            <Facts
              items={[
                {
                  label: "Tenant",
                  value: view.tenantId ? (
                    <Link href={`/tenants/${view.tenantId}`} className="font-mono text-xs text-accent hover:underline">
                      {view.tenantId}
                    </Link>
                  ) : (
                    "—"
                  ),
                },
                { label: "Requested by", value: view.requestedBy },
                { label: "Queued", value: <span className="num">{formatDateTime(new Date(view.createdAt))}</span> },
                { label: "Started", value: <span className="num">{view.startedAt ? formatDateTime(new Date(view.startedAt)) : "—"}</span> },
                {
                  label: "Finished",
                  value: <span className="num">{view.finishedAt ? formatDateTime(new Date(view.finishedAt)) : "—"}</span>,
                },
                { label: "Attempts", value: <span className="num">{view.attempts}</span> },
                { label: "Worker", value: <span className="font-mono text-xs">{view.leaseOwner ?? "—"}</span> },
              ]}
            />
          </Panel>
          <Panel title="Parameters">
            <Facts
              items={Object.entries(view.parameters).map(([key, value]) => ({ label: key, value: <ParameterValue value={value} /> }))}
            />
          </Panel>
        </div>
      </div>
    </>
  );
}
