// The pool's one recommendation: the moves it recommends (its flagged tenants
// considered together), why, and the pool predicted before → after. Operators
// start a recommended change from here (the migration or plan page, where it is
// confirmed); support reads it.
import Link from "next/link";
import { formatCount, formatIndex, formatPercent } from "@/components/ui/format";
import type { PoolRecommendation } from "@/lib/fleet-watch/shapes";

type Move = PoolRecommendation["moves"][number];

export function moveTitle(move: Move, name: string): string {
  switch (move.action) {
    case "migrate_to_silo":
      return `Move ${name} to a silo of its own`;
    case "migrate_to_pool":
      return `Move ${name} to ${move.targetInstanceId}`;
    case "lower_plan":
      return `Lower ${name}'s plan to ${formatCount(move.ratePerSec)} requests/s`;
    case "observe":
      return `Watch ${name}: no change yet`;
  }
}

function moveLink(move: Move, can: { migrate: boolean; changePlan: boolean }): { href: string; text: string } | null {
  switch (move.action) {
    case "migrate_to_silo":
      return can.migrate ? { href: `/tenants/${move.tenantId}/migrate?target=new-silo`, text: "Migrate to its own silo" } : null;
    case "migrate_to_pool":
      return can.migrate
        ? {
            href: `/tenants/${move.tenantId}/migrate?target=${encodeURIComponent(move.targetInstanceId)}`,
            text: `Migrate to ${move.targetInstanceId}`,
          }
        : null;
    case "lower_plan":
      return can.changePlan
        ? { href: `/tenants/${move.tenantId}/plan`, text: `Change plan to ${formatCount(move.ratePerSec)} req/s` }
        : null;
    case "observe":
      return null;
  }
}

function Effect({
  label,
  before,
  after,
  format,
  lowerIsBetter,
}: {
  label: string;
  before: number;
  after: number;
  format: (v: number) => string;
  lowerIsBetter: boolean;
}) {
  const worse = lowerIsBetter ? after > before : after < before;
  return (
    <div className="flex items-baseline justify-between gap-3 px-4 py-1.5">
      <dt className="text-muted">{label}</dt>
      <dd className="num text-right">
        {format(before)} <span aria-hidden>→</span>
        <span className="sr-only">predicted to become</span> <strong className="font-semibold">{format(after)}</strong>
        {worse ? <span className="ml-1 text-xs font-medium text-warning">worse</span> : null}
      </dd>
    </div>
  );
}

export function RecommendationView({
  recommendation,
  tenantNames,
  can,
}: {
  recommendation: PoolRecommendation | null;
  tenantNames: Record<string, string>;
  /** What the signed-in role may start from here (the pages it links to check again); nothing once the finding resolved. */
  can: { migrate: boolean; changePlan: boolean };
}) {
  if (!recommendation)
    return <p className="px-4 py-3 text-[13px] text-muted">No recommendation: the watcher makes one for pools with a noisy neighbour.</p>;
  const flagged = recommendation.flagged.map((id) => tenantNames[id] ?? id);
  return (
    <div>
      <ol className="divide-y divide-border" aria-label="Recommended changes">
        {recommendation.moves.map((move) => {
          const link = moveLink(move, can);
          return (
            <li key={`${move.tenantId}-${move.action}`} className="px-4 py-2.5">
              <p className="font-medium" dir="auto">
                {moveTitle(move, tenantNames[move.tenantId] ?? move.tenantId)}
              </p>
              <p className="text-[13px] text-muted" dir="auto">
                {move.reason}
              </p>
              {link ? (
                <Link
                  href={link.href}
                  className="mt-1.5 inline-block rounded-md bg-accent px-2.5 py-1 text-[13px] font-medium text-accent-fg hover:opacity-90"
                >
                  {link.text}
                </Link>
              ) : null}
            </li>
          );
        })}
        {recommendation.moves.length === 0 ? <li className="px-4 py-2.5 text-muted">No change recommended.</li> : null}
      </ol>
      <p className="border-t border-border px-4 py-2 text-[13px]" dir="auto">
        {recommendation.reason}
        {flagged.length > 1 ? <span className="text-muted"> Flagged together on this pool: {flagged.join(", ")}.</span> : null}
      </p>
      <h3 className="border-t border-border px-4 pb-0.5 pt-2 text-xs font-semibold uppercase tracking-wide text-muted">
        Predicted for {recommendation.storageInstanceId}, with every change applied
      </h3>
      <dl className="pb-2 text-[13px]">
        <Effect
          label="Co-tenants refused for capacity"
          before={recommendation.before.coTenantCapacityThrottled}
          after={recommendation.after.coTenantCapacityThrottled}
          format={(v) => formatCount(v, "req")}
          lowerIsBetter
        />
        <Effect
          label="Jain's index"
          before={recommendation.before.jain}
          after={recommendation.after.jain}
          format={formatIndex}
          lowerIsBetter={false}
        />
        <Effect
          label="Peak utilisation"
          before={recommendation.before.peakUtilisation}
          after={recommendation.after.peakUtilisation}
          format={(v) => formatPercent(v)}
          lowerIsBetter
        />
      </dl>
    </div>
  );
}
