import { itemOverheadBytes, priceTableVersion, recordedOn } from "@/lib/cost/prices";

/** How the estimate is made, in a few lines: what the page's figures mean and what they leave out. */
export function CostMethod({ todayEveryMinutes, pointInTime }: { todayEveryMinutes: number; pointInTime: boolean }) {
  return (
    <div className="grid gap-2 p-4 text-[13px] leading-relaxed">
      <p>
        An estimate of what each tenant costs in AWS this calendar month (UTC), from what it consumed, at list prices of its storage
        instance&apos;s region. The worker sums each tenant&apos;s CloudWatch metrics into daily rows: completed days once, today every{" "}
        {todayEveryMinutes} minutes.
      </p>
      <ul className="ml-5 list-disc">
        <li>
          <strong>Reads and writes.</strong> On-demand instances: the read and write units the tenant consumed × the request-unit prices.
          Provisioned instances: the instance&apos;s capacity cost (units per second × hours × the unit-hour price), apportioned by the
          tenant&apos;s share of the units all its tenants consumed this month (reads and writes apart). A provisioned instance nobody used
          is shown as unallocated.
        </li>
        <li>
          <strong>Storage.</strong> The tenant&apos;s stored bytes plus {itemOverheadBytes} bytes per item, as GB-months
          {pointInTime
            ? "; point-in-time recovery is on, so its storage is priced too"
            : "; point-in-time recovery is off (BACKUP_POINT_IN_TIME)"}
          .
        </li>
        <li>
          <strong>Backups.</strong> The tenant&apos;s bytes in each backup × the hours it is kept this month.
        </li>
        <li>
          <strong>CloudWatch.</strong> The tenant&apos;s 8 metric series, the PutMetricData requests their datums need, and the metrics the
          rollup requests for it.
        </li>
        <li>
          <strong>Projection.</strong> The month so far plus the measured hourly rate over the hours left; provisioned capacity and backups
          to the month&apos;s end. <strong>Cost against plan</strong> is the projection ÷ the plan&apos;s monthly price.
        </li>
      </ul>
      <p className="text-muted">
        Price table {priceTableVersion}, recorded {recordedOn} from AWS&apos;s public pricing pages and not re-read online since; admins
        override a price below with a reason. Free tiers, data transfer, taxes and discounts are left out. Details and worked examples:
        docs/costs.md.
      </p>
    </div>
  );
}
