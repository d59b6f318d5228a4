// A worker process running the fixture operation (engine.integration.test.ts
// SIGKILLs it mid-step): the real runner, claim loop and leases.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDb } from "../../db/client";
import type { OperationDefinition } from "../definition";
import { operationDeps } from "../deps";
import { startWorker } from "../worker";
import { fixtureOperation } from "./fixture-kind";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const dynamo = new DynamoDBClient({ endpoint: process.env.FIXTURE_DYNAMODB_URL, region: "us-east-1", credentials });
const db = createDb(process.env.DATABASE_URL!, 2);
const worker = startWorker({
  deps: operationDeps({ db, dynamoDb: () => dynamo, routingTable: "unused", routingRegion: "us-east-1", routingPropagationMs: 0 }),
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
