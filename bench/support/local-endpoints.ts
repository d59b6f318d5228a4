// The local AWS endpoints (dynalite and the CloudWatch endpoint) in a process
// of their own, as the demo runs them, so what a benchmark measures in its own
// process is not slowed by answering its own requests.
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { spawnStackChild, stopProcessGroup, waitForLine } from "../../local/child-process";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export interface LocalEndpoints {
  process: ChildProcess;
  dynamo: DynamoDBClient;
  cloudWatch: CloudWatchClient;
  stop(): Promise<void>;
}

export async function startLocalEndpoints(region = "us-east-1"): Promise<LocalEndpoints> {
  const child = spawnStackChild(["--conditions=react-server", "--import", "tsx", path.resolve("local/aws-endpoints.ts")], {
    ...process.env,
    DYNAMODB_PORT: "0",
    CLOUDWATCH_PORT: "0",
    LOCAL_AWS_DATA_DIR: "",
  });
  child.stderr?.pipe(process.stderr);
  try {
    const ports = await waitForLine(
      child,
      (line) =>
        line.startsWith("{") ? (JSON.parse(line) as { ready: { dynamoDbPort: number; cloudWatchPort: number } }).ready : undefined,
      30_000,
      "the local AWS endpoints",
    );
    return {
      process: child,
      dynamo: new DynamoDBClient({ endpoint: `http://127.0.0.1:${ports.dynamoDbPort}`, region, credentials }),
      cloudWatch: new CloudWatchClient({ endpoint: `http://127.0.0.1:${ports.cloudWatchPort}`, region, credentials }),
      stop: () => stopProcessGroup(child, 10_000),
    };
  } catch (error) {
    await stopProcessGroup(child, 10_000);
    throw error;
  }
}
