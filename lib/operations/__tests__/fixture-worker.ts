// A worker process running the fixture operation (engine.integration.test.ts
// SIGKILLs it mid-step): the real runner, claim loop and leases.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DirectoryBackupStore } from "../../storage/backup-store";
import { createDb } from "../../db/client";
import type { OperationDefinition } from "../definition";
import { routingRecordOnly } from "../../enforcement/plan-enforcement";
import { startWorker } from "../worker";
import { fixtureOperation } from "./fixture-kind";
import { MetricsReader } from "../../metrics/reader";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const dynamo = new DynamoDBClient({ endpoint: process.env.FIXTURE_DYNAMODB_URL, region: "us-east-1", credentials });
const db = createDb(process.env.DATABASE_URL!, 2);
const worker = startWorker({
  deps: {
    db,
    dynamoDb: () => dynamo,
    metrics: new MetricsReader(new CloudWatchClient({ region: "us-east-1", credentials, endpoint: "http://127.0.0.1:9" }), "unused"),
    routingTable: "unused",
    routingRegion: "us-east-1",
    planEnforcement: routingRecordOnly,
    routingPropagationMs: 0,
    now: () => Date.now(),
    backupStore: new DirectoryBackupStore(process.env.BACKUP_STORE ?? "/nonexistent"),
    pointInTimeRestore: false,
  },
  definitions: { onboard: fixtureOperation as OperationDefinition<unknown> },
  concurrency: Number(process.env.FIXTURE_CONCURRENCY ?? 2),
  pollMs: 100,
  leaseMs: Number(process.env.FIXTURE_LEASE_MS ?? 1_500),
  workerId: process.env.FIXTURE_WORKER_ID,
  log: () => undefined,
});
console.log(`worker ready: ${worker.workerId}`);
process.on("SIGTERM", () => {
  void worker.stop().then(() => process.exit(0));
});
