// What operation steps reach the world through. The worker builds the real
// ones from the environment; tests build them around local endpoints.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { BackupStore } from "../storage/backup-store";
import type { TenantTables } from "./tenant-data";
import type { Db } from "../db/client";
import type { MetricsReader } from "../metrics/reader";
import type { PlanEnforcement } from "../enforcement/plan-enforcement";

export interface OperationDeps {
  db: Db;
  /** Routing records, table administration; never tenant items (those go through lib/operations/tenant-data.ts). */
  dynamoDb(region: string): DynamoDBClient;
  /** The client tenant-scoped access signs with in AWS mode: the tenant's vended credentials (TENANT_ACCESS_ROLE_ARN); absent locally. */
  tenantDynamoDb?: (region: string, tenant: TenantTables) => DynamoDBClient;
  metrics: MetricsReader;
  routingTable: string;
  /** The region of the routing table. */
  routingRegion: string;
  /** Where plan limits are enforced besides the routing record (API Gateway in AWS mode). */
  planEnforcement: PlanEnforcement;
  /** How long until every data-plane reader has seen a routing change. */
  routingPropagationMs: number;
  now(): number;
  /** Where backups are kept (BACKUP_STORE: a directory, or an S3 bucket in AWS mode). */
  backupStore: BackupStore;
  /** Restores may start from DynamoDB point-in-time recovery (AWS mode, BACKUP_POINT_IN_TIME=on; dynalite has none). */
  pointInTimeRestore: boolean;
  /** Tests' seam: awaited at named points inside long steps ("copy", "verifyAll", "verify", "cutOver", "export", "replace"); crash tests kill the worker there. */
  faultPoint?: (point: string) => void | Promise<void>;
}
