import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { BeforeAfterView, FindingOperations } from "@/components/findings/before-after-view";
import { EvidenceFacts } from "@/components/findings/finding-evidence";
import { FindingTimeline, NotificationsTable } from "@/components/findings/finding-history";
import { Ago, FindingDuration, FindingSeverity, FindingStatusBadge, FindingSubject, kindLabel } from "@/components/findings/finding-labels";
import { OutcomeView } from "@/components/findings/outcome-view";
import { RecommendationView } from "@/components/findings/recommendation-view";
import { VictimsTable } from "@/components/findings/victims-table";
import { Badge } from "@/components/ui/badges";
import { formatDateTime, formatInteger } from "@/components/ui/format";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { settleView } from "@/lib/dashboards/view-result";
import { readBeforeAfter } from "@/lib/fleet-watch/before-after";
import { findingDetail, remediatingKinds, type FindingDetail, type OperationMark } from "@/lib/fleet-watch/queries";
import { metricsReader } from "@/lib/metrics/source";
import { operationIdPattern } from "@/lib/operations/ids";
import { ProposalPanel } from "@/components/findings/proposal-panel";
import { findingNotifications } from "@/lib/fleet-watch/alerts/queries";
import { proposalViewer } from "@/lib/fleet-watch/policy";
import { loadFindingProposals } from "@/lib/fleet-watch/proposals";
import { readWatchSettings } from "@/lib/fleet-watch/settings";
import { approveProposalAction, queueProposalAction, rejectProposalAction } from "../actions";
import { clip } from "@/lib/validation/fields";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Finding ids are cuids, like operation ids: checked before any lookup, so a malformed URL is a 404 without a query. */
const findingIdPattern = operationIdPattern;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: findingIdPattern.test(id) ? `Finding ${id}` : "Unknown finding" };
}

/** The operations whose effect on the co-tenants can be compared: finished migrations, rollbacks and plan changes. */
function comparable(operation: OperationMark): boolean {
  return remediatingKinds.includes(operation.kind) && operation.status === "succeeded" && operation.finishedAtMs !== null;
}

async function BeforeAfterSection({ detail, operation }: { detail: FindingDetail; operation: OperationMark }) {
  const result = await settleView(
    readBeforeAfter(getDb(), metricsReader(), {
      storageInstanceId: detail.storageInstanceId!,
      finishedAtMs: operation.finishedAtMs!,
      excludeTenantIds: [detail.tenantId, operation.tenantId].filter((id): id is string => id !== null),
      preferTenantIds: detail.victims.map((v) => v.tenantId),
    }),
  );
  if (!result.ok)
    return (
      <div role="alert" className="m-4 rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
        <p className="font-medium">{result.dependency} unreachable: the comparison cannot be shown</p>
        <p className="break-words">{result.message}</p>
        <p className="text-fg">The rest of this page comes from the catalog and still works; reload to try again.</p>
      </div>
    );
  if (!result.view)
    return (
      <p className="px-4 py-3 text-[13px] text-muted">{detail.storageInstanceId} is no longer in service: there is nothing to compare.</p>
    );
  return <BeforeAfterView read={result.view} operation={operation} tenantNames={detail.tenantNames} />;
}

function ComparisonSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the comparison" className="grid gap-3 p-4 sm:grid-cols-2">
      <div className="skeleton h-20" />
      <div className="skeleton h-20" />
    </div>
  );
}

export default async function FindingPage({ params, searchParams }: Props) {
  const user = await requirePagePermission("tenants.read");
  const { id } = await params;
  if (!findingIdPattern.test(id)) notFound();
  const db = getDb();
  const [detail, proposals, notifications, settings] = await Promise.all([
    findingDetail(db, id),
    loadFindingProposals(db, id),
    findingNotifications(db, id),
    readWatchSettings(db),
  ]);
  if (!detail) notFound();
  const query = await searchParams;
  const requested = Array.isArray(query.operation) ? query.operation[0] : query.operation;
  const candidates = detail.operations.filter(comparable);
  const compared =
    candidates.find((o) => o.id === requested) ??
    candidates.find((o) => o.id === detail.outcome?.operationId) ??
    candidates[candidates.length - 1] ??
    null;
  const linkErrors =
    requested && compared?.id !== requested
      ? [`operation: "${clip(requested, 40)}" is not a finished migration or plan change of this finding's tenant or instance`]
      : [];
  const nowMs = detail.readAtMs;
  const title = `${kindLabel(detail.kind)}: ${detail.tenantId ? `${detail.tenantName ?? detail.tenantId} on ` : ""}${detail.storageInstanceId ?? detail.subject}`;
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/findings" className="hover:underline">
            Findings
          </Link>
        }
        title={<span dir="auto">{title}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <FindingSeverity finding={detail} />
            <FindingStatusBadge status={detail.status} />
            {detail.reopenedCount > 0 ? <Badge>re-opened {formatInteger(detail.reopenedCount)}×</Badge> : null}
            <span dir="auto">{detail.summary}</span>
          </span>
        }
      />
      <ErrorNotice title="The link's operation was ignored" messages={linkErrors} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Finding">
          <Facts
            items={[
              { label: "Subject", value: <FindingSubject finding={detail} /> },
              {
                label: "Since",
                value: (
                  <span>
                    <Ago at={detail.sinceAt} nowMs={nowMs} />
                    <span className="num block text-xs text-muted">{formatDateTime(detail.sinceAt)}</span>
                  </span>
                ),
              },
              { label: detail.resolvedAt ? "Lasted" : "Open for", value: <FindingDuration finding={detail} nowMs={nowMs} /> },
              { label: "Opened", value: <span className="num">{formatDateTime(detail.openedAt)}</span> },
              { label: "Last seen", value: <span className="num">{formatDateTime(detail.lastSeenAt)}</span> },
              ...(detail.resolvedAt
                ? [{ label: "Resolved", value: <span className="num">{formatDateTime(detail.resolvedAt)}</span> }]
                : []),
              { label: "Worst severity", value: detail.peakSeverity },
            ]}
          />
        </Panel>
        <Panel title="Evidence">
          <EvidenceFacts evidence={detail.evidence} />
        </Panel>
        <Panel title={detail.status === "open" ? "Recommendation" : "Recommendation, at its last evaluation"}>
          <RecommendationView
            recommendation={detail.recommendation}
            tenantNames={detail.tenantNames}
            can={{
              migrate: detail.status === "open" && can(user.role, "tenants.migrate"),
              changePlan: detail.status === "open" && can(user.role, "tenants.changePlan"),
            }}
          />
        </Panel>
      </div>
      {/* Proposals are made from a pool's recommendation, which noisy-neighbour findings carry. */}
      {detail.kind === "noisy_neighbour" || proposals.length > 0 ? (
        <div className="mt-4">
          <ProposalPanel
            proposals={proposals}
            viewer={proposalViewer(user.role)}
            proposalsOff={settings.proposalsOff}
            actions={{ approve: approveProposalAction, reject: rejectProposalAction, queue: queueProposalAction }}
          />
        </div>
      ) : null}
      {detail.kind === "noisy_neighbour" || detail.victims.length > 0 ? (
        <Panel title={`Victims (${detail.victims.length})`} className="mt-4">
          <VictimsTable victims={detail.victims} tenantNames={detail.tenantNames} />
        </Panel>
      ) : null}
      {detail.outcome ? (
        <Panel title="Outcome" className="mt-4">
          <OutcomeView outcome={detail.outcome} />
        </Panel>
      ) : null}
      <Panel title="Before and after" className="mt-4">
        {compared && detail.storageInstanceId ? (
          <Suspense key={compared.id} fallback={<ComparisonSkeleton />}>
            <BeforeAfterSection detail={detail} operation={compared} />
          </Suspense>
        ) : (
          <p className="px-4 py-3 text-[13px] text-muted">
            No migration or plan change has finished on its {detail.tenantId ? "tenant" : "instance"} since it began: once one has, this
            compares its co-tenants&apos; refusals and p99 latency in the hour before and after.
          </p>
        )}
        <div className="border-t border-border">
          <FindingOperations
            operations={detail.operations}
            comparedId={compared?.id ?? null}
            comparable={comparable}
            compareHref={(operationId) => `/findings/${detail.id}?operation=${operationId}`}
          />
        </div>
      </Panel>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        <Panel title="History">
          <FindingTimeline events={detail.events} />
        </Panel>
        <Panel title={`Notifications (${notifications.length})`}>
          <NotificationsTable notifications={notifications} />
        </Panel>
      </div>
    </>
  );
}
