// The cost estimate for 10,000 tenants (issue 19: under 1 s): the database
// read (the month's rolled-up usage summed in SQL, backups held, tenants,
// instances, price overrides) and the pure computation (every tenant's month
// so far, projection and cost against plan, sorted), printed apart, on
// PostgreSQL 15 and on embedded PGlite. The month is 27.5 days in: 280,000
// TenantUsageDay rows. BENCH_DATABASES=postgresql-15 (or pglite) measures one.
import { testDatabases } from "../lib/db/__tests__/databases";
import { estimateFleet } from "../lib/cost/estimate";
import { sortTenantCosts } from "../lib/cost/list-params";
import { loadEstimateInput } from "../lib/cost/queries";
import { percentile, report, timed } from "./stats";
import { startCatalogOfTenants } from "./support/ten-thousand-tenants";

const tenantCount = 10_000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const only = process.env.BENCH_DATABASES?.split(",");
const dayMs = 86_400_000;
// 27 days and 12 hours into November 2026.
const now = Date.UTC(2026, 10, 28, 12);
const settings = { pointInTime: true, rollsPerDay: 5 };

for (const target of testDatabases.filter((t) => !only || only.includes(t.name))) {
  const started = await startCatalogOfTenants(target, tenantCount, "cost");
  if (!started) continue;
  const { database } = started;
  try {
    const { db } = database;
    const placements = await db.tenant.findMany({ select: { id: true, storageInstanceId: true } });
    const pairs = placements.filter((p) => p.storageInstanceId).map((p) => ({ tenantId: p.id, instance: p.storageInstanceId! }));
    const seeded = await timed(async () => {
      for (let d = 0; d < 28; d++) {
        const day = new Date(Date.UTC(2026, 10, 1) + d * dayMs).toISOString().slice(0, 10);
        const hours = d === 27 ? 12 : 24;
        for (let i = 0; i < pairs.length; i += 5_000) {
          const batch = pairs.slice(i, i + 5_000);
          const values = batch.map((_, k) => 1_000 + ((i + k) % 97) * 50);
          await db.$executeRaw`
            INSERT INTO "TenantUsageDay" ("tenantId", "day", "storageInstanceId", "requests", "readUnits", "writeUnits", "storedBytes", "storedItems", "coveredHours", "updatedAt")
            SELECT t.tenant, ${day}::date, t.instance, t.v * 2, t.v, t.v / 4, t.v * 1000, t.v, ${hours}, now()
            FROM unnest(${batch.map((p) => p.tenantId)}::text[], ${batch.map((p) => p.instance)}::text[], ${values}::float8[]) AS t(tenant, instance, v)`;
        }
      }
    });
    report(`cost-seed-rows-${target.name}`, pairs.length * 28, "rows");
    report(`cost-seed-${target.name}`, seeded.ms, "ms");
    await db.$executeRawUnsafe(`ANALYZE "TenantUsageDay"`);

    const reads: number[] = [];
    const computes: number[] = [];
    const computeCpu: number[] = [];
    const totals: number[] = [];
    for (let round = -2; round < rounds; round++) {
      const read = await timed(() => loadEstimateInput(db, now, settings));
      const cpu = process.cpuUsage();
      const compute = await timed(async () => {
        const estimate = estimateFleet(read.result.input);
        return sortTenantCosts(estimate.tenants, "againstPlan", "desc");
      });
      const used = process.cpuUsage(cpu);
      if (round === -2 && compute.result.length !== tenantCount)
        throw new Error(`estimated ${compute.result.length} tenants, not ${tenantCount}`);
      if (round < 0) continue;
      reads.push(read.ms);
      computes.push(compute.ms);
      computeCpu.push((used.user + used.system) / 1000);
      totals.push(read.ms + compute.ms);
    }
    report(`cost-10k-db-read-p50-${target.name}`, percentile(reads, 50), "ms");
    report(`cost-10k-compute-p50-${target.name}`, percentile(computes, 50), "ms");
    // On a shared machine the wall time above waits for a core; this is the computation's own CPU time.
    report(`cost-10k-compute-cpu-p50-${target.name}`, percentile(computeCpu, 50), "ms");
    report(`cost-10k-total-p50-${target.name}`, percentile(totals, 50), "ms");
    report(`cost-10k-total-max-${target.name}`, Math.max(...totals), "ms");
  } finally {
    await database.stop();
  }
}
