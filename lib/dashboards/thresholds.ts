// Detection and recommendation thresholds: the documented defaults
// (docs/fairness.md), overridable per deployment (lib/config/variables.ts).
import { config, type Config } from "../config/config";
import type { NoisyOptions } from "../fairness/noisy";
import type { RecommendOptions } from "../fairness/recommend";

export interface Thresholds {
  noisy: NoisyOptions;
  recommend: RecommendOptions;
}

export function thresholdsFrom(settings: Config): Thresholds {
  return {
    noisy: {
      shareMultiple: settings.NOISY_SHARE_MULTIPLE,
      sustainedMinutes: settings.NOISY_SUSTAINED_MINUTES,
      victimThrottleRatio: settings.NOISY_VICTIM_THROTTLE_RATIO,
      victimLatencyFactor: settings.NOISY_VICTIM_LATENCY_FACTOR,
      dominantExcessShare: settings.NOISY_DOMINANT_EXCESS_SHARE,
      pressureUtilisation: settings.NOISY_PRESSURE_UTILISATION,
    },
    recommend: { siloAboveShare: settings.RECOMMEND_SILO_ABOVE_SHARE, targetPoolCeiling: settings.RECOMMEND_TARGET_POOL_CEILING },
  };
}

export function thresholds(): Thresholds {
  return thresholdsFrom(config());
}
