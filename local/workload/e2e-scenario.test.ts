// The end-to-end tests' world (e2e/support/scenario.json on the demo fleet) holds
// what those tests assume at every hour of every day: no tenant can spend its
// plan's daily quota (a tenant cut off at 14:00 UTC no longer loads its pool),
// and pool-use1-02 refuses its co-tenants for capacity while acme-logistics is on
// it and refuses none once it has left (e2e/migration.spec.ts).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prng } from "../../lib/random";
import { routingContentFor, type RoutingRecord } from "../../lib/routing/record";
import { tenantEntities } from "../../lib/storage/tenant-items";
import { generateFleet } from "../../prisma/demo-fleet";
import { FleetModel, routesFor } from "./model/fleet-model";
import type { TenantProfile, TrafficShape } from "./model/traffic";
import { loadScenario, profileFor } from "./scenario";

const fleet = generateFleet();
const scenario = loadScenario(path.resolve(import.meta.dirname, "../../e2e/support/scenario.json"));
const instances = new Map(fleet.instances.map((i) => [i.id, i]));
const records: RoutingRecord[] = fleet.tenants.flatMap((tenant) => {
  const content = routingContentFor({
    ...tenant,
    plan: fleet.plans.find((p) => p.id === tenant.planId)!,
    storageInstance: instances.get(tenant.storageInstanceId) ?? null,
    bridgeInstance: tenant.bridgeInstanceId ? (instances.get(tenant.bridgeInstanceId) ?? null) : null,
  });
  return content ? [{ ...content, version: 1, updatedAt: "2026-12-01T00:00:00.000Z" }] : [];
});
const profiles = new Map(records.map((r) => [r.tenantId, profileFor(r, scenario)]));

/** The most requests a second the shape ever asks for, at any time and however long ago the scenario began. */
function peakDemand(profile: TenantProfile): number {
  const shape: TrafficShape = profile.shape;
  switch (shape.kind) {
    case "steady":
      return profile.baseRate;
    case "daily":
      return profile.baseRate * (1 + shape.amplitude);
    case "bursty":
      return profile.baseRate * shape.burstFactor;
    case "growing":
      return profile.baseRate * shape.maxFactor;
    case "noisy":
      return Math.max(profile.baseRate, shape.noisyRate);
  }
}

describe("the e2e scenario", () => {
  it("names tenants of the demo fleet only", () => {
    for (const tenantId of Object.keys(scenario.tenants)) expect(profiles.has(tenantId), tenantId).toBe(true);
  });

  it("lets no tenant spend its plan's daily quota, whatever the hour and the day", () => {
    const overQuota = records.flatMap((record) => {
      // Admitted in a UTC day: at most its peak demand (capped by the plan's rate) all day long, plus one burst.
      const mostPerDay = Math.min(peakDemand(profiles.get(record.tenantId)!), record.ratePerSec) * 86_400 + record.burst;
      // Requests arrive as a Poisson process: six standard deviations above the mean covers every day there will be.
      const withNoise = mostPerDay + 6 * Math.sqrt(mostPerDay);
      return withNoise < record.quotaPerDay ? [] : [`${record.tenantId}: up to ${Math.round(withNoise)} of ${record.quotaPerDay} a day`];
    });
    expect(overQuota).toEqual([]);
  });

  it(
    "has refused nothing by plan by the end of a UTC day, in the 24 h the e2e stack backfills (the model at 60 s steps)",
    { timeout: 60_000 },
    () => {
      const end = Date.UTC(2026, 11, 1, 23, 59);
      const model = new FleetModel(prng(42), end - 86_400_000, tenantEntities);
      const refusedByPlan = new Map<string, number>();
      let poolRefusalsLastTenMinutes = 0;
      for (let t = end - 86_400_000 + 60_000; t <= end; t += 60_000) {
        const { tenants } = model.interval(records, profiles, (id) => instances.get(id), t, 60);
        for (const result of tenants) {
          if (result.planThrottled > 0)
            refusedByPlan.set(result.tenantId, (refusedByPlan.get(result.tenantId) ?? 0) + result.planThrottled);
          if (t > end - 10 * 60_000 && result.served.some((served) => served.route.storageInstanceId === "pool-use1-02"))
            poolRefusalsLastTenMinutes += result.capacityThrottled;
        }
      }
      expect(Object.fromEntries(refusedByPlan)).toEqual({});
      expect(poolRefusalsLastTenMinutes).toBeGreaterThan(0);
    },
  );

  // The live workload's model at 1 s ticks, as it runs during the e2e tests: five minutes to spend the pool's burst
  // credits, then five minutes counted, every third hour of a day (the co-tenants' daily peaks differ).
  function poolRefusalsPerMinute(tenants: RoutingRecord[], hourUtc: number): number {
    const model = new FleetModel(prng(hourUtc), 0, tenantEntities);
    const capacityOf = (id: string) => instances.get(id);
    const start = Date.UTC(2026, 11, 1, hourUtc);
    let refused = 0;
    for (let s = 1; s <= 600; s++) {
      const { tenants: results } = model.interval(tenants, profiles, capacityOf, start + s * 1_000, 1);
      if (s <= 300) continue;
      for (const result of results)
        if (result.served.some((served) => served.route.storageInstanceId === "pool-use1-02")) refused += result.capacityThrottled;
    }
    return refused / 5;
  }

  it(
    "overloads pool-use1-02 with acme-logistics at every hour, and leaves it with headroom once acme-logistics has left",
    { timeout: 60_000 },
    () => {
      const onPool = records.filter((r) => routesFor(r, tenantEntities).some((route) => route.storageInstanceId === "pool-use1-02"));
      const withoutAcme = onPool.filter((r) => r.tenantId !== "acme-logistics");
      expect(withoutAcme.length).toBeGreaterThan(5);
      for (let hour = 0; hour < 24; hour += 3) {
        expect(poolRefusalsPerMinute(onPool, hour), `${hour}:00 UTC with acme-logistics`).toBeGreaterThan(60);
        expect(poolRefusalsPerMinute(withoutAcme, hour), `${hour}:00 UTC without acme-logistics`).toBe(0);
      }
    },
  );
});
