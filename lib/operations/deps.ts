// What operation steps reach the world through, and the one way to build it:
// the worker from the environment (environment.ts), tests and benchmarks
// around local endpoints; what they leave out takes the defaults below.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KeyScheme } from "../storage/key-scheme";
import type { BackupStore } from "../storage/backup-store";
import type { Db } from "../db/client";
import type { MetricsSource } from "../metrics/reader";
import { routingRecordOnly, type PlanEnforcement } from "../enforcement/plan-enforcement";
import { routingCacheTtlMs } from "../routing/record";

/** The tenant, tables and operation a tenant-scoped client is made for. */
export interface TenantTables {
  tenantId: string;
  /** How the tables' items are keyed: the tenant's partitions follow from it. */
  keyScheme: KeyScheme;
  /** "restore cmwv…": named in refusals and logs, tagged on vended credentials. */
  operation: string;
  tables: readonly { tableName: string; region: string }[];
}

export interface OperationDeps {
  db: Db;
  /** Routing records, table administration; never tenant items (those go through lib/operations/tenant-data.ts). */
  dynamoDb(region: string): DynamoDBClient;
  /** The client tenant-scoped access signs with in AWS mode: the tenant's vended credentials (TENANT_ACCESS_ROLE_ARN); absent locally. */
  tenantDynamoDb?: (region: string, tenant: TenantTables) => DynamoDBClient;
  metrics: MetricsSource;
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
  /**
   * Tests' seam: awaited at named points, where crash tests kill the worker. The runner names them
   * "<step>:start" (the step marked running, nothing done yet) and "<step>:end" (its effects done, its
   * checkpoint not written), and "compensate:start" / "compensate:end" around an undo; a step's own points
   * ("mid" after some of its items, "effect" right after an external effect such as a routing write)
   * reach this as "<step>:mid", "<step>:effect" (the runner gives each step deps whose faultPoint adds the prefix).
   */
  faultPoint?: (point: string) => void | Promise<void>;
}

/** What every caller names; the rest defaults to what operationDeps says. */
type Given = "db" | "dynamoDb" | "routingTable" | "routingRegion";
type OperationDepsOptions = Pick<OperationDeps, Given> & Partial<Omit<OperationDeps, Given>>;

/**
 * Operation dependencies with defaults: plan limits enforced by the routing
 * record alone, the data plane's routing cache time, the wall clock, no
 * point-in-time restores, no vended credentials, and no metrics or backup
 * store (a step that needs one fails, naming what is missing).
 */
export function operationDeps(options: OperationDepsOptions): OperationDeps {
  return {
    db: options.db,
    dynamoDb: options.dynamoDb,
    tenantDynamoDb: options.tenantDynamoDb,
    metrics: options.metrics ?? noMetrics,
    routingTable: options.routingTable,
    routingRegion: options.routingRegion,
    planEnforcement: options.planEnforcement ?? routingRecordOnly,
    routingPropagationMs: options.routingPropagationMs ?? routingCacheTtlMs,
    now: options.now ?? (() => Date.now()),
    backupStore: options.backupStore ?? noBackupStore,
    pointInTimeRestore: options.pointInTimeRestore ?? false,
    faultPoint: options.faultPoint,
  };
}

const missing = (what: string) => () => Promise.reject(new Error(`this worker was started without ${what}`));

const noMetrics: OperationDeps["metrics"] = { read: missing("a metrics source") };

const noBackupStore: BackupStore = {
  description: "no backup store",
  put: missing("a backup store"),
  get: missing("a backup store"),
  deletePrefix: missing("a backup store"),
};
