// The tenant list over 10,000 tenants: server time of listTenants (count + page,
// through Prisma and the pg driver adapter over a socket, as the console runs it)
// on embedded PGlite and on PostgreSQL 15.
import { testDatabases } from "../lib/db/__tests__/databases";
import { defaultTenantListParams, type TenantListParams } from "../lib/catalog/tenant-list-params";
import { listTenants } from "../lib/catalog/tenants";
import { demoPools } from "../prisma/demo-fleet";
import { percentile, report, timed } from "./stats";
import { startCatalogOfTenants } from "./support/ten-thousand-tenants";

const tenantCount = 10_000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);

const views: Record<string, Partial<TenantListParams>> = {
  "first-page": {},
  "search-name": { q: "logis" },
  "search-id": { q: "t4821" },
  "search-and-tier": { q: "mar", tier: "standard" },
  "deep-page": { page: 150 },
  "sort-status-desc": { sort: "status", dir: "desc" },
  "instance-filter": { instance: demoPools[1]!.id, sort: "created", dir: "desc" },
};

for (const target of testDatabases) {
  const started = await startCatalogOfTenants(target, tenantCount, "tenant-list");
  if (!started) continue;
  const { database } = started;
  try {
    const { db } = database;
    report(`tenant-seed-10k-${target.name}`, started.insertMs, "ms");
    await db.$executeRawUnsafe(`ANALYZE "Tenant"`);

    const samples: number[] = [];
    const searchSamples: number[] = [];
    for (let round = -3; round < rounds; round++) {
      for (const [name, view] of Object.entries(views)) {
        const { ms, result } = await timed(() => listTenants(db, { ...defaultTenantListParams, ...view }));
        if (round === -3 && result.total === 0) throw new Error(`view ${name} matched no tenants: the benchmark would measure nothing`);
        if (round < 0) continue; // warm-up
        samples.push(ms);
        if (name.startsWith("search")) searchSamples.push(ms);
      }
    }
    report(`tenant-list-p50-${target.name}`, percentile(samples, 50), "ms");
    report(`tenant-list-p95-${target.name}`, percentile(samples, 95), "ms");
    report(`tenant-search-p95-${target.name}`, percentile(searchSamples, 95), "ms");
  } finally {
    await database.stop();
  }
}
