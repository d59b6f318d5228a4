// The metric contract between the data plane and the console: what a SaaS
// publishes per tenant (docs/metric-contract.md), in one CloudWatch namespace
// (lib/metrics/namespace.ts). Pure: the data-plane library publishes with it.

/** The namespace the console reads unless TENANT_METRICS_NAMESPACE says otherwise. */
export const defaultMetricsNamespace = "TenantStorage";

export const dimensionTenant = "TenantId";
export const dimensionInstance = "StorageInstance";

/** Per tenant, dimensions TenantId + StorageInstance; per instance (totals), StorageInstance alone. */
export const tenantMetrics = {
  /** Requests the tenant's application made, served or not. */
  requests: { name: "Requests", unit: "Count" },
  /** Requests refused: by the tenant's plan (rate, burst, daily quota), by the instance's capacity, or by a write freeze. */
  throttled: { name: "ThrottledRequests", unit: "Count" },
  /** The part of ThrottledRequests refused because the storage instance was over capacity. */
  capacityThrottled: { name: "CapacityThrottledRequests", unit: "Count" },
  consumedReadUnits: { name: "ConsumedReadCapacityUnits", unit: "Count" },
  consumedWriteUnits: { name: "ConsumedWriteCapacityUnits", unit: "Count" },
  /** Per served request, as values and counts so percentiles (p50, p99) work. */
  latency: { name: "Latency", unit: "Milliseconds" },
  storedItems: { name: "StoredItems", unit: "Count" },
  storedBytes: { name: "StoredBytes", unit: "Bytes" },
} as const;

export const instanceMetrics = [
  tenantMetrics.requests,
  tenantMetrics.throttled,
  tenantMetrics.capacityThrottled,
  tenantMetrics.consumedReadUnits,
  tenantMetrics.consumedWriteUnits,
  tenantMetrics.latency,
] as const;

export type TenantMetric = (typeof tenantMetrics)[keyof typeof tenantMetrics];

/** The units CloudWatch accepts (its StandardUnit), for checking what is published. */
export const cloudWatchUnits: ReadonlySet<string> = new Set([
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
]);
