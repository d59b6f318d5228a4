import { describe, expect, it } from "vitest";
import { keyPrefixFor, slugPattern } from "../lib/catalog/vocabulary";
import { demoPlans, demoPools, generateFleet, generateTenants, prng, slugFor } from "./demo-fleet";

describe("the demo fleet", () => {
  const fleet = generateFleet();
  const instances = new Map(fleet.instances.map((instance) => [instance.id, instance]));

  it("is the same fleet on every run for the same seed, and a different one for another seed", () => {
    expect(generateFleet()).toEqual(fleet);
    expect(generateFleet(7).tenants.map((t) => t.createdAt)).not.toEqual(fleet.tenants.map((t) => t.createdAt));
  });

  it("has about sixty tenants across all four tiers and all three deployment models", () => {
    expect(fleet.tenants.length).toBeGreaterThanOrEqual(55);
    expect(fleet.tenants.length).toBeLessThanOrEqual(70);
    expect(new Set(fleet.tenants.map((t) => t.tier))).toEqual(new Set(["basic", "standard", "premium", "enterprise"]));
    expect(new Set(fleet.tenants.map((t) => t.deploymentModel))).toEqual(new Set(["pool", "silo", "bridge"]));
  });

  it("gives every tenant a valid, unique id and a unique key prefix derived from it", () => {
    const ids = fleet.tenants.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const tenant of fleet.tenants) {
      expect(tenant.id).toMatch(slugPattern);
      expect(tenant.keyPrefix).toBe(keyPrefixFor(tenant.id));
    }
    expect(new Set(fleet.tenants.map((t) => t.keyPrefix)).size).toBe(ids.length);
  });

  it("places tenants consistently with their deployment model", () => {
    for (const tenant of fleet.tenants) {
      const home = instances.get(tenant.storageInstanceId);
      expect(home, tenant.id).toBeDefined();
      if (tenant.deploymentModel === "silo") {
        expect(home!.mode).toBe("silo");
        expect(fleet.tenants.filter((t) => t.storageInstanceId === home!.id)).toHaveLength(1);
      } else {
        expect(home!.mode, tenant.id).toBe("pool");
      }
      if (tenant.deploymentModel === "bridge") {
        expect(instances.get(tenant.bridgeInstanceId!)?.mode).toBe("silo");
        expect(tenant.bridgeEntity).toBeTruthy();
      } else {
        expect(tenant.bridgeInstanceId).toBeNull();
      }
    }
  });

  it("pools the basic and standard tiers and never shares a silo table", () => {
    for (const tenant of fleet.tenants.filter((t) => t.tier === "basic" || t.tier === "standard")) {
      expect(tenant.deploymentModel, tenant.id).toBe("pool");
    }
    const siloIds = fleet.instances.filter((i) => i.mode === "silo").map((i) => i.id);
    const users = siloIds.map((id) => fleet.tenants.filter((t) => t.storageInstanceId === id || t.bridgeInstanceId === id).length);
    expect(users.every((n) => n === 1)).toBe(true);
    expect(new Set(fleet.instances.map((i) => i.tableName)).size).toBe(fleet.instances.length);
  });

  it("uses the plan of the tenant's tier: the reference rates and bursts, quotas scaled for storage requests", () => {
    expect(demoPlans.map((p) => [p.id, p.ratePerSec, p.burst, p.quotaPerDay])).toEqual([
      ["basic", 50, 50, 1_000_000],
      ["standard", 75, 100, 3_000_000],
      ["premium", 100, 200, 5_000_000],
      ["enterprise", 300, 300, 10_000_000],
      ["restricted", 10, 20, 200_000],
    ]);
    expect(demoPlans.filter((p) => p.defaultFor).map((p) => p.id)).toEqual(["basic", "standard", "premium", "enterprise"]);
    for (const tenant of fleet.tenants) expect(tenant.planId).toBe(tenant.tier);
  });

  it("keeps display names in their own script, with ASCII ids", () => {
    expect(fleet.tenants.some((t) => /[^\u0000-\u024f]/.test(t.name))).toBe(true);
    expect(fleet.tenants.find((t) => t.name === "Müller Logistik GmbH")?.id).toBe("muller-logistik-gmbh");
  });
});

describe("generateTenants", () => {
  const poolIds = demoPools.map((p) => p.id);

  it("makes the requested number of unique, valid pooled tenants, deterministically", () => {
    const tenants = generateTenants(5_000, 1, poolIds);
    expect(tenants).toHaveLength(5_000);
    expect(new Set(tenants.map((t) => t.id)).size).toBe(5_000);
    expect(tenants.every((t) => slugPattern.test(t.id) && poolIds.includes(t.storageInstanceId) && t.deploymentModel === "pool")).toBe(
      true,
    );
    expect(generateTenants(50, 1, poolIds)).toEqual(tenants.slice(0, 50));
  });
});

describe("slugFor and prng", () => {
  it("folds accents and punctuation into a slug, and gives up on scripts it cannot transliterate", () => {
    expect(slugFor("Café Lumière & Co.")).toBe("cafe-lumiere-co");
    expect(slugFor("Straße 9")).toBe("strasse-9");
    expect(slugFor("株式会社さくら")).toBe("");
  });

  it("draws numbers in [0, 1) that depend only on the seed", () => {
    const a = prng(3);
    const b = prng(3);
    const draws = Array.from({ length: 1_000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});
