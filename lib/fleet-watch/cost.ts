// What watching the fleet costs in CloudWatch. GetMetricData is billed per
// metric requested (Metrics Insights queries per metric analysed), whatever
// the window's length: the bill follows metrics × evaluations.
import type { WatchCost } from "./shapes";

/** US East (N. Virginia), GetMetricData and Metrics Insights, per 1,000 metrics (docs/fleet-watch.md#cost lists the source). */
export const pricePerThousandMetricsUsd = 0.01;
const secondsPerMonth = 30 * 86_400;

export interface WatchCostInput {
  instances: number;
  /** Tenants on pools of two or more (the ones fairness and detection read). */
  pooledTenants: number;
  /** All tenants, for the naive comparison. */
  tenants: number;
  /** Tenants on the pools read in depth this evaluation, and whether detection metrics were read for them. */
  pressuredTenants: number;
  screenedTenants: number;
  periodSeconds: number;
  fairnessEvery: number;
  totalsPerInstance: number;
  consumptionPerTenant: number;
  detectionPerTenant: number;
}

/**
 * Metrics one evaluation requests at the fleet's current size and pressure:
 * every instance's totals, the pools under pressure in depth, and the slice of
 * the fairness pass (amortised: the pass reads every pooled tenant once per
 * `fairnessEvery` evaluations).
 */
export function watchCost(input: WatchCostInput, price = pricePerThousandMetricsUsd): WatchCost {
  const evaluationsPerMonth = secondsPerMonth / input.periodSeconds;
  const metricsPerEvaluation =
    input.instances * input.totalsPerInstance +
    input.pressuredTenants * input.consumptionPerTenant +
    input.screenedTenants * input.detectionPerTenant +
    (input.pooledTenants * input.consumptionPerTenant) / Math.max(1, input.fairnessEvery);
  const naivePerEvaluation =
    input.instances * input.totalsPerInstance + input.tenants * (input.consumptionPerTenant + input.detectionPerTenant);
  const monthly = (metrics: number) => Math.round(((metrics * evaluationsPerMonth * price) / 1000) * 100) / 100;
  return {
    metricsPerEvaluation: Math.round(metricsPerEvaluation),
    evaluationsPerMonth,
    monthlyUsd: monthly(metricsPerEvaluation),
    naiveMonthlyUsd: monthly(naivePerEvaluation),
    pricePerThousandMetricsUsd: price,
  };
}
