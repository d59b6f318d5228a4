// GetMetricData is limited to 500 queries and 100,800 datapoints per call,
// and billed per metric requested: pack queries into as few calls as fit.
export const maxQueriesPerCall = 500;
export const maxDatapointsPerCall = 100_800;

export function expectedDatapoints(rangeMs: number, periodSeconds: number): number {
  return Math.ceil(rangeMs / (periodSeconds * 1000));
}

/** Splits `items` into calls of at most 500 whose expected datapoints stay under the per-call limit. */
export function planCalls<T>(items: T[], datapointsPerItem: number): T[][] {
  const perCall = Math.max(1, Math.min(maxQueriesPerCall, Math.floor(maxDatapointsPerCall / Math.max(1, datapointsPerItem))));
  const calls: T[][] = [];
  for (let i = 0; i < items.length; i += perCall) calls.push(items.slice(i, i + perCall));
  return calls;
}

/** The fewest calls any reader could make for `metrics` metrics. */
export function callFloor(metrics: number, datapointsPerItem: number): number {
  return planCalls(Array.from({ length: metrics }), datapointsPerItem).length;
}
