import type { Db } from "../db/client";
import { deploymentModels, tenantStatuses, tiers } from "./vocabulary";

function countsBy<K extends string>(keys: readonly K[], rows: { key: K; count: number }[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const row of rows) counts[row.key] = row.count;
  return counts;
}

/** Catalog counts for the overview: tenants by status, tier and model; instances by mode; offboardings under way. */
export async function fleetSummary(db: Db) {
  const [byStatus, byTier, byModel, byMode, offboarding] = await Promise.all([
    db.tenant.groupBy({ by: ["status"], _count: { _all: true } }),
    db.tenant.groupBy({ by: ["tier"], _count: { _all: true } }),
    db.tenant.groupBy({ by: ["deploymentModel"], _count: { _all: true } }),
    db.storageInstance.groupBy({ by: ["mode"], _count: { _all: true } }),
    // Requested, approved or in their grace period: each holds its tenant until it ends.
    db.operation.count({ where: { kind: "offboard", activeTenantId: { not: null } } }),
  ]);
  const status = countsBy(
    tenantStatuses,
    byStatus.map((r) => ({ key: r.status, count: r._count._all })),
  );
  return {
    tenants: Object.values(status).reduce((a, b) => a + b, 0),
    status,
    offboarding,
    tier: countsBy(
      tiers,
      byTier.map((r) => ({ key: r.tier, count: r._count._all })),
    ),
    model: countsBy(
      deploymentModels,
      byModel.map((r) => ({ key: r.deploymentModel, count: r._count._all })),
    ),
    instances: countsBy(
      ["pool", "silo"] as const,
      byMode.map((r) => ({ key: r.mode, count: r._count._all })),
    ),
  };
}

export async function latestOperations(db: Db, take = 10) {
  return db.operation.findMany({
    orderBy: { createdAt: "desc" },
    take,
    include: { requestedBy: { select: { email: true } } },
  });
}
