// When a failed delivery is tried again: base × 2^attempts, at most an hour,
// jittered (a half to the whole of it) so that alerts failing together do
// not all come back at once. Pure.

export const maxRetryDelayMs = 3_600_000;

/** The wait after the `attempts`-th failed delivery (attempts ≥ 1); `random` in [0, 1). */
export function retryDelayMs(attempts: number, baseMs: number, random: () => number): number {
  const full = Math.min(maxRetryDelayMs, baseMs * 2 ** Math.max(0, attempts));
  return Math.round(full * (0.5 + random() / 2));
}
