// The worker's dependencies as a deployment configures them: DATABASE_URL,
// the standard AWS variables, TENANT_ROUTING_TABLE, PLAN_ENFORCEMENT.
import { cloudWatchClient, defaultRegion, dynamoDbClient } from "../aws/clients";
import { createDb } from "../db/client";
import { metricsNamespace } from "../metrics/contract";
import { MetricsReader } from "../metrics/reader";
import { routingCacheTtlMs } from "../routing/record";
import { routingTableName } from "../routing/routing-table";
import { planEnforcementFromEnv } from "../throttling/enforcement";
import type { OperationDeps } from "./deps";

export function operationDepsFromEnv(env: Record<string, string | undefined> = process.env): OperationDeps {
  const url = env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new Error("DATABASE_URL must be set to a postgresql:// URL");
  const poolSize = Number(env.WORKER_DATABASE_POOL_SIZE ?? 3);
  return {
    db: createDb(url, Number.isInteger(poolSize) && poolSize > 0 ? poolSize : 3),
    dynamoDb: dynamoDbClient,
    metrics: new MetricsReader(cloudWatchClient(), metricsNamespace()),
    routingTable: routingTableName(),
    routingRegion: defaultRegion(),
    planEnforcement: planEnforcementFromEnv(env),
    routingPropagationMs: routingCacheTtlMs,
    now: () => Date.now(),
  };
}
