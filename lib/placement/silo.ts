// Where a tenant's own storage goes: onboarding a silo, and migrating a tenant to a silo of its own;
// and retiring a storage instance its tenants have left.
import type { Prisma } from "../generated/prisma/client.ts";
import { defaultKeyScheme, isDefaultKeyScheme, type KeyScheme } from "../storage/key-scheme";

/**
 * A silo tenant's own storage instance (and a bridge tenant's table for its
 * siloed entity), keyed as `keyScheme` says: a tenant's silo keys its items as
 * the instance they come from, so they copy verbatim. The catalog stores the
 * default scheme as null.
 */
export function siloInstanceFor(tenantId: string, region: string, keyScheme: KeyScheme = defaultKeyScheme) {
  return {
    id: `silo-${tenantId}`.slice(0, 63).replace(/-+$/, ""),
    tableName: `tsc-silo-${tenantId}`,
    mode: "silo" as const,
    // On demand, with DynamoDB's default ceiling for a new table: a silo tenant is limited by its plan, not its table.
    capacityMode: "on_demand" as const,
    readUnitsPerSec: 12_000,
    writeUnitsPerSec: 4_000,
    region,
    keyScheme: isDefaultKeyScheme(keyScheme) ? undefined : { ...keyScheme },
  };
}

/** Marks a storage instance retired once no tenant is placed in it (a silo its tenant left). */
export async function retireIfUnused(tx: Prisma.TransactionClient, instanceId: string): Promise<void> {
  const inUse = await tx.tenant.count({ where: { OR: [{ storageInstanceId: instanceId }, { bridgeInstanceId: instanceId }] } });
  if (inUse === 0) await tx.storageInstance.update({ where: { id: instanceId }, data: { status: "retired" } });
}
