// The product's data model: its entities and item ids. How items are keyed is
// each storage instance's key scheme (lib/storage/key-scheme.ts); the helpers
// below are the default scheme's (`pk` = the tenant's key prefix + entity, a
// `tenantId` attribute), kept for the synthetic workload until it keys items
// through the data-plane library.

/** The entities of the product's data model; a bridge tenant silos one of them. */
export const tenantEntities = ["orders", "customers", "invoices", "events"] as const;
export type TenantEntity = (typeof tenantEntities)[number];

export function partitionKeyFor(keyPrefix: string, entity: TenantEntity): string {
  return `${keyPrefix}${entity}`;
}

/** The default scheme's writer guard: an item whose key is outside the tenant's prefix is never written. */
export function assertTenantOwnsKey(keyPrefix: string, tenantId: string, item: { pk: string; tenantId: string }): void {
  if (!item.pk.startsWith(keyPrefix) || item.tenantId !== tenantId) {
    throw new Error(`refusing to write ${item.pk} for tenant ${tenantId}: outside its key prefix ${keyPrefix}`);
  }
}

/** An item's sort key: zero-padded so a partition's items sort by id. */
export function itemIdFor(n: number): string {
  return String(n).padStart(8, "0");
}
