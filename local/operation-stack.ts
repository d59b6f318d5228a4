// What an operations worker runs against, in one process for tests and
// benchmarks: dynalite, the local CloudWatch endpoint, tables and routing
// records made from the catalog, and a worker with the real operation kinds.
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { DirectoryBackupStore } from "../lib/storage/backup-store";
import type { Db } from "../lib/db/client";
import { MetricsReader } from "../lib/metrics/reader";
import { operationDeps, type OperationDeps } from "../lib/operations/deps";
import { operationDefinitions } from "../lib/worker/kinds";
import { startWorker, type RunningWorker } from "../lib/operations/worker";
import { publishCatalogRouting } from "../lib/routing/publish";
import { ensureReadersTable } from "../lib/routing/readers";
import { ensureRoutingTable } from "../lib/routing/routing-table";
import { provisionCatalogTables } from "../lib/storage/provision-catalog-tables";
import { startCloudWatchEndpoint } from "./cloudwatch-endpoint/server";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export interface OperationStack {
  dynamoUrl: string;
  dynamo: DynamoDBClient;
  /** The backup store's directory (a temporary one unless given). */
  backupDir: string;
  cloudWatch: CloudWatchClient;
  /** The local CloudWatch endpoint's URL (for a data plane in another process: AWS_ENDPOINT_URL_CLOUDWATCH). */
  cloudWatchUrl: string;
  deps: OperationDeps;
  /** Null when started with `worker: false` (the test runs its own workers). */
  worker: RunningWorker | null;
  stop(): Promise<void>;
}

export async function startOperationStack(
  db: Db,
  options: { routingTable: string; metricsNamespace: string; routingPropagationMs?: number; worker?: boolean; backupDir?: string },
): Promise<OperationStack> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const dynamo = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    region: "us-east-1",
    credentials,
  });
  const endpoint = await startCloudWatchEndpoint({ port: 0 });
  const cloudWatch = new CloudWatchClient({ endpoint: endpoint.url, region: "us-east-1", credentials });
  await provisionCatalogTables(db, () => dynamo);
  await ensureRoutingTable(dynamo, options.routingTable);
  await ensureReadersTable(dynamo);
  await publishCatalogRouting(db, dynamo, options.routingTable);
  const backupDir = options.backupDir ?? mkdtempSync(path.join(tmpdir(), "tsc-backups-"));
  const deps = operationDeps({
    db,
    dynamoDb: () => dynamo,
    metrics: new MetricsReader(cloudWatch, options.metricsNamespace),
    routingTable: options.routingTable,
    routingRegion: "us-east-1",
    routingPropagationMs: options.routingPropagationMs ?? 200,
    backupStore: new DirectoryBackupStore(backupDir),
  });
  const worker =
    options.worker === false ? null : startWorker({ deps, definitions: operationDefinitions, pollMs: 50, log: () => undefined });
  return {
    dynamoUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    dynamo,
    backupDir,
    cloudWatch,
    cloudWatchUrl: endpoint.url,
    deps,
    worker,
    async stop() {
      await worker?.stop();
      await endpoint.stop();
      await new Promise((resolve) => server.close(resolve));
      if (!options.backupDir) rmSync(backupDir, { recursive: true, force: true });
    },
  };
}
