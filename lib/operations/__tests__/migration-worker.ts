// A worker process for the crash tests, the soak and the freeze benchmark:
// the real worker and operation kinds, with a lease of FIXTURE_LEASE_MS
// (default 60 s). With CRASH_AT it SIGKILLs itself the CRASH_AFTER-th time a
// step reaches that fault point (e.g. "copy:mid", "verify:mid",
// "cutOver:effect", "replace:mid"; see OperationDeps.faultPoint).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DirectoryBackupStore } from "../../storage/backup-store";
import { createDb } from "../../db/client";
import { operationDefinitions } from "../../worker/kinds";
import { operationDeps } from "../deps";
import { startWorker } from "../worker";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const dynamo = new DynamoDBClient({ endpoint: process.env.FIXTURE_DYNAMODB_URL, region: "us-east-1", credentials });
let reached = 0;
const worker = startWorker({
  deps: operationDeps({
    db: createDb(process.env.DATABASE_URL!, 2),
    dynamoDb: () => dynamo,
    routingTable: process.env.FIXTURE_ROUTING_TABLE!,
    routingRegion: "us-east-1",
    routingPropagationMs: 200,
    backupStore: process.env.BACKUP_STORE ? new DirectoryBackupStore(process.env.BACKUP_STORE) : undefined,
    faultPoint: (point) => {
      if (point === process.env.CRASH_AT && ++reached >= Number(process.env.CRASH_AFTER ?? 1)) process.kill(process.pid, "SIGKILL");
    },
  }),
  definitions: operationDefinitions,
  concurrency: 1,
  pollMs: 50,
  // Long unless set (the soak and the benchmark set a short one), so it cannot lapse on a busy machine before the crash
  // (a lapsed lease is claimed again: another attempt); the crash tests end it once this process is dead.
  leaseMs: Number(process.env.FIXTURE_LEASE_MS ?? 60_000),
  workerId: process.env.FIXTURE_WORKER_ID,
  log: () => undefined,
});
console.log(`worker ready: ${worker.workerId}`);
