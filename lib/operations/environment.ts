// The worker's dependencies as a deployment configures them (lib/config):
// DATABASE_URL, the standard AWS variables, TENANT_ROUTING_TABLE,
// PLAN_ENFORCEMENT, BACKUP_STORE, BACKUP_POINT_IN_TIME, TENANT_ACCESS_ROLE_ARN.
import { cloudWatchClient, dynamoDbClient, s3Client, stsClient, tenantDynamoDbClient } from "../aws/clients";
import { config, ConfigError, defaultRegion, type Config } from "../config/config";
import { tenantCredentials, tenantSessionPolicy } from "../storage/tenant-credentials";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DirectoryBackupStore, parseBackupStoreSetting, S3BackupStore } from "../storage/backup-store";
import { createDb } from "../db/client";
import { metricsNamespace } from "../metrics/namespace";
import { MetricsReader } from "../metrics/reader";
import { routingTableName } from "../routing/routing-table";
import { planEnforcementFor } from "../enforcement/plan-enforcement";
import { operationDeps, type OperationDeps, type TenantTables } from "./deps";

export function operationDepsFromConfig(settings: Config = config()): OperationDeps {
  if (!settings.DATABASE_URL) throw new ConfigError(["DATABASE_URL: is not set"]);
  return operationDeps({
    db: createDb(settings.DATABASE_URL, settings.WORKER_DATABASE_POOL_SIZE),
    dynamoDb: dynamoDbClient,
    metrics: new MetricsReader(cloudWatchClient(), metricsNamespace()),
    routingTable: routingTableName(),
    routingRegion: defaultRegion(settings),
    planEnforcement: planEnforcementFor(settings),
    tenantDynamoDb: tenantDynamoDbFor(settings),
    backupStore: backupStoreFor(settings),
    pointInTimeRestore: settings.BACKUP_POINT_IN_TIME === "on",
  });
}

export function backupStoreFor(settings: Pick<Config, "BACKUP_STORE">) {
  const setting = parseBackupStoreSetting(settings.BACKUP_STORE);
  return setting.kind === "s3" ? new S3BackupStore(s3Client(), setting.bucket, setting.prefix) : new DirectoryBackupStore(setting.root);
}

/**
 * AWS mode with TENANT_ACCESS_ROLE_ARN: tenant data is read and written with credentials vended per tenant
 * (AssumeRole with a session policy bound to its tables and key prefix). Unset: the worker's own credentials,
 * with the same checks in the scoped client.
 */
export function tenantDynamoDbFor(settings: Pick<Config, "TENANT_ACCESS_ROLE_ARN">): OperationDeps["tenantDynamoDb"] {
  const roleArn = settings.TENANT_ACCESS_ROLE_ARN;
  if (!roleArn) return undefined;
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
      tenant.keyScheme,
      tenant.operation,
      tenant.tables.map((t) => [t.region, t.tableName]),
    ]);
    let entry = clients.get(key);
    if (!entry) {
      const policy = tenantSessionPolicy({ tenantId: tenant.tenantId, keyScheme: tenant.keyScheme, tables: tenant.tables });
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
