// One interval of the data plane's admission model, shared by the live
// workload (1 s ticks, then real DynamoDB calls) and the history backfill
// (60 s steps, no calls): demand from each tenant's traffic shape, the write
// freeze, the tenant's plan (token bucket and daily quota), then each storage
// instance's capacity, which throttles every tenant on it alike.
import { poisson } from "../../../lib/random";
import { isServing, type RoutingRecord } from "../../../lib/routing/record";
import { CapacityBudget, queueingDelayMs } from "./capacity";
import { readUnits, writeUnits } from "../../../lib/data-plane/capacity-units";
import { DailyQuota, TokenBucket } from "./token-bucket";
import { demandRate, type TenantProfile } from "./traffic";

export interface InstanceCapacity {
  readUnitsPerSec: number;
  writeUnitsPerSec: number;
}

/** Where a share of a tenant's requests go: its table, or its bridge table for the siloed entity. */
export interface Route {
  storageInstanceId: string;
  tableName: string;
  region: string;
  share: number;
  entities: readonly string[];
}

export interface TenantInterval {
  tenantId: string;
  requests: number;
  reads: number;
  writes: number;
  /** Refused by the plan (rate, burst, quota) or the write freeze. */
  planThrottled: number;
  frozenWrites: number;
  capacityThrottled: number;
  /** Served requests per route, for the live workload to execute. */
  served: { route: Route; reads: number; writes: number; queueDelayMs: number }[];
  readUnits: number;
  writeUnits: number;
}

export interface InstanceInterval {
  storageInstanceId: string;
  readUtilisation: number;
  writeUtilisation: number;
  queueDelayMs: number;
}

interface TenantState {
  bucket: TokenBucket;
  quota: DailyQuota;
}

/** Base service time of an uncontended DynamoDB call, ms; the queueing delay scales from it. */
export const baseServiceMs = 4;

export function routesFor(record: RoutingRecord, entities: readonly string[]): Route[] {
  if (!record.bridge) return [{ ...record.placement, share: 1, entities }];
  const bridged = [record.bridge.entity];
  const pooled = entities.filter((e) => e !== record.bridge!.entity);
  return [
    { ...record.placement, share: pooled.length / entities.length, entities: pooled },
    {
      storageInstanceId: record.bridge.storageInstanceId,
      tableName: record.bridge.tableName,
      region: record.bridge.region,
      share: bridged.length / entities.length,
      entities: bridged,
    },
  ];
}

export class FleetModel {
  private readonly tenants = new Map<string, TenantState>();
  private readonly budgets = new Map<string, { read: CapacityBudget; write: CapacityBudget }>();

  constructor(
    private readonly random: () => number,
    private readonly originMs: number,
    private readonly entities: readonly string[],
  ) {}

  private stateFor(record: RoutingRecord): TenantState {
    let state = this.tenants.get(record.tenantId);
    if (!state) {
      state = { bucket: new TokenBucket(record.ratePerSec, record.burst), quota: new DailyQuota() };
      this.tenants.set(record.tenantId, state);
    }
    state.bucket.setLimits(record.ratePerSec, record.burst);
    return state;
  }

  private budgetFor(instanceId: string, capacity: InstanceCapacity) {
    let budget = this.budgets.get(instanceId);
    if (!budget) {
      budget = { read: new CapacityBudget(capacity.readUnitsPerSec), write: new CapacityBudget(capacity.writeUnitsPerSec) };
      this.budgets.set(instanceId, budget);
    }
    budget.read.setCapacity(capacity.readUnitsPerSec);
    budget.write.setCapacity(capacity.writeUnitsPerSec);
    return budget;
  }

  /**
   * Runs the model over `[nowMs - seconds*1000, nowMs)` for the serving
   * tenants. `capacityOf` gives each instance's units per second (unknown
   * instances are not throttled).
   */
  interval(
    records: RoutingRecord[],
    profiles: Map<string, TenantProfile>,
    capacityOf: (storageInstanceId: string) => InstanceCapacity | undefined,
    nowMs: number,
    seconds: number,
  ): { tenants: TenantInterval[]; instances: InstanceInterval[] } {
    const admitted: {
      record: RoutingRecord;
      profile: TenantProfile;
      result: TenantInterval;
      reads: number;
      writes: number;
      routes: Route[];
    }[] = [];
    const demand = new Map<string, { read: number; write: number }>();

    for (const record of records) {
      const profile = profiles.get(record.tenantId);
      if (!profile || !isServing(record)) continue;
      const state = this.stateFor(record);
      const requests = poisson(this.random, demandRate(profile, nowMs, this.originMs) * seconds);
      let reads = 0;
      for (let i = 0; i < requests && i < 1_000; i++) if (this.random() < profile.readRatio) reads++;
      if (requests > 1_000) reads = Math.round((reads / 1_000) * requests);
      let writes = requests - reads;
      const frozenWrites = record.writeFrozen ? writes : 0;
      writes -= frozenWrites;

      const wanted = reads + writes;
      const byRate = state.bucket.admit(wanted, seconds);
      const allowed = state.quota.admit(byRate, record.quotaPerDay, nowMs);
      const admittedReads = wanted === 0 ? 0 : Math.round((allowed * reads) / wanted);
      const admittedWrites = allowed - admittedReads;
      const routes = routesFor(record, this.entities);
      for (const route of routes) {
        const d = demand.get(route.storageInstanceId) ?? { read: 0, write: 0 };
        d.read += admittedReads * route.share * readUnits(profile.itemBytes, false);
        d.write += admittedWrites * route.share * writeUnits(profile.itemBytes);
        demand.set(route.storageInstanceId, d);
      }
      admitted.push({
        record,
        profile,
        reads: admittedReads,
        writes: admittedWrites,
        routes,
        result: {
          tenantId: record.tenantId,
          requests,
          reads,
          writes: requests - reads,
          planThrottled: wanted - allowed + frozenWrites,
          frozenWrites,
          capacityThrottled: 0,
          served: [],
          readUnits: 0,
          writeUnits: 0,
        },
      });
    }

    const instances = new Map<string, InstanceInterval & { readFraction: number; writeFraction: number }>();
    for (const [instanceId, d] of demand) {
      const capacity = capacityOf(instanceId);
      if (!capacity) {
        instances.set(instanceId, {
          storageInstanceId: instanceId,
          readUtilisation: 0,
          writeUtilisation: 0,
          queueDelayMs: 0,
          readFraction: 1,
          writeFraction: 1,
        });
        continue;
      }
      const budget = this.budgetFor(instanceId, capacity);
      const read = budget.read.consume(d.read, seconds);
      const write = budget.write.consume(d.write, seconds);
      const utilisation = Math.max(read.utilisation, write.utilisation);
      instances.set(instanceId, {
        storageInstanceId: instanceId,
        readUtilisation: read.utilisation,
        writeUtilisation: write.utilisation,
        queueDelayMs: queueingDelayMs(baseServiceMs, utilisation),
        readFraction: read.servedFraction,
        writeFraction: write.servedFraction,
      });
    }

    for (const entry of admitted) {
      const { result, profile } = entry;
      let remainingReads = entry.reads;
      let remainingWrites = entry.writes;
      entry.routes.forEach((route, index) => {
        const last = index === entry.routes.length - 1;
        const routeReads = last ? remainingReads : Math.round(entry.reads * route.share);
        const routeWrites = last ? remainingWrites : Math.round(entry.writes * route.share);
        remainingReads -= routeReads;
        remainingWrites -= routeWrites;
        const instance = instances.get(route.storageInstanceId)!;
        const servedReads = Math.floor(routeReads * instance.readFraction + this.random());
        const servedWrites = Math.floor(routeWrites * instance.writeFraction + this.random());
        const reads = Math.min(routeReads, servedReads);
        const writes = Math.min(routeWrites, servedWrites);
        result.capacityThrottled += routeReads - reads + (routeWrites - writes);
        result.served.push({ route, reads, writes, queueDelayMs: instance.queueDelayMs });
        result.readUnits += reads * readUnits(profile.itemBytes, false);
        result.writeUnits += writes * writeUnits(profile.itemBytes);
      });
    }

    return {
      tenants: admitted.map((entry) => entry.result),
      instances: [...instances.values()].map(({ readFraction: _r, writeFraction: _w, ...rest }) => rest),
    };
  }
}
