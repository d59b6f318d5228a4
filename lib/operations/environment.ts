// The worker's dependencies as a deployment configures them: DATABASE_URL,
// the standard AWS variables, TENANT_ROUTING_TABLE, PLAN_ENFORCEMENT,
// BACKUP_STORE, BACKUP_POINT_IN_TIME.
import { cloudWatchClient, defaultRegion, dynamoDbClient, s3Client } from "../aws/clients";
import { DirectoryBackupStore, parseBackupStoreSetting, S3BackupStore } from "../backup/store";
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
    backupStore: backupStoreFromEnv(env),
    pointInTimeRestore: env.BACKUP_POINT_IN_TIME === "on",
  };
}

export function backupStoreFromEnv(env: Record<string, string | undefined> = process.env) {
  const setting = parseBackupStoreSetting(env.BACKUP_STORE);
  return setting.kind === "s3" ? new S3BackupStore(s3Client(), setting.bucket, setting.prefix) : new DirectoryBackupStore(setting.root);
}
