// `npm run test:e2e`: a production build, then Playwright against it. Never skips:
// without a Chromium it stops and says how to get one.
import { spawnSync } from "node:child_process";
import { findChromium, howToGetChromium } from "../e2e/support/chromium";

const chromium = findChromium();
if (!chromium) {
  console.error(howToGetChromium);
  process.exit(1);
}
console.log(`e2e browser: ${chromium.source}`);

const run = (command: string, args: string[]) =>
  spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } }).status ?? 1;

if (process.env.E2E_SKIP_BUILD !== "1") {
  const built = run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
  if (built !== 0) process.exit(built);
}
process.exit(run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)]));
