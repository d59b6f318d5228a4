import type { Metadata } from "next";
import { AgainstPlan, InstanceCostTable, TenantCostTable } from "@/components/costs/cost-tables";
import { CostMethod } from "@/components/costs/cost-method";
import { PriceOverrideForm } from "@/components/costs/price-override-form";
import { PriceTable } from "@/components/costs/price-table";
import { formatDateTime, formatUsd } from "@/components/ui/format";
import { ErrorNotice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Panel } from "@/components/ui/panel";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { pageOf, parseCostListParams, sortTenantCosts, costListQuery } from "@/lib/cost/list-params";
import { pricedRegions } from "@/lib/cost/prices";
import { loadFleetEstimate } from "@/lib/cost/queries";
import { costSettings } from "@/lib/cost/settings";
import { getDb } from "@/lib/db/client";
import { overridePriceAction, resetPriceAction } from "./actions";

export const metadata: Metadata = { title: "Costs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CostsPage({ searchParams }: Props) {
  const user = await requirePagePermission("tenants.read");
  const { params, errors } = parseCostListParams(await searchParams);
  const settings = costSettings();
  const { estimate, context, rollup } = await loadFleetEstimate(getDb(), settings);
  const sorted = sortTenantCosts(estimate.tenants, params.sort, params.dir);
  const page = pageOf(sorted, params.page);
  const underPriced = estimate.tenants.filter((t) => (t.againstPlan ?? 0) > 1);
  const worst = sortTenantCosts(estimate.tenants, "againstPlan", "desc")[0];
  const regions = [...new Set([...estimate.instances.map((i) => i.region), ...pricedRegions])].sort();
  const usedRegions = [...new Set(estimate.instances.map((i) => i.region))].sort();
  const canManage = can(user.role, "prices.manage");
  const month = new Date(estimate.nowMs).toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <>
      <PageHeader
        title="Costs"
        description={`What each tenant costs in AWS in ${month}, estimated from what it consumed, against what its plan charges.`}
        actions={
          <a
            href={`/api/costs/export${costListQuery({ ...params, page: 1 })}`}
            className="rounded-md border border-border px-3 py-1.5 text-[13px] text-accent hover:bg-surface-2"
            download
          >
            Export CSV
          </a>
        }
      />
      <ErrorNotice title="Some of the link's parameters were ignored" messages={errors} />
      <ErrorNotice
        title="No usage rolled up yet"
        messages={
          rollup.lastRolledAt
            ? []
            : [
                "The worker has not rolled up any usage yet (it does within a minute of starting): estimates show only what needs no metrics.",
              ]
        }
      />
      <div className="mb-4 grid gap-4 lg:grid-cols-3">
        <Panel title="This month">
          <Facts
            items={[
              { label: "Fleet so far", value: <span className="num">{formatUsd(estimate.soFar)}</span> },
              { label: "Projected month", value: <span className="num">{formatUsd(estimate.projected)}</span> },
              {
                label: "Under-priced tenants",
                value: (
                  <span className="num">
                    {underPriced.length} of {estimate.tenants.length}
                  </span>
                ),
              },
            ]}
          />
        </Panel>
        <Panel title="Most under-priced">
          <Facts
            items={
              worst
                ? [
                    { label: "Tenant", value: <span dir="auto">{worst.name}</span> },
                    { label: "Projected / plan", value: <AgainstPlan ratio={worst.againstPlan} /> },
                    { label: "Plan", value: <span dir="auto">{worst.planName}</span> },
                  ]
                : [{ label: "Tenant", value: "—" }]
            }
          />
        </Panel>
        <Panel title="Usage rollup">
          <Facts
            items={[
              {
                label: "Last rolled up",
                value: <span className="num">{rollup.lastRolledAt ? formatDateTime(rollup.lastRolledAt) : "never"}</span>,
              },
              { label: "Days this month", value: <span className="num">{rollup.daysThisMonth}</span> },
              { label: "Today rolled every", value: <span className="num">{settings.todayEveryMinutes} min</span> },
            ]}
          />
        </Panel>
      </div>
      <Panel title="Tenants" className="mb-4">
        <TenantCostTable page={page} params={params} />
      </Panel>
      <Panel title="Storage instances" className="mb-4">
        <InstanceCostTable instances={estimate.instances} />
      </Panel>
      <Panel title="How the estimate is made" className="mb-4">
        <CostMethod todayEveryMinutes={settings.todayEveryMinutes} pointInTime={settings.pointInTime} />
      </Panel>
      {usedRegions.map((region) => {
        const prices = context.pricesOf(region);
        return (
          <Panel
            key={region}
            title={`Prices in ${region}${prices.listedAs === region ? "" : ` (the table has no ${region}: priced as ${prices.listedAs})`}`}
            className="mb-4"
          >
            <PriceTable prices={prices} />
          </Panel>
        );
      })}
      {canManage ? (
        <Panel title="Override a price">
          <p className="px-4 pt-3 text-[13px] text-muted">
            Replaces a list price in one region for every estimate (audited, with your reason). Resetting returns to the table&apos;s price.
          </p>
          <PriceOverrideForm regions={regions} override={overridePriceAction} reset={resetPriceAction} />
        </Panel>
      ) : null}
    </>
  );
}
