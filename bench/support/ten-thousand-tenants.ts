// A catalog of the demo fleet grown to `tenantCount` tenants on the demo's pools, in one of the test databases: what
// the catalog benchmarks (tenant list, cost estimate) read. Null, after saying why, when that database cannot start.
import type { TestDatabase, TestDatabaseTarget } from "../../lib/db/__tests__/databases";
import { demoPools, generateFleet, generateTenants } from "../../prisma/demo-fleet";
import { insertTenants, seedCatalog } from "../../prisma/seed-catalog";
import { timed } from "../stats";

export async function startCatalogOfTenants(
  target: TestDatabaseTarget,
  tenantCount: number,
  bench: string,
): Promise<{ database: TestDatabase; insertMs: number } | null> {
  let database: TestDatabase;
  try {
    database = await target.start();
  } catch (error) {
    console.error(`${bench}: ${target.name} not measured: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  try {
    const fleet = generateFleet();
    await seedCatalog(database.db, fleet);
    const extra = generateTenants(
      tenantCount - fleet.tenants.length,
      42,
      demoPools.map((p) => p.id),
    );
    const inserted = await timed(() => insertTenants(database.db, extra));
    return { database, insertMs: inserted.ms };
  } catch (error) {
    await database.stop();
    throw error;
  }
}
