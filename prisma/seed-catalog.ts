// Idempotent seed: creates what is missing and leaves existing rows exactly as
// they are, so a re-seed never undoes what operations changed since.
import { hashPassword } from "../lib/auth/passwords";
import type { Db } from "../lib/db/client";
import { nameKey } from "../lib/validation/names";
import { generateFleet, type DemoFleet, type DemoTenant } from "./demo-fleet";

export interface SeedSummary {
  plans: number;
  instances: number;
  tenants: number;
  users: number;
}

const batchSize = 1_000;

/** Inserts tenants that do not exist yet, in batches (each a short statement: PGlite serialises connections). */
export async function insertTenants(db: Db, tenants: DemoTenant[]): Promise<number> {
  let created = 0;
  for (let i = 0; i < tenants.length; i += batchSize) {
    const result = await db.tenant.createMany({
      data: tenants.slice(i, i + batchSize).map((tenant) => ({ ...tenant, nameKey: nameKey(tenant.name) })),
      skipDuplicates: true,
    });
    created += result.count;
  }
  return created;
}

export async function seedCatalog(db: Db, fleet: DemoFleet = generateFleet()): Promise<SeedSummary> {
  const plans = await db.throttlingPlan.createMany({
    data: fleet.plans.map((plan) => ({ ...plan, nameKey: nameKey(plan.name) })),
    skipDuplicates: true,
  });
  const instances = await db.storageInstance.createMany({ data: fleet.instances, skipDuplicates: true });
  const tenants = await insertTenants(db, fleet.tenants);
  const existing = new Set(
    (await db.user.findMany({ where: { email: { in: fleet.users.map((u) => u.email) } }, select: { email: true } })).map((u) => u.email),
  );
  const missing = fleet.users.filter((user) => !existing.has(user.email));
  const users = await db.user.createMany({
    data: await Promise.all(
      missing.map(async (user) => ({
        email: user.email,
        name: user.name,
        role: user.role,
        passwordHash: await hashPassword(user.password),
      })),
    ),
    skipDuplicates: true,
  });
  return { plans: plans.count, instances: instances.count, tenants, users: users.count };
}
