// Remediation with approval, end to end: the fleet watch (in the e2e stack's
// worker) finds the noisy neighbour and proposes moving it to a silo; support
// sees the finding and the proposal but cannot approve it (a forged approval is
// refused and audited); an operator checks the migration form's validation,
// approves the proposal from the finding, and watches the pool's capacity
// refusals fall on its dashboard and in the finding's before/after comparison.
// The e2e scenario (e2e/support/scenario.json) keeps acme-logistics noisy all the
// time, at a rate its plan's daily quota lasts for: pool-use1-02 refuses co-tenants
// while it is there and none once it has left, at any hour
// (local/workload/e2e-scenario.test.ts checks both against the workload's model).
import { expect, test, type Page, type Request } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.use({ storageState: storageStateFor("operator") });

test.beforeAll(async () => {
  // An admin's choice (the schema's default applies only critical findings' proposals after approval): major ones too.
  await queryE2eDatabase(
    `INSERT INTO "WatchSettings" (id, "proposalsOff", remediation, "updatedAt")
     VALUES (1, false, '{"minor":"off","major":"approve","critical":"approve"}', now())
     ON CONFLICT (id) DO UPDATE SET "proposalsOff" = false, remediation = EXCLUDED.remediation`,
  );
});
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

test("an operator approves the proposed move from the finding; support cannot; the pool stops refusing co-tenants", async ({
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
  const findingId = findingUrl.split("/").pop()!;

  // The recommendation's own form: a bad cap is refused on the server, with the field named, and nothing is queued.
  await page.getByRole("region", { name: "Recommendation" }).getByRole("link", { name: "Migrate to its own silo" }).click();
  await expect(page).toHaveURL(/\/tenants\/acme-logistics\/migrate\?target=new-silo$/);
  await expect(page.getByRole("radio", { name: /A new silo of its own/ })).toBeChecked();
  await expect(page.getByText(/[\d,]+ items, about [\d.,]+ (KiB|MiB)/)).toBeVisible();
  await page.getByLabel("Copy cap (items/s, 0 = none)").fill("-5");
  await page.getByRole("button", { name: "Migrate acme-logistics to its own silo" }).click();
  await expect(page.getByText("0 (no cap) or more")).toBeVisible();
  await expect(page).toHaveURL(/\/migrate/);

  // Before: the pool has been refusing co-tenants for capacity in recent minutes.
  const before = refusedFrom(await poolMinutes(page, "pool-use1-02"), Date.now() - 10 * 60_000, Date.now());
  expect(before.refused).toBeGreaterThan(0);

  // The watcher proposes the move after its next evaluation under the policy set above.
  await page.goto(findingUrl);
  const panel = page.getByRole("region", { name: "Proposed remediations" });
  const approve = panel.getByRole("button", { name: "Approve…" });
  await expect(async () => {
    await page.reload();
    await expect(approve).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000 });
  const [waiting] = await queryE2eDatabase<{ id: string }>(
    `SELECT id FROM "Proposal" WHERE "findingId" = $1 AND status = 'proposed' AND "applyOnApproval"`,
    [findingId],
  );
  expect(waiting).toBeDefined();

  // Support sees the finding and its proposal, no button; an operator's approval replayed in support's session is refused and audited.
  let captured: Request | undefined;
  await page.route(findingUrl, async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"]) {
      captured = route.request();
      await route.abort();
    } else await route.continue();
  });
  await approve.click();
  await panel.getByRole("button", { name: "Approve and queue" }).click();
  await expect.poll(() => captured).toBeDefined();
  await page.unroute(findingUrl);
  const support = await browser.newContext({ storageState: storageStateFor("support") });
  const supportPage = await support.newPage();
  await supportPage.goto(findingUrl);
  const supportPanel = supportPage.getByRole("region", { name: "Proposed remediations" });
  await expect(supportPanel).toContainText("Waiting for approval");
  await expect(supportPanel.getByRole("button", { name: /Approve|Reject/ })).toHaveCount(0);
  const headers = { ...captured!.headers() };
  delete headers.cookie;
  const forged = await support.request.post(findingUrl, { headers, data: captured!.postDataBuffer() ?? undefined });
  expect(await forged.text()).toContain("Forbidden: the support role cannot do this (findings.approve)");
  expect(await queryE2eDatabase(`SELECT status::text FROM "Proposal" WHERE id = $1 AND "operationId" IS NULL`, [waiting!.id])).toEqual([
    { status: "proposed" },
  ]);
  expect(
    await queryE2eDatabase<{ actorEmail: string }>(
      `SELECT "actorEmail" FROM "AuditEntry" WHERE action = 'findings.approveProposal' AND "targetId" = $1 AND outcome = 'refused'`,
      [waiting!.id],
    ),
  ).toEqual([{ actorEmail: "support@example.com" }]);

  // The operator approves: one operation, queued under the proposal's key, run to the end.
  await page.reload();
  await panel.getByRole("button", { name: "Approve…" }).click();
  await panel.getByRole("button", { name: "Approve and queue" }).click();
  await expect(panel.getByText("Approved", { exact: true })).toBeVisible();
  const operations = await queryE2eDatabase<{ id: string }>(`SELECT id FROM "Operation" WHERE "idempotencyKey" LIKE $1`, [
    `%:proposal:${waiting!.id}`,
  ]);
  expect(operations).toHaveLength(1);
  await panel.getByRole("link", { name: operations[0]!.id }).click();
  await expect(page).toHaveURL(new RegExp(`/operations/${operations[0]!.id}$`));
  await expect(page.getByRole("region", { name: "Progress" }).getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 150_000 });
  const migration = page.locator("section", { has: page.getByRole("heading", { name: "Migration", exact: true }) });
  await expect(migration).toContainText("pool-use1-02 → silo-acme-logistics");
  await expect(migration).toContainText(/Write freeze\s*[\d.,]+ (ms|s)/);
  await expect(migration.getByRole("button", { name: "Roll back" })).toBeVisible();
  const movedAt = Date.now();

  // Support staff see the same migration's figures, not its rollback or clean-up.
  await supportPage.goto(page.url());
  const supportView = supportPage.locator("section", { has: supportPage.getByRole("heading", { name: "Migration", exact: true }) });
  await expect(supportView).toContainText("pool-use1-02 → silo-acme-logistics");
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
