// Migrating the noisy neighbour out of its pool, from its finding's
// recommendation, and watching the pool's capacity refusals fall on its
// dashboard and in the finding's before/after comparison.
// The e2e scenario (e2e/support/scenario.json) keeps acme-logistics noisy all the
// time, at a rate its plan's daily quota lasts for: pool-use1-02 refuses co-tenants
// while it is there and none once it has left, at any hour
// (local/workload/e2e-scenario.test.ts checks both against the workload's model).
import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "./support/roles";

test.use({ storageState: storageStateFor("operator") });
// A minute of metrics is readable once the minute has ended and been published (10 s) and the reader's cache (20 s) has
// expired; the copy and the wait for those minutes are given room for a busy machine (a limit, not an expectation).
test.describe.configure({ timeout: 420_000 });

interface InstanceSeries {
  timestamps: number[];
  totals: { capacityThrottled: number[]; requests: number[] };
}

async function poolMinutes(page: Page, poolId: string): Promise<InstanceSeries> {
  const response = await page.request.get(`/api/instances/${poolId}/metrics?range=1h`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { view: InstanceSeries }).view;
}

/** Capacity refusals in the complete minutes that started at or after `fromMs` (and ended before now). */
function refusedFrom(series: InstanceSeries, fromMs: number, toMs: number): { minutes: number; refused: number } {
  let minutes = 0;
  let refused = 0;
  series.timestamps.forEach((at, i) => {
    if (at >= fromMs && at + 60_000 <= toMs) {
      minutes++;
      refused += series.totals.capacityThrottled[i] ?? 0;
    }
  });
  return { minutes, refused };
}

test("the noisy tenant moves to a silo of its own from its recommendation, and its pool stops refusing co-tenants", async ({
  page,
  browser,
}) => {
  // The findings of the watcher (which evaluates the fleet every minute beside the worker), where the old page leads.
  await page.goto("/noisy-neighbours");
  const row = page.getByRole("table", { name: "Findings" }).getByRole("row", { name: /Acme Logistics/ });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  await row.getByRole("link", { name: "Noisy neighbour" }).click();
  await expect(page).toHaveURL(/\/findings\/[a-z0-9]+$/);
  const findingUrl = page.url();
  await page.getByRole("region", { name: "Recommendation" }).getByRole("link", { name: "Migrate to its own silo" }).click();
  await expect(page).toHaveURL(/\/tenants\/acme-logistics\/migrate\?target=new-silo$/);
  await expect(page.getByRole("heading", { name: "Migrate tenant" })).toBeVisible();
  await expect(page.getByRole("radio", { name: /A new silo of its own/ })).toBeChecked();
  await expect(page.getByText(/[\d,]+ items, about [\d.,]+ (KiB|MiB)/)).toBeVisible();

  // Before: the pool has been refusing co-tenants for capacity in recent minutes.
  const before = refusedFrom(await poolMinutes(page, "pool-use1-02"), Date.now() - 10 * 60_000, Date.now());
  expect(before.refused).toBeGreaterThan(0);

  // A bad cap is refused on the server, with the field named, and nothing is queued.
  const cap = page.getByLabel("Copy cap (items/s, 0 = none)");
  await cap.fill("-5");
  await page.getByRole("button", { name: "Migrate acme-logistics to its own silo" }).click();
  await expect(page.getByText("0 (no cap) or more")).toBeVisible();
  await expect(page).toHaveURL(/\/migrate/);

  await cap.fill("0");
  await page.getByRole("button", { name: "Migrate acme-logistics to its own silo" }).click();
  await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
  await expect(page.getByRole("region", { name: "Progress" }).getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 150_000 });
  const migration = page.locator("section", { has: page.getByRole("heading", { name: "Migration", exact: true }) });
  await expect(migration).toContainText("pool-use1-02 → silo-acme-logistics");
  await expect(migration).toContainText(/Write freeze\s*[\d.,]+ (ms|s)/);
  await expect(migration.getByRole("button", { name: "Roll back" })).toBeVisible();
  const movedAt = Date.now();

  // Support staff see the same migration's figures, not its rollback or clean-up.
  const support = await browser.newContext({ storageState: storageStateFor("support") });
  const supportPage = await support.newPage();
  await supportPage.goto(page.url());
  const supportView = supportPage.locator("section", { has: supportPage.getByRole("heading", { name: "Migration", exact: true }) });
  await expect(supportView).toContainText("pool-use1-02 → silo-acme-logistics");
  await expect(supportView).toContainText(/Write freeze\s*[\d.,]+ (ms|s)/);
  await expect(supportPage.getByRole("button", { name: /Roll back|Delete the source copy/ })).toHaveCount(0);
  await support.close();

  await page.goto("/tenants/acme-logistics");
  await expect(page.getByRole("main")).toContainText("silo-acme-logistics");

  // After: the first complete minutes after the move show (almost) no refusals on the pool.
  await expect
    .poll(
      async () => {
        const after = refusedFrom(await poolMinutes(page, "pool-use1-02"), movedAt + 5_000, Date.now() - 30_000);
        return after.minutes >= 1 ? after.refused / after.minutes : Infinity;
      },
      { timeout: 240_000, intervals: [10_000] },
    )
    .toBeLessThan(before.refused / Math.max(1, before.minutes) / 4);
  await page.goto("/instances/pool-use1-02");
  await expect(page.getByRole("heading", { name: "pool-use1-02", exact: true })).toBeVisible();
  // The migration is drawn on the pool's charts and listed under them, moving the tenant out.
  await expect(
    page.getByRole("list", { name: /^Operations during Requests refused per second/ }).getByRole("link", {
      name: "Migration of acme-logistics: pool-use1-02 → silo-acme-logistics",
    }),
  ).toBeVisible();

  // The finding compares the co-tenants' refusals and p99 in the hour before the migration finished and after it.
  await page.goto(findingUrl);
  const comparison = page.getByRole("region", { name: "Before and after" });
  await expect(comparison).toContainText("Migration of acme-logistics");
  await expect(comparison).toContainText("Co-tenants' requests refused for capacity");
  await expect(comparison.getByText(/^(better|no clear change|worse|not enough data)$/).first()).toBeVisible();
});
