// Measures every active pool in a region for placement: tenant count from the
// catalog, 24 h p95 utilisation from each pool's consumed units in CloudWatch;
// and a tenant's own 24 h p95 load as it would weigh on another instance (for
// moving it: a migration's targets, a staged restore's placement).
import type { Db } from "../db/client";
import { busierUtilisation } from "../fairness/fairness";
import type { MetricsSource } from "../metrics/reader";
import { readMetrics, viewWindow } from "../metrics/source";
import { instanceKey, instanceQuery, seriesOf, tenantKey, tenantQuery } from "../metrics/usage";
import { quantile, type PoolCandidate } from "./placement";

export async function measurePools(db: Db, reader: MetricsSource, region: string, nowMs = Date.now()): Promise<PoolCandidate[]> {
  const pools = await db.storageInstance.findMany({
    where: { mode: "pool", status: "active", region },
    select: {
      id: true,
      region: true,
      readUnitsPerSec: true,
      writeUnitsPerSec: true,
      _count: { select: { tenants: { where: { status: { not: "offboarded" } } } } },
    },
    orderBy: { id: "asc" },
  });
  if (pools.length === 0) return [];
  const window = viewWindow("24h", nowMs);
  const read = await readMetrics(
    reader,
    pools.flatMap((p) => [instanceQuery(p.id, "read"), instanceQuery(p.id, "write")]),
    window,
  );
  return pools.map((pool) => {
    const reads = seriesOf(read, instanceKey(pool.id, "read"), "read", window.range);
    const writes = seriesOf(read, instanceKey(pool.id, "write"), "write", window.range);
    return {
      storageInstanceId: pool.id,
      region: pool.region,
      readUnitsPerSec: pool.readUnitsPerSec,
      writeUnitsPerSec: pool.writeUnitsPerSec,
      tenantCount: pool._count.tenants,
      p95Utilisation: quantile(busierUtilisation(reads, writes, pool, read.periodSeconds), 0.95),
    };
  });
}

/** The region's pools measured, and the tenant's own 24 h p95 load (in its current instance) as a fraction of a given capacity. */
export async function measureTenantLoads(
  db: Db,
  reader: MetricsSource,
  tenantId: string,
  source: { id: string; region: string },
  nowMs = Date.now(),
) {
  const window = viewWindow("24h", nowMs);
  const [pools, tenantRead] = await Promise.all([
    measurePools(db, reader, source.region, nowMs),
    readMetrics(reader, [tenantQuery(source.id, tenantId, "read"), tenantQuery(source.id, tenantId, "write")], window),
  ]);
  const tenantUnits = (metric: "read" | "write") => seriesOf(tenantRead, tenantKey(source.id, tenantId, metric), metric, window.range);
  const tenantLoadOn = (capacity: { readUnitsPerSec: number; writeUnitsPerSec: number }) =>
    quantile(busierUtilisation(tenantUnits("read"), tenantUnits("write"), capacity, tenantRead.periodSeconds), 0.95);
  return { pools, tenantLoadOn };
}
