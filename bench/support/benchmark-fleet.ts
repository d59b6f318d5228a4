// The benchmark's fleet: 10,000 pooled tenants on 100 provisioned pools, and
// 24 h of their per-minute metrics, generated the same way (deterministically)
// in the bench process (catalog) and the endpoint process (metrics).
import { prng } from "../../lib/random";
import { demoPlans, generateTenants, type DemoFleet, type DemoInstance } from "../../prisma/demo-fleet";

export const poolCount = Number(process.env.BENCH_POOLS ?? 100);
export const tenantsPerPool = Number(process.env.BENCH_TENANTS_PER_POOL ?? 100);
export const historyMinutes = 24 * 60;
/** Every twentieth pool has one tenant that overruns it for 10 minutes in every hour. */
export const noisyEvery = 20;
export const poolReadUnits = 150;
export const poolWriteUnits = 75;

export function benchmarkFleet(): DemoFleet {
  const instances: DemoInstance[] = Array.from({ length: poolCount }, (_, i) => {
    const id = `bench-pool-${String(i).padStart(3, "0")}`;
    return {
      id,
      tableName: `tsc-${id}`,
      mode: "pool",
      capacityMode: "provisioned",
      readUnitsPerSec: poolReadUnits,
      writeUnitsPerSec: poolWriteUnits,
      region: "us-east-1",
      createdAt: new Date(Date.UTC(2026, 0, 1)),
    };
  });
  const tenants = generateTenants(
    poolCount * tenantsPerPool,
    7,
    instances.map((i) => i.id),
  ).map((tenant, i) => ({ ...tenant, storageInstanceId: instances[i % poolCount]!.id, status: "active" as const }));
  return { plans: demoPlans, instances, tenants, users: [] };
}

export interface TenantMinute {
  requests: number;
  readUnits: number;
  writeUnits: number;
  capacityThrottled: number;
  /** Latency values and their counts, ms. */
  latency: { values: number[]; counts: number[] };
}

/**
 * Per pool, per minute, each tenant's measured metrics: a steady lognormal
 * base rate with noise; on noisy pools, tenant 0 writes 60 WCU/s extra for
 * 10 minutes each hour, and the pool refuses everyone's excess in proportion.
 */
export function* poolHistory(poolIndex: number, startMs: number): Generator<{ minuteMs: number; tenants: TenantMinute[] }> {
  const random = prng(1000 + poolIndex);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const base = Array.from({ length: tenantsPerPool }, () => Math.exp(0.8 * gauss()) * 60);
  const noisy = poolIndex % noisyEvery === 0;
  for (let m = 0; m < historyMinutes; m++) {
    const minuteMs = startMs + m * 60_000;
    const bursting = noisy && Math.floor(minuteMs / 60_000) % 60 < 10;
    const demand = base.map((mean, t) => {
      const requests = Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
      const extraWrites = bursting && t === 0 ? 60 * 60 : 0;
      return { requests: requests + (extraWrites ? extraWrites : 0), read: 0.6 * requests, write: 0.4 * requests + extraWrites };
    });
    const writeDemand = demand.reduce((s, d) => s + d.write, 0);
    const readDemand = demand.reduce((s, d) => s + d.read, 0);
    const served = Math.min(1, (poolWriteUnits * 60) / writeDemand, (poolReadUnits * 60) / readDemand);
    const tenants = demand.map((d): TenantMinute => {
      const refused = Math.round(d.requests * (1 - served));
      const slow = served < 1;
      const n = Math.max(0, d.requests - refused);
      const tail = Math.min(n, Math.max(n > 0 ? 1 : 0, Math.round(n * 0.01)));
      return {
        requests: d.requests,
        readUnits: Math.round(d.read * served),
        writeUnits: Math.round(d.write * served),
        capacityThrottled: refused,
        latency: { values: slow ? [45, 420] : [6, 28], counts: [n - tail, tail] },
      };
    });
    yield { minuteMs, tenants };
  }
}
