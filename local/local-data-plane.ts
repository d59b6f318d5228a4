// The local data plane: DynamoDB and CloudWatch stand-ins (one child process),
// the tenant tables and routing records made from the catalog, and the
// synthetic workload (another child). The console only sees the standard AWS
// environment variables this returns.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dynamoDbClient } from "../lib/aws/clients";
import type { Db } from "../lib/db/client";
import { publishCatalogRouting } from "../lib/routing/publish";
import { ensureReadersTable } from "../lib/routing/readers";
import { ensureRoutingTable } from "../lib/routing/routing-table";
import { provisionCatalogTables } from "../lib/storage/provision-catalog-tables";
import { spawnStackChild, stopProcessGroup, waitForLine } from "./child-process";
import { assertPortFree } from "./ports";
import { dataDir } from "./state";

export interface LocalDataPlaneOptions {
  persistent: boolean;
  dynamoDbPort: number;
  cloudWatchPort: number;
  backfillHours?: number;
  /** Resolve only once the workload has backfilled its history (tests); the demo does not wait. */
  waitForWorkload?: boolean;
  log: (line: string) => void;
}

export interface LocalDataPlane {
  /** The standard AWS variables pointing at the local endpoints. */
  env: Record<string, string>;
  dynamoDbPort: number;
  cloudWatchPort: number;
  stop(): Promise<void>;
}

const region = "us-east-1";

export async function startLocalDataPlane(db: Db, options: LocalDataPlaneOptions): Promise<LocalDataPlane> {
  if (options.dynamoDbPort) await assertPortFree(options.dynamoDbPort, "local DynamoDB (DYNAMODB_PORT)");
  if (options.cloudWatchPort) await assertPortFree(options.cloudWatchPort, "local CloudWatch (CLOUDWATCH_PORT)");

  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopProcessGroup(child, 10_000);
  };
  try {
    const endpoints = spawnStackChild(["--conditions=react-server", "--import", "tsx", path.resolve("local/aws-endpoints.ts")], {
      ...process.env,
      DYNAMODB_PORT: String(options.dynamoDbPort),
      CLOUDWATCH_PORT: String(options.cloudWatchPort),
      LOCAL_AWS_DATA_DIR: options.persistent ? dataDir : "",
    });
    children.push(endpoints);
    endpoints.stderr?.pipe(process.stderr);
    const ports = await waitForLine(
      endpoints,
      (line) => {
        try {
          return (JSON.parse(line) as { ready?: { dynamoDbPort: number; cloudWatchPort: number } }).ready;
        } catch {
          return undefined;
        }
      },
      30_000,
      "the local AWS endpoints",
      options.log,
    );

    const env: Record<string, string> = {
      AWS_REGION: region,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamoDbPort}`,
      AWS_ENDPOINT_URL_CLOUDWATCH: `http://127.0.0.1:${ports.cloudWatchPort}`,
      // The local endpoints accept any credentials; these keep the SDK from searching for real ones.
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // Cost estimates follow the demo's traffic within minutes (a deployment rolls today every 6 hours: CloudWatch bills each read).
      COST_ROLLUP_TODAY_MINUTES: process.env.COST_ROLLUP_TODAY_MINUTES || "10",
      // Backups go to a directory: kept under .data/ with the demo, temporary otherwise.
      BACKUP_STORE:
        process.env.BACKUP_STORE || (options.persistent ? path.join(dataDir, "backups") : mkdtempSync(path.join(tmpdir(), "tsc-backups-"))),
    };
    Object.assign(process.env, env);

    const tables = await provisionCatalogTables(db, dynamoDbClient);
    await ensureRoutingTable(dynamoDbClient());
    await ensureReadersTable(dynamoDbClient());
    const routing = await publishCatalogRouting(db, dynamoDbClient());
    if (tables.created.length || routing.published) {
      options.log(`DynamoDB: created ${tables.created.length} tables, published ${routing.published} routing records`);
    }

    const workload = spawnStackChild(["--conditions=react-server", "--import", "tsx", path.resolve("local/workload/main.ts")], {
      ...process.env,
      ...env,
      WORKLOAD_STATE_FILE: options.persistent ? path.join(dataDir, "workload-state.json") : "",
      WORKLOAD_BACKFILL_HOURS: String(options.backfillHours ?? 24),
    });
    children.push(workload);
    workload.stderr?.pipe(process.stderr);
    const workloadReady = waitForLine(
      workload,
      (line) => (line.startsWith("workload ready") ? line : undefined),
      300_000,
      "the synthetic workload",
      options.log,
    );
    workload.stdout?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.startsWith("workload stopped")) options.log(line);
    });
    if (options.waitForWorkload) await workloadReady;
    else workloadReady.then(options.log, (error: Error) => options.log(`workload: ${error.message}`));

    return { env, dynamoDbPort: ports.dynamoDbPort, cloudWatchPort: ports.cloudWatchPort, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
