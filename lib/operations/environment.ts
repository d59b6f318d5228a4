// The worker's dependencies as a deployment configures them: DATABASE_URL,
// the standard AWS variables, TENANT_ROUTING_TABLE, PLAN_ENFORCEMENT,
// BACKUP_STORE, BACKUP_POINT_IN_TIME, TENANT_ACCESS_ROLE_ARN.
import { cloudWatchClient, defaultRegion, dynamoDbClient, s3Client, stsClient, tenantDynamoDbClient } from "../aws/clients";
import { tenantCredentials, tenantSessionPolicy } from "../storage/tenant-credentials";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { TenantTables } from "./tenant-data";
import { DirectoryBackupStore, parseBackupStoreSetting, S3BackupStore } from "../storage/backup-store";
import { createDb } from "../db/client";
import { metricsNamespace } from "../metrics/contract";
import { MetricsReader } from "../metrics/reader";
import { routingCacheTtlMs } from "../routing/record";
import { routingTableName } from "../routing/routing-table";
import { planEnforcementFromEnv } from "../enforcement/plan-enforcement";
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
    tenantDynamoDb: tenantDynamoDbFromEnv(env),
    backupStore: backupStoreFromEnv(env),
    pointInTimeRestore: env.BACKUP_POINT_IN_TIME === "on",
  };
}

export function backupStoreFromEnv(env: Record<string, string | undefined> = process.env) {
  const setting = parseBackupStoreSetting(env.BACKUP_STORE);
  return setting.kind === "s3" ? new S3BackupStore(s3Client(), setting.bucket, setting.prefix) : new DirectoryBackupStore(setting.root);
}

/**
 * AWS mode with TENANT_ACCESS_ROLE_ARN: tenant data is read and written with credentials vended per tenant
 * (AssumeRole with a session policy bound to its tables and key prefix). Unset: the worker's own credentials,
 * with the same checks in the scoped client.
 */
export function tenantDynamoDbFromEnv(env: Record<string, string | undefined> = process.env): OperationDeps["tenantDynamoDb"] {
  const roleArn = env.TENANT_ACCESS_ROLE_ARN;
  if (!roleArn) return undefined;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn))
    throw new Error(`TENANT_ACCESS_ROLE_ARN must be an IAM role ARN, got "${roleArn}"`);
  // One client per tenant scope, reused by an operation's steps and dropped once idle (its credentials renew themselves).
  const clients = new Map<string, { client: DynamoDBClient; usedAt: number }>();
  return (region: string, tenant: TenantTables) => {
    const now = Date.now();
    for (const [key, entry] of clients) {
      if (now - entry.usedAt > idleTenantClientMs) {
        entry.client.destroy();
        clients.delete(key);
      }
    }
    const key = JSON.stringify([
      region,
      tenant.tenantId,
      tenant.keyPrefix,
      tenant.operation,
      tenant.tables.map((t) => [t.region, t.tableName]),
    ]);
    let entry = clients.get(key);
    if (!entry) {
      const policy = tenantSessionPolicy({ keyPrefix: tenant.keyPrefix, tables: tenant.tables });
      entry = {
        client: tenantDynamoDbClient(
          region,
          tenantCredentials(stsClient(), { roleArn, tenantId: tenant.tenantId, operation: tenant.operation, policy }),
        ),
        usedAt: now,
      };
      clients.set(key, entry);
    }
    entry.usedAt = now;
    return entry.client;
  };
}

const idleTenantClientMs = 15 * 60_000;
