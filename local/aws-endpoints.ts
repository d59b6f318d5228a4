// The local stand-ins for AWS, in one child process of the demo (so their
// work does not compete with embedded PostgreSQL's event loop): dynalite for
// DynamoDB and our CloudWatch-compatible endpoint. Prints one JSON line,
// `{"ready": {...}}`, with the ports once both listen.
import { mkdirSync } from "node:fs";
import path from "node:path";
import dynalite from "dynalite";
import { startCloudWatchEndpoint } from "./cloudwatch-endpoint/server";
import { loadLocalConfig } from "./config";

const host = "127.0.0.1";
// Any free ports unless the parent chose them.
const settings = loadLocalConfig({ DYNAMODB_PORT: "0", CLOUDWATCH_PORT: "0", ...process.env });
const dataDir = settings.LOCAL_AWS_DATA_DIR || undefined;

async function startDynamoDb(port: number) {
  const dynamoDir = dataDir ? path.join(dataDir, "dynamodb") : undefined;
  if (dynamoDir) mkdirSync(dynamoDir, { recursive: true });
  const server = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : port };
}

try {
  const dynamo = await startDynamoDb(settings.DYNAMODB_PORT);
  const cloudWatch = await startCloudWatchEndpoint({
    port: settings.CLOUDWATCH_PORT,
    host,
    dataDir: dataDir ? path.join(dataDir, "cloudwatch") : undefined,
  });
  console.log(JSON.stringify({ ready: { dynamoDbPort: dynamo.port, cloudWatchPort: cloudWatch.port } }));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await cloudWatch.stop();
    await new Promise((resolve) => dynamo.server.close(resolve));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === "EADDRINUSE"
      ? `local AWS endpoints: a port is already in use (${(error as Error).message}); see docs/configuration.md, "Ports".`
      : `local AWS endpoints: ${(error as Error).message}`,
  );
  process.exit(1);
}
