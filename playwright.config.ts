import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, findChromium } from "./e2e/support/chromium";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const chromium = findChromium();

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  // Limits for a busy machine, not expectations: a passing test takes no longer for them.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromium?.executablePath, args: chromiumArgs },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath: chromium?.executablePath, args: chromiumArgs } },
      dependencies: ["setup"],
      testIgnore: /accessibility\.spec\.ts/,
    },
    // The axe sweep renders every page three times and keeps the CPU busy for minutes: on a 2-core machine that starves
    // the e2e stack's synthetic workload, whose live load the noisy-neighbour journeys depend on. It runs after them.
    {
      name: "accessibility",
      testMatch: /accessibility\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath: chromium?.executablePath, args: chromiumArgs } },
      dependencies: ["chromium"],
    },
  ],
  webServer: {
    command: "node --conditions=react-server --import tsx local/e2e-server.ts",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop Next.js and the embedded database in order.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    // Migrations, the seed, the local AWS endpoints and 24 h of backfilled metrics before the console answers.
    timeout: 300_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
  },
});
