// Which Chromium the e2e suite drives: CHROMIUM_PATH, then Debian's, then Playwright's own.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export interface ChromiumChoice {
  executablePath?: string;
  source: string;
}

export function findChromium(): ChromiumChoice | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? { executablePath: configured, source: "CHROMIUM_PATH" } : null;
  if (existsSync("/usr/bin/chromium")) return { executablePath: "/usr/bin/chromium", source: "Debian's /usr/bin/chromium" };
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return { source: `Playwright's own (${bundled})` };
  return null;
}

export const howToGetChromium = [
  "No Chromium found for the end-to-end tests. Get one of:",
  "  - Debian/Ubuntu: apt-get install -y chromium   (then it is found at /usr/bin/chromium)",
  "  - where downloads work: npx playwright install chromium",
  "  - any other Chromium: export CHROMIUM_PATH=/path/to/chromium",
].join("\n");

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
