import type { Metadata } from "next";
import { Suspense } from "react";
import { NoisyNeighbours } from "@/components/fleet/noisy-neighbours";
import { MetricsSkeleton } from "@/components/metrics/metrics-skeleton";
import { rangeHref, TimeRangePicker } from "@/components/metrics/time-range-picker";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { loadFleetView } from "@/lib/dashboards/fleet-view";
import { noisySortQuery, parseNoisySort, type NoisySort, type NoisySortDirection } from "@/lib/dashboards/noisy-sort";
import { pageViewContext, type PageViewContext } from "@/lib/dashboards/page-context";
import { settleView } from "@/lib/dashboards/view-result";

export const metadata: Metadata = { title: "Noisy neighbours" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

async function NoisySection({ context, sort, dir }: { context: PageViewContext; sort: NoisySort; dir: NoisySortDirection }) {
  const result = await settleView(loadFleetView(getDb(), context.reader, context.window, context.thresholds));
  return <NoisyNeighbours initial={result} rangeKey={context.rangeKey} rangeQuery={context.rangeQuery} sort={sort} dir={dir} />;
}

export default async function NoisyNeighboursPage({ searchParams }: Props) {
  await requirePagePermission("tenants.read");
  const params = await searchParams;
  const context = pageViewContext(params);
  const { sort, dir, errors } = parseNoisySort(params.sort, params.dir);
  return (
    <>
      <PageHeader
        title="Noisy neighbours"
        description="Tenants taking a share of a shared storage instance far above their fair share while co-tenants are refused or slowed, with the evidence, the victims and what to do."
        actions={
          <TimeRangePicker current={context.rangeKey} hrefFor={(key) => rangeHref("/noisy-neighbours", key, noisySortQuery(sort, dir))} />
        }
      />
      <ErrorNotice
        title="Some of the link's settings were ignored"
        messages={[...(context.rangeError ? [context.rangeError] : []), ...errors]}
      />
      <Suspense key={context.rangeKey} fallback={<MetricsSkeleton label="noisy-neighbour detection" />}>
        <NoisySection context={context} sort={sort} dir={dir} />
      </Suspense>
    </>
  );
}
