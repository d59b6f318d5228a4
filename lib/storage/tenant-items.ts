// How tenant data is laid out in DynamoDB, pool and silo alike: partition key
// `pk` = the tenant's key prefix + entity, sort key `sk` = the item's id, and a
// `tenantId` attribute on every item. Silo tables use the same layout, so a
// migration between a pool and a silo is a straight copy.
export const partitionKeyName = "pk";
export const sortKeyName = "sk";
export const tenantIdAttribute = "tenantId";

/** The entities of the product's data model; a bridge tenant silos one of them. */
export const tenantEntities = ["orders", "customers", "invoices", "events"] as const;
export type TenantEntity = (typeof tenantEntities)[number];

export function partitionKeyFor(keyPrefix: string, entity: TenantEntity): string {
  return `${keyPrefix}${entity}`;
}

/** The guard every writer runs: an item whose key is outside the tenant's prefix is never written. */
export function assertTenantOwnsKey(keyPrefix: string, tenantId: string, item: { pk: string; tenantId: string }): void {
  if (!item.pk.startsWith(keyPrefix) || item.tenantId !== tenantId) {
    throw new Error(`refusing to write ${item.pk} for tenant ${tenantId}: outside its key prefix ${keyPrefix}`);
  }
}

/** An item's sort key: zero-padded so a partition's items sort by id. */
export function itemIdFor(n: number): string {
  return String(n).padStart(8, "0");
}
