// Throttling-plan reads for the pages, shaped (db, params) like every catalog
// read. Changes to plans go through lib/throttling's requests.
import type { Db } from "../db/client";
import { slugPattern, type TierValue } from "./vocabulary";

const withTenantCount = { _count: { select: { tenants: true } } } as const;

/** Every plan, least generous first, with how many tenants it limits. */
export async function listPlans(db: Db) {
  return db.throttlingPlan.findMany({ orderBy: [{ ratePerSec: "asc" }, { id: "asc" }], include: withTenantCount });
}

export type PlanRow = Awaited<ReturnType<typeof listPlans>>[number];

/** One plan with its tenant count; null for an unknown id or one that cannot be a plan id. */
export async function getPlan(db: Db, { id }: { id: string }) {
  if (!slugPattern.test(id)) return null;
  return db.throttlingPlan.findUnique({ where: { id }, include: withTenantCount });
}

/** The plan a new tenant of each tier gets unless told otherwise. */
export async function defaultPlanIdsByTier(db: Db): Promise<Partial<Record<TierValue, string>>> {
  const plans = await db.throttlingPlan.findMany({ where: { defaultFor: { not: null } }, select: { id: true, defaultFor: true } });
  return Object.fromEntries(plans.map((plan) => [plan.defaultFor!, plan.id]));
}
