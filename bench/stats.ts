// Shared by the benchmarks: percentiles and the one output format `npm run bench` promises.

/** Nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Prints `bench <name> <value> <unit>`, the line CI and the closing notes read. */
export function report(name: string, value: number, unit: string): void {
  const rounded = value >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
  console.log(`bench ${name} ${rounded} ${unit}`);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}
