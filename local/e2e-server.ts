// Playwright's web server: a production build of the console on its own
// in-memory database, seeded deterministically, beside any running demo.
import { existsSync } from "node:fs";
import { startConsoleStack, stopOnSignals } from "./console-stack";
import { intFromEnv } from "./ports";

if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build in .next/: run `npx next build` first (npm run test:e2e does).");
  process.exit(1);
}
// Never a configured database: e2e writes, and must only ever write to its own.
delete process.env.DATABASE_URL;
delete process.env.NEXTAUTH_URL;
// The demo's scenario, except that the noisy neighbour is noisy all the time (not 10 minutes in 30), so a test can watch its
// pool recover when it moves, and that no tenant can spend its daily quota at any hour (local/workload/e2e-scenario.test.ts).
process.env.WORKLOAD_SCENARIO ??= "e2e/support/scenario.json";

const running = await startConsoleStack({
  mode: "start",
  port: intFromEnv("E2E_PORT", 3100),
  host: "127.0.0.1",
  persistent: false,
  embeddedPort: intFromEnv("E2E_PG_PORT", 0),
  secret: "e2e-only-secret-not-for-production-000000",
  databaseUrlFile: ".data/e2e-database-url",
  quiet: true,
  dataPlane: {
    dynamoDbPort: intFromEnv("E2E_DYNAMODB_PORT", 0),
    cloudWatchPort: intFromEnv("E2E_CLOUDWATCH_PORT", 0),
    backfillHours: Number(process.env.E2E_BACKFILL_HOURS ?? 24),
    waitForWorkload: true,
  },
});
console.log(`e2e console ready at ${running.url}`);
stopOnSignals(running);
