// @tenant-storage-console/data-plane: the one entry module of the data-plane
// library a SaaS service installs (docs/data-plane.md).
export { createDataPlane, DataPlane, type DataPlaneOptions } from "./data-plane";
export { TenantClient, type Condition, type Placement, type QueryOptions, type SortKeyCondition, type WriteReceipt } from "./tenant-client";
export {
  TenantDataError,
  TenantJournalUnavailableError,
  TenantRoutingUnavailableError,
  TenantThrottledError,
  TenantUnavailableError,
  TenantWriteFrozenError,
} from "./errors";
export type { MetricsOptions } from "./metrics";
export type { CredentialsProvider, TenantCredentialsRequest } from "./credentials";
export { fromAttributeValues, toAttributeValues, type Item, type NativeValue } from "./values";
export { TenantScopeViolation } from "../storage/tenant-scope";
export type { RoutingRecord } from "../routing/record";
export { movingRoutingTtlMs, routingCacheTtlMs } from "../routing/record";
export { readerLeaseMs } from "../routing/reader-state";
export type { KeyScheme } from "../storage/key-scheme";
