// Onboarding: validate → place → provision → publish routing → seed → activate.
// The action has already written the tenant row (status provisioning, no
// placement), so the id is taken from the moment the request is accepted.
// The tenant's key prefix follows the key scheme of the instance it is placed
// in (a new silo keys items the default way; a bridge tenant's silo keys them
// as its pool does, and the pool must have one partition per entity).
import { z } from "zod";
import { deploymentModels, slugPattern, tiers } from "../catalog/vocabulary";
import { getRoutingRecord, updateRoutingRecord } from "../routing/routing-table";
import { publishTenantRouting } from "../routing/publish";
import { seedTenantItems } from "../storage/seed-tenant";
import { operationLabel, tenantData } from "../operations/tenant-data";
import { tenantEntities } from "../storage/tenant-items";
import { ensureTenantTable } from "../storage/tenant-tables";
import { defineStep, StepFailure, type OperationDefinition, type StepContext } from "../operations/definition";
import { choosePool, defaultPlacementOptions } from "../placement/placement";
import { measurePools } from "../placement/pool-headroom";
import { siloInstanceFor } from "../placement/silo";
import { requirePlan, tenantIn } from "../operations/preconditions";
import { defaultKeyScheme, describeKeyScheme, partitionShape, storedKeyScheme, tenantKeyPrefix } from "../storage/key-scheme";
import type { Db } from "../db/client";
import { auditTarget } from "../audit/record";
import { tenantInstanceTargets } from "../operations/audit-targets";

/** The key scheme of a storage instance in the catalog (the default when it has none, or is not there yet). */
async function instanceScheme(db: Db, id: string | null) {
  if (!id) return defaultKeyScheme;
  const instance = await db.storageInstance.findUnique({ where: { id }, select: { keyScheme: true } });
  return storedKeyScheme(instance?.keyScheme ?? null);
}

export const onboardParameters = z.object({
  tenantId: z.string().regex(slugPattern),
  name: z.string().min(1),
  tier: z.enum(tiers),
  deploymentModel: z.enum(deploymentModels),
  region: z.string().min(1),
  planId: z.string().min(1),
  bridgeEntity: z.enum(tenantEntities).nullable(),
});

export type OnboardParameters = z.infer<typeof onboardParameters>;

/** Chooses the tenant's pool (by measured headroom) and names its silo, if it has one. */
const placeStep = defineStep({
  name: "place",
  label: "Choose placement",
  changesTenant: false,
  output: z.object({ poolId: z.string().nullable(), siloId: z.string().nullable(), reason: z.string() }),
  async run({ parameters: p, deps }: StepContext<OnboardParameters>) {
    let poolId: string | null = null;
    let reason = "";
    if (p.deploymentModel !== "silo") {
      const plan = await deps.db.throttlingPlan.findUniqueOrThrow({ where: { id: p.planId } });
      let pools = await measurePools(deps.db, deps.metrics, p.region, deps.now());
      if (p.deploymentModel === "bridge") {
        // A bridge tenant silos one entity: only a pool with one partition per entity can hand an entity over.
        const schemes = await deps.db.storageInstance.findMany({
          where: { id: { in: pools.map((pool) => pool.storageInstanceId) } },
          select: { id: true, keyScheme: true },
        });
        const entityPools = new Set(schemes.filter((i) => partitionShape(storedKeyScheme(i.keyScheme)) === "entity").map((i) => i.id));
        const refused = pools.filter((pool) => !entityPools.has(pool.storageInstanceId));
        pools = pools.filter((pool) => entityPools.has(pool.storageInstanceId));
        if (pools.length === 0)
          throw new StepFailure(
            `no pool in ${p.region} can hold a bridge tenant: the bridge model silos one entity, which needs a key template with {entity} (one partition per entity); ${
              refused.length
                ? refused
                    .map(
                      (pool) =>
                        `${pool.storageInstanceId} keys ${describeKeyScheme(storedKeyScheme(schemes.find((i) => i.id === pool.storageInstanceId)?.keyScheme ?? null))}`,
                    )
                    .join("; ")
                : "there is no pool"
            }`,
          );
      }
      const placement = choosePool(pools, p.region, plan.ratePerSec, defaultPlacementOptions);
      if (!placement.ok) throw new StepFailure(placement.reason);
      poolId = placement.choice.storageInstanceId;
      reason =
        `${poolId}: ${Math.round(placement.choice.utilisationBefore * 100)} % busy at its 24 h p95, ` +
        `${Math.round(placement.choice.utilisationAfter * 100)} % with this tenant (${placement.considered.length} pools in ${p.region} measured)`;
    }
    const siloId = p.deploymentModel === "pool" ? null : siloInstanceFor(p.tenantId, p.region).id;
    if (siloId)
      reason = [reason, p.deploymentModel === "bridge" ? `${p.bridgeEntity ?? "orders"} in ${siloId}` : `own table ${siloId}`]
        .filter(Boolean)
        .join("; ");
    return { output: { poolId, siloId, reason }, detail: reason };
  },
});

export const onboardOperation: OperationDefinition<OnboardParameters> = {
  kind: "onboard",
  parameters: onboardParameters,
  targets: async (tx, p) => [auditTarget("plan", p.planId), ...(await tenantInstanceTargets(tx, p.tenantId))],
  describe: (p) => `${p.tenantId} as ${p.deploymentModel} in ${p.region} on plan ${p.planId}`,
  onCancel: async (tx, p) => {
    // Nothing was provisioned; the id stays reserved (ids are never reused), the tenant is marked offboarded.
    await tx.tenant.updateMany({ where: { id: p.tenantId, status: "provisioning" }, data: { status: "offboarded" } });
  },
  steps: [
    {
      name: "validate",
      label: "Validate",
      changesTenant: false,
      async run({ parameters: p, deps }) {
        await tenantIn(deps, p.tenantId, ["provisioning"], "onboarding");
        await requirePlan(deps, p.planId);
        return { detail: `${p.tenantId}: ${p.deploymentModel} tenant, plan ${p.planId}` };
      },
    },
    placeStep,
    {
      name: "provision",
      label: "Provision storage",
      changesTenant: true,
      async run({ parameters: p, deps, output }) {
        const place = output(placeStep);
        // The pool's scheme for pool and bridge tenants (a bridge silo keys its entity as the pool does); a new silo's default.
        const keyScheme = await instanceScheme(deps.db, place.poolId);
        if (p.deploymentModel === "bridge" && partitionShape(keyScheme) !== "entity")
          throw new StepFailure(
            `${place.poolId} keys items as ${describeKeyScheme(keyScheme)}; a bridge tenant needs a pool whose template has {entity}`,
          );
        const silo = place.siloId ? siloInstanceFor(p.tenantId, p.region, keyScheme) : null;
        if (silo) await ensureTenantTable(deps.dynamoDb(silo.region), silo.tableName, silo, { keyScheme });
        const keyPrefix = tenantKeyPrefix(keyScheme, p.tenantId);
        return {
          detail: `${silo ? `table ${silo.tableName} is active` : `pooled in ${place.poolId}`}; keys under ${keyPrefix}`,
          catalog: async (tx) => {
            if (silo) await tx.storageInstance.createMany({ data: [silo], skipDuplicates: true });
            const placement =
              p.deploymentModel === "silo"
                ? { storageInstanceId: silo!.id }
                : p.deploymentModel === "bridge"
                  ? { storageInstanceId: place.poolId, bridgeInstanceId: silo!.id, bridgeEntity: p.bridgeEntity ?? "orders" }
                  : { storageInstanceId: place.poolId };
            await tx.tenant.update({ where: { id: p.tenantId }, data: { ...placement, keyPrefix } });
          },
        };
      },
    },
    {
      name: "publish",
      label: "Publish routing record",
      changesTenant: true,
      async run({ parameters: p, deps }) {
        const record = await publishTenantRouting(deps.db, deps.dynamoDb(deps.routingRegion), p.tenantId, deps.routingTable);
        if (!record) throw new StepFailure(`tenant ${p.tenantId} has no placement to publish`);
        return {
          detail: `version ${record.version}: ${record.ratePerSec} req/s, burst ${record.burst}, ${record.quotaPerDay.toLocaleString("en-US")} a day`,
        };
      },
    },
    {
      name: "seed",
      label: "Seed initial data",
      changesTenant: true,
      async run({ parameters: p, deps, progress, operation }) {
        const record = await getRoutingRecord(deps.dynamoDb(deps.routingRegion), p.tenantId, deps.routingTable);
        if (!record) throw new StepFailure(`tenant ${p.tenantId} has no routing record`);
        const tables = [record.placement, ...(record.bridge ? [record.bridge] : [])];
        const data = tenantData(deps, {
          tenantId: record.tenantId,
          keyScheme: record.keyScheme,
          operation: operationLabel(operation),
          tables,
        });
        const seeded = await seedTenantItems(data, record, async (done, total) => {
          await deps.faultPoint?.("mid");
          await progress(done / total, `${done} of ${total} items`);
        });
        return { detail: `${seeded.written} items written${seeded.existed ? `, ${seeded.existed} already there` : ""}` };
      },
    },
    {
      name: "activate",
      label: "Activate",
      changesTenant: true,
      async run({ parameters: p, deps }) {
        const client = deps.dynamoDb(deps.routingRegion);
        const current = await getRoutingRecord(client, p.tenantId, deps.routingTable);
        if (current?.status !== "active") {
          await updateRoutingRecord(
            client,
            p.tenantId,
            ({ version: _v, updatedAt: _u, ...content }) => ({ ...content, status: "active" }),
            deps.routingTable,
          );
        }
        return {
          detail: "serving: the data plane picks it up within its routing cache time",
          catalog: async (tx) => {
            await tx.tenant.update({ where: { id: p.tenantId }, data: { status: "active" } });
          },
        };
      },
    },
  ],
};
