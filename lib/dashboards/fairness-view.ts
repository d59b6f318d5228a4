// Fairness across the fleet: Jain's index per pool over time, refusals by
// tier (the plan's own against the instance's capacity), and how tenants'
// consumption spreads around their entitlement.
import type { Db } from "../db/client";
import { analyseInstance } from "../fairness/fairness";
import { expectedDatapoints } from "../metrics/batching";
import { gridTimestamps, type MetricsReader } from "../metrics/reader";
import { tiers, type TierValue } from "../catalog/vocabulary";
import { neededCost, type ViewCost } from "./fleet-view";
import { readMetrics, type ViewWindow } from "../metrics/source";
import { loadPlacements } from "../catalog/placements";
import {
  fairnessMetrics,
  gapsWhereUnmeasured,
  instanceUsage,
  measuredPeriods,
  seriesOf,
  tenantKey,
  tenantQueries,
  type UsageMetric,
} from "../metrics/usage";

export interface PoolFairness {
  id: string;
  tenantCount: number;
  jain: number;
  jainOverTime: number[];
  /** p90 / p10 of x among tenants that used at least a tenth of their fair share (lib/fairness activeSpread). */
  spread: number;
  activeTenants: number;
  utilisationMean: number;
}

export interface TierRefusals {
  tier: TierValue;
  tenants: number;
  requests: number;
  planThrottled: number;
  capacityThrottled: number;
}

export interface RatioBin {
  label: string;
  /** Lower bound of consumption / entitlement, inclusive. */
  from: number;
  to: number;
  tenants: number;
}

export interface FairnessView {
  window: ViewWindow;
  timestamps: number[];
  pools: PoolFairness[];
  byTier: TierRefusals[];
  distribution: RatioBin[];
  /** Pooled tenants that consumed nothing in the range (not in the distribution). */
  idleTenants: number;
  cost: ViewCost;
}

const ratioBins: Omit<RatioBin, "tenants">[] = [
  { label: "< 0.25×", from: 0, to: 0.25 },
  { label: "0.25–0.5×", from: 0.25, to: 0.5 },
  { label: "0.5–1×", from: 0.5, to: 1 },
  { label: "1–2×", from: 1, to: 2 },
  { label: "2–4×", from: 2, to: 4 },
  { label: "≥ 4×", from: 4, to: Infinity },
];

const refusalMetrics: UsageMetric[] = ["requests", "throttled", "capacityThrottled"];
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export async function loadFairnessView(db: Db, reader: MetricsReader, window: ViewWindow): Promise<FairnessView> {
  const placements = await loadPlacements(db);
  const shared = placements.filter((i) => i.mode === "pool" && i.tenants.length >= 2);
  const queries = [
    ...shared.flatMap((i) => tenantQueries(i, fairnessMetrics)),
    ...placements.flatMap((i) => tenantQueries(i, refusalMetrics)),
  ];
  const read = await readMetrics(reader, queries, window);

  const measured = measuredPeriods(read, window.range);
  const analyses = shared.map((placement) => ({ placement, analysis: analyseInstance(instanceUsage(placement, read, window.range)) }));
  const pools = analyses
    .map(({ placement, analysis }): PoolFairness => ({
      id: placement.id,
      tenantCount: placement.tenants.length,
      jain: analysis.jain,
      // A gap where nothing was published, rather than the 1 an empty period computes to.
      jainOverTime: gapsWhereUnmeasured(analysis.jainOverTime, measured),
      spread: analysis.spread.ratio,
      activeTenants: analysis.spread.activeTenants,
      utilisationMean: analysis.utilisationMean,
    }))
    .sort((a, b) => a.jain - b.jain);
  const pooled = analyses.flatMap(({ analysis }) => analysis.tenants);
  const ratios = pooled.filter((t) => t.consumption > 0).map((t) => t.ratio);

  const byTier = new Map<TierValue, TierRefusals & { ids: Set<string> }>(
    tiers.map((tier) => [tier, { tier, tenants: 0, requests: 0, planThrottled: 0, capacityThrottled: 0, ids: new Set() }]),
  );
  for (const placement of placements) {
    for (const tenant of placement.tenants) {
      // A bridge tenant has items on two instances: its requests count on both, the tenant once.
      const of = (metric: UsageMetric) => sum(seriesOf(read, tenantKey(placement.id, tenant.id, metric), metric, window.range));
      const row = byTier.get(tenant.tier)!;
      row.ids.add(tenant.id);
      const capacity = of("capacityThrottled");
      row.requests += of("requests");
      row.capacityThrottled += capacity;
      row.planThrottled += Math.max(0, of("throttled") - capacity);
    }
  }

  return {
    window,
    timestamps: gridTimestamps(window.range, window.periodSeconds),
    pools,
    byTier: [...byTier.values()].map(({ ids, ...row }) => ({ ...row, tenants: ids.size })),
    distribution: ratioBins.map((bin) => ({ ...bin, tenants: ratios.filter((x) => x >= bin.from && x < bin.to).length })),
    idleTenants: pooled.length - ratios.length,
    cost: {
      ...read.cost,
      ...neededCost(queries.length, expectedDatapoints(window.range.endMs - window.range.startMs, window.periodSeconds)),
    },
  };
}
