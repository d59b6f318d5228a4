// The routing record: what the data plane (the tenants' application) reads to
// find a tenant's placement and limits. The console publishes it; operations
// change it (placement at migration cut-over, the write freeze, plan limits).
import { z } from "zod";
import { defaultKeyScheme, keySchemeSchema, storedKeyScheme } from "../storage/key-scheme";
import { tenantEntities } from "../storage/tenant-items";

/** The data plane re-reads routing at most this often; a flipped flag is seen everywhere after it. */
export const routingCacheTtlMs = 5_000;
/**
 * Records of a tenant an operation is moving (status migrating or restoring)
 * are re-read this often, so a write freeze takes effect within a fraction of
 * a second instead of a whole cache lifetime.
 */
export const movingRoutingTtlMs = 100;

const placementSchema = z.object({
  storageInstanceId: z.string().min(1),
  tableName: z.string().min(3).max(255),
  region: z.string().min(1),
});

export const routingRecordSchema = z.object({
  tenantId: z.string().min(1),
  version: z.number().int().min(1),
  status: z.enum(["provisioning", "active", "migrating", "restoring", "suspended", "offboarded"]),
  deploymentModel: z.enum(["silo", "pool", "bridge"]),
  keyPrefix: z.string().min(2),
  /** How the tenant's items are keyed at its placement (records written before key schemes read as the default). */
  keyScheme: keySchemeSchema.default(defaultKeyScheme),
  placement: placementSchema,
  /** Bridge tenants: this entity lives in its own table, the rest in `placement`. */
  bridge: placementSchema.extend({ entity: z.enum(tenantEntities) }).nullable(),
  ratePerSec: z.number().int().min(0),
  burst: z.number().int().min(0),
  quotaPerDay: z.number().int().min(0),
  writeFrozen: z.boolean(),
  /** When the current write freeze began (null when not frozen); the freeze's duration is measured from it. */
  frozenSince: z.string().nullable().default(null),
  /** While suspended: why the data plane refuses the tenant (e.g. "unpaid invoice"), told to its callers; null otherwise. */
  suspendedReason: z.string().nullable().default(null),
  /**
   * While an operation moves the tenant: the id of the write journal every data-plane reader keeps for it
   * (lib/routing/journal-entry.ts); null when none is kept.
   */
  journal: z.string().min(1).max(200).nullable().default(null),
  updatedAt: z.string(),
});

export type RoutingRecord = z.infer<typeof routingRecordSchema>;
export type RoutingContent = Omit<RoutingRecord, "version" | "updatedAt">;

/** A tenant an operation is moving: its placement and freeze belong to that operation, not to the catalog. */
export function isMoving(record: Pick<RoutingRecord, "status">): boolean {
  return record.status === "migrating" || record.status === "restoring";
}

/**
 * A record the data plane re-reads every movingRoutingTtlMs and acknowledges
 * (lib/routing/readers.ts): a moving tenant's, or a frozen one's (the
 * integration check freezes a tenant that is not moving).
 */
export function isWatched(record: Pick<RoutingRecord, "status" | "writeFrozen">): boolean {
  return isMoving(record) || record.writeFrozen;
}

/** The tenant states in which the data plane serves a tenant's requests. */
export function isServing(record: RoutingRecord): boolean {
  return record.status === "active" || record.status === "migrating" || record.status === "restoring";
}

export function sameRouting(a: RoutingContent, b: RoutingContent): boolean {
  const place = (p: z.infer<typeof placementSchema> | null) => (p ? [p.storageInstanceId, p.tableName, p.region] : null);
  const key = (r: RoutingContent) =>
    JSON.stringify([
      r.tenantId,
      r.status,
      r.deploymentModel,
      r.keyPrefix,
      r.keyScheme,
      place(r.placement),
      place(r.bridge),
      r.bridge?.entity ?? null,
      r.ratePerSec,
      r.burst,
      r.quotaPerDay,
      r.writeFrozen,
      r.frozenSince,
      r.suspendedReason,
      r.journal,
    ]);
  return key(a) === key(b);
}

interface CatalogTenant {
  id: string;
  status: RoutingRecord["status"];
  deploymentModel: RoutingRecord["deploymentModel"];
  keyPrefix: string | null;
  /** Published only while the tenant is suspended. */
  suspendedReason?: string | null;
  bridgeEntity: string | null;
  plan: { ratePerSec: number; burst: number; quotaPerDay: number };
  storageInstance: { id: string; tableName: string; region: string; keyScheme?: unknown } | null;
  bridgeInstance: { id: string; tableName: string; region: string } | null;
}

/**
 * The routing content the catalog implies for a tenant; null while it has no
 * placement yet. `current` is the published record: its write freeze is kept,
 * and while an operation moves the tenant (the catalog says migrating or
 * restoring) so are its status and placement, which the operation switches
 * itself in one write; only the plan limits follow the catalog then.
 */
export function routingContentFor(tenant: CatalogTenant, current: RoutingRecord | null = null): RoutingContent | null {
  const content = catalogRoutingContent(tenant);
  if (!content || !current) return content;
  const freeze = { writeFrozen: current.writeFrozen, frozenSince: current.frozenSince };
  if (tenant.status !== "migrating" && tenant.status !== "restoring") return { ...content, ...freeze };
  return {
    ...content,
    ...freeze,
    status: current.status,
    deploymentModel: current.deploymentModel,
    placement: current.placement,
    bridge: current.bridge,
    journal: current.journal,
  };
}

function catalogRoutingContent(tenant: CatalogTenant): RoutingContent | null {
  if (!tenant.storageInstance || !tenant.keyPrefix) return null;
  const entity = tenantEntities.find((e) => e === tenant.bridgeEntity);
  return {
    tenantId: tenant.id,
    status: tenant.status,
    deploymentModel: tenant.deploymentModel,
    keyPrefix: tenant.keyPrefix,
    keyScheme: storedKeyScheme(tenant.storageInstance.keyScheme),
    placement: {
      storageInstanceId: tenant.storageInstance.id,
      tableName: tenant.storageInstance.tableName,
      region: tenant.storageInstance.region,
    },
    bridge:
      tenant.bridgeInstance && entity
        ? {
            entity,
            storageInstanceId: tenant.bridgeInstance.id,
            tableName: tenant.bridgeInstance.tableName,
            region: tenant.bridgeInstance.region,
          }
        : null,
    ratePerSec: tenant.plan.ratePerSec,
    burst: tenant.plan.burst,
    quotaPerDay: tenant.plan.quotaPerDay,
    writeFrozen: false,
    frozenSince: null,
    suspendedReason: tenant.status === "suspended" ? (tenant.suspendedReason ?? null) : null,
    journal: null,
  };
}
