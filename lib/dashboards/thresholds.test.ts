import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/config";
import { defaultNoisyOptions } from "../fairness/noisy";
import { defaultRecommendOptions } from "../fairness/recommend";
import { thresholdsFrom } from "./thresholds";

describe("thresholds", () => {
  it("defaults to the documented values", () => {
    expect(thresholdsFrom(loadConfig({}))).toEqual({ noisy: defaultNoisyOptions, recommend: defaultRecommendOptions });
  });

  it("takes overrides from the environment", () => {
    const t = thresholdsFrom(
      loadConfig({ NOISY_SHARE_MULTIPLE: "3", NOISY_SUSTAINED_MINUTES: "15", RECOMMEND_TARGET_POOL_CEILING: "0.7" }),
    );
    expect(t.noisy).toMatchObject({ shareMultiple: 3, sustainedMinutes: 15 });
    expect(t.recommend.targetPoolCeiling).toBe(0.7);
  });

  it("refuses a malformed value by name", () => {
    expect(() => loadConfig({ NOISY_SHARE_MULTIPLE: "lots" })).toThrow(/NOISY_SHARE_MULTIPLE/);
    expect(() => loadConfig({ RECOMMEND_SILO_ABOVE_SHARE: "1.5" })).toThrow(/RECOMMEND_SILO_ABOVE_SHARE/);
  });
});
