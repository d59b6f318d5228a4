// Playwright's web server: a production build of the console on its own
// in-memory database, seeded deterministically, beside any running demo.
import { existsSync } from "node:fs";
import { startConsoleStack, stopOnSignals } from "./console-stack";
import { localConfig } from "./config";

if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build in .next/: run `npx next build` first (npm run test:e2e does).");
  process.exit(1);
}
// Never a configured database: e2e writes, and must only ever write to its own.
delete process.env.DATABASE_URL;
delete process.env.NEXTAUTH_URL;
// Plain http on 127.0.0.1: the production build refuses it unless allowed (docs/security.md#sign-in-and-sessions).
process.env.AUTH_ALLOW_INSECURE_HTTP = "on";
// The demo's scenario, except that the noisy neighbour is noisy all the time (not 15 minutes in 30), so a test can watch its
// pool recover when it moves, and that no tenant can spend its daily quota at any hour (local/workload/e2e-scenario.test.ts).
process.env.WORKLOAD_SCENARIO ??= "e2e/support/scenario.json";
const settings = localConfig();

const running = await startConsoleStack({
  mode: "start",
  port: settings.E2E_PORT,
  host: "127.0.0.1",
  persistent: false,
  embeddedPort: settings.E2E_PG_PORT,
  secret: "e2e-only-secret-not-for-production-000000",
  databaseUrlFile: ".data/e2e-database-url",
  quiet: true,
  dataPlane: {
    dynamoDbPort: settings.E2E_DYNAMODB_PORT,
    cloudWatchPort: settings.E2E_CLOUDWATCH_PORT,
    backfillHours: settings.E2E_BACKFILL_HOURS,
    waitForWorkload: true,
  },
});
console.log(`e2e console ready at ${running.url} (plain http allowed: AUTH_ALLOW_INSECURE_HTTP=on)`);
stopOnSignals(running);
