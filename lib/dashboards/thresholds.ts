// Detection and recommendation thresholds: the documented defaults
// (docs/fairness.md), overridable per deployment by environment.
import { z } from "zod";
import { defaultNoisyOptions, type NoisyOptions } from "../fairness/noisy";
import { defaultRecommendOptions, type RecommendOptions } from "../fairness/recommend";

export interface Thresholds {
  noisy: NoisyOptions;
  recommend: RecommendOptions;
}

const positive = z.coerce.number().positive().finite();
const fraction = z.coerce.number().gt(0).lte(1);

const variables = {
  NOISY_SHARE_MULTIPLE: ["noisy", "shareMultiple", positive],
  NOISY_SUSTAINED_MINUTES: ["noisy", "sustainedMinutes", positive],
  NOISY_VICTIM_THROTTLE_RATIO: ["noisy", "victimThrottleRatio", fraction],
  NOISY_VICTIM_LATENCY_FACTOR: ["noisy", "victimLatencyFactor", positive],
  NOISY_DOMINANT_EXCESS_SHARE: ["noisy", "dominantExcessShare", fraction],
  NOISY_PRESSURE_UTILISATION: ["noisy", "pressureUtilisation", fraction],
  RECOMMEND_SILO_ABOVE_SHARE: ["recommend", "siloAboveShare", fraction],
  RECOMMEND_TARGET_POOL_CEILING: ["recommend", "targetPoolCeiling", fraction],
} as const;

/** Reads overrides from `env`; a malformed one is an error naming the variable, never silently ignored. */
export function thresholdsFrom(env: Record<string, string | undefined>): Thresholds {
  const thresholds: Thresholds = { noisy: { ...defaultNoisyOptions }, recommend: { ...defaultRecommendOptions } };
  for (const [name, [group, field, schema]] of Object.entries(variables)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`${name}="${raw}" is not valid: ${parsed.error.issues[0]?.message ?? "expected a number"}`);
    (thresholds[group] as unknown as Record<string, number>)[field] = parsed.data;
  }
  return thresholds;
}

let cached: Thresholds | undefined;
export function thresholds(): Thresholds {
  cached ??= thresholdsFrom(process.env);
  return cached;
}
