// axe on every page of the console, forms and operation and finding pages
// included, at desktop and phone widths, as the admin (who sees every page
// and every control): no serious or critical violation of WCAG 2.1 A/AA.
// Colour contrast is checked again in the dark theme (at 1440 px: colours do
// not change with the width), on one page of each kind of component. One browser context per
// width; the only waits are for a page's own content (no skeletons left) and,
// once, for the watcher's first finding.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.use({ storageState: storageStateFor("admin") });
test.describe.configure({ timeout: 300_000 });

const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const staticPages = [
  "/",
  "/tenants",
  "/tenants?health=unhealthy",
  "/tenants/acme-logistics",
  "/tenants/new",
  "/tenants/acme-logistics/migrate",
  "/tenants/acme-logistics/plan",
  "/instances",
  "/instances/pool-use1-02",
  "/fairness",
  "/findings",
  "/operations",
  "/plans",
  "/plans/basic",
  "/backups",
  "/audit",
  "/users",
  "/fleet-checks",
  "/fleet/import",
  "/costs",
];

// Dark-theme contrast on one page of each kind of component (tables, charts, forms, an operation, findings); the other
// pages are made of the same components in the same tokens, and each scan costs seconds on a busy machine.
const darkPages = new Set([
  "/",
  "/tenants",
  "/tenants/acme-logistics",
  "/tenants/acme-logistics/plan",
  "/fairness",
  "/findings",
  "/audit",
  "/users",
]);

interface Found {
  where: string;
  lines: string[];
}

/** The page's own content is in: its heading is shown and no loading skeleton is left. */
async function settled(page: Page) {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator(".skeleton")).toHaveCount(0, { timeout: 60_000 });
}

async function check(page: Page, where: string, options: { contrastOnly?: boolean } = {}): Promise<Found | null> {
  let builder = new AxeBuilder({ page }).withTags(tags);
  if (options.contrastOnly) builder = builder.withRules(["color-contrast"]);
  const results = await builder.analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (!bad.length) return null;
  return {
    where,
    lines: bad.map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map(
            (n) => `      ${n.target.join(" ")}${n.failureSummary ? ` — ${n.failureSummary.split("\n").slice(1).join(" ").trim()}` : ""}`,
          )
          .join("\n") +
        (v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : ""),
    ),
  };
}

/** An operation to look at: any one, or a backup of a one-tenant silo started for the purpose (a harmless operation). */
async function anOperation(page: Page): Promise<string> {
  const [existing] = await queryE2eDatabase<{ id: string }>(`SELECT id FROM "Operation" ORDER BY "createdAt" DESC LIMIT 1`);
  if (existing) return `/operations/${existing.id}`;
  await page.goto("/backups");
  const backUp = page.getByRole("form", { name: "Back up a storage instance" });
  await backUp.getByLabel("Storage instance").selectOption("silo-cobalt-mining");
  await backUp.getByRole("button", { name: "Back up now" }).click();
  await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
  return new URL(page.url()).pathname;
}

/** A finding: the watcher opens its first within a minute or two of the stack starting (it evaluates every minute). */
async function aFinding(): Promise<string> {
  let id: string | undefined;
  await expect(async () => {
    [{ id } = { id: undefined }] = await queryE2eDatabase<{ id: string }>(`SELECT id FROM "Finding" ORDER BY "openedAt" LIMIT 1`);
    expect(id, "a finding from the watcher").toBeTruthy();
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  return `/findings/${id}`;
}

for (const width of [1440, 390]) {
  test(`no serious or critical axe violations at ${width} px${width < 800 ? "" : ", light and dark"}`, async ({ page }) => {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
    const found: Found[] = [];
    const operation = await anOperation(page);
    const paths = [...staticPages, operation, "/noisy-neighbours"];
    for (const path of paths) {
      await page.emulateMedia({ colorScheme: "light" });
      await page.goto(path);
      await settled(page);
      const light = await check(page, `${path} at ${width} px (light)`);
      if (light) found.push(light);
      if (width < 800 || !darkPages.has(path)) continue;
      await page.emulateMedia({ colorScheme: "dark" });
      // The theme follows the system's until chosen: reload so the page starts dark, as it would.
      await page.reload();
      await settled(page);
      const dark = await check(page, `${path} at ${width} px (dark)`, { contrastOnly: true });
      if (dark) found.push(dark);
    }
    const finding = await aFinding();
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(finding);
    await settled(page);
    const onFinding = await check(page, `${finding} at ${width} px (light)`);
    if (onFinding) found.push(onFinding);

    // Signed out: the sign-in page.
    await page.context().clearCookies();
    for (const colorScheme of width < 800 ? (["light"] as const) : (["light", "dark"] as const)) {
      await page.emulateMedia({ colorScheme });
      await page.goto("/sign-in");
      await expect(page.getByLabel("Email")).toBeVisible();
      const signIn = await check(page, `/sign-in at ${width} px (${colorScheme})`, { contrastOnly: colorScheme === "dark" });
      if (signIn) found.push(signIn);
    }

    expect(found.map((f) => `${f.where}\n${f.lines.join("\n")}`).join("\n\n"), "serious or critical axe violations").toBe("");
  });
}
