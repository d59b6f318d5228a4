// `npm run demo` (and `npm run dev` with --dev): the whole console on its embedded default.
import { existsSync } from "node:fs";
import { demoUsers } from "../prisma/demo-fleet";
import { buildConsole, demoSecret, startConsoleStack, stopOnSignals } from "./console-stack";
import { localConfig } from "./config";

const dev = process.argv.includes("--dev");

async function main() {
  const settings = localConfig();
  const port = settings.PORT;
  const embeddedPort = settings.PGPORT;
  if (!dev && (settings.DEMO_SKIP_BUILD !== "1" || !existsSync(".next/BUILD_ID"))) buildConsole();
  const running = await startConsoleStack({
    mode: dev ? "dev" : "start",
    port,
    host: settings.HOST,
    persistent: true,
    embeddedPort,
    secret: demoSecret(),
    dataPlane: { dynamoDbPort: settings.DYNAMODB_PORT, cloudWatchPort: settings.CLOUDWATCH_PORT },
  });
  const width = Math.max(...demoUsers.map((u) => u.email.length));
  console.log(
    [
      "",
      `Tenant Storage Console is running at ${running.url}`,
      "",
      "Demo sign-ins:",
      ...demoUsers.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(width)}  ${u.password}`),
      "",
      running.embedded
        ? `Catalog: embedded PostgreSQL on port ${embeddedPort} (PGPORT), data in .data/ (delete it to start over)`
        : "Catalog: DATABASE_URL",
      `DynamoDB: 127.0.0.1:${running.dataPlane.dynamoDbPort} (DYNAMODB_PORT); CloudWatch: 127.0.0.1:${running.dataPlane.cloudWatchPort} (CLOUDWATCH_PORT)`,
      'The synthetic workload backfills 24 h of metrics, then runs live; it prints "workload ready" when history is in.',
      "The operations worker is supervised: if it dies, it is started again (as ECS or systemd would).",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
  stopOnSignals(running);
}

main().catch((error: unknown) => {
  console.error(`\nThe demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
