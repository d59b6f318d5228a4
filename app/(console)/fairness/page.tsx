import type { Metadata } from "next";
import { Suspense } from "react";
import { FairnessDashboard } from "@/components/fleet/fairness-dashboard";
import { MetricsSkeleton } from "@/components/metrics/metrics-skeleton";
import { rangeHref, TimeRangePicker } from "@/components/metrics/time-range-picker";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { loadFairnessView } from "@/lib/dashboards/fairness-view";
import { pageViewContext, type PageViewContext } from "@/lib/dashboards/page-context";
import { settleView } from "@/lib/dashboards/view-result";

export const metadata: Metadata = { title: "Fairness" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

async function FairnessSection({ context }: { context: PageViewContext }) {
  const result = await settleView(loadFairnessView(getDb(), context.reader, context.window));
  return <FairnessDashboard initial={result} rangeQuery={context.rangeQuery} />;
}

export default async function FairnessPage({ searchParams }: Props) {
  await requirePagePermission("tenants.read");
  const context = pageViewContext(await searchParams);
  return (
    <>
      <PageHeader
        title="Fairness"
        description="How evenly shared pools serve their tenants against what their plans entitle them to: Jain's index per pool, refusals by tier, and the spread of consumption over entitlement."
        actions={<TimeRangePicker current={context.rangeKey} hrefFor={(key) => rangeHref("/fairness", key)} />}
      />
      <ErrorNotice title="The link's time range was ignored" messages={context.rangeError ? [context.rangeError] : []} />
      <Suspense key={context.rangeKey} fallback={<MetricsSkeleton label="fairness" />}>
        <FairnessSection context={context} />
      </Suspense>
    </>
  );
}
