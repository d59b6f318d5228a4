// Backups and a single-tenant restore: an operator backs up a pool from a
// tenant's page, finds it in the audit log by the tenant, opens the backup, runs a dry run for one tenant and restores it
// in place; support staff can read all of it and change none of it, even by
// forging the restore's server action call.
import { expect, test, type Page, type Request } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.use({ storageState: storageStateFor("operator") });
test.describe.configure({ timeout: 120_000 });

const succeeded = (page: Page) => page.getByRole("region", { name: "Progress" }).getByText("Succeeded", { exact: true });

test("an operator restores a tenant from the backups page after a dry run; support cannot", async ({ page, browser }) => {
  await page.goto("/backups");
  await expect(page.getByRole("heading", { name: "Backups", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Strategies compared" })).toContainText("Separated at restore");
  // Opened for an instance, both forms start on it.
  await page.goto("/backups?instance=pool-use1-02");
  await expect(page.getByRole("form", { name: "Back up a storage instance" }).getByLabel("Storage instance")).toHaveValue("pool-use1-02");
  await expect(page.getByRole("form", { name: "Set a backup schedule" }).getByLabel("Storage instance")).toHaveValue("pool-use1-02");

  // Backed up from the tenant's page: its instance, confirmed, then followed to the operation.
  await page.goto("/tenants/initech");
  await page.getByRole("button", { name: "Back up now" }).click();
  const backUp = page.getByRole("form", { name: "Back up now" });
  await backUp.getByLabel("Strategy").selectOption("per_tenant");
  await backUp.getByRole("button", { name: "Confirm: back up pool-use1-01" }).click();
  await page.getByRole("link", { name: "Follow its progress" }).click();
  await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
  await expect(succeeded(page)).toBeVisible({ timeout: 60_000 });
  const backupUrl = page.url();

  // The audit log files the backup under every tenant in the instance, not only under the operation.
  await page.goto("/audit?tenant=initech&action=backup");
  const entries = page.getByRole("table", { name: "Audit entries" });
  await expect(entries).toContainText("backups.create");
  await expect(entries).toContainText("operations.backup");
  await page.goto(backupUrl);

  await page.getByRole("link", { name: "The backup's page" }).click();
  await expect(page.getByRole("heading", { name: "Backup of pool-use1-01" })).toBeVisible();
  const tenants = page.getByRole("table", { name: "Tenants in this backup" });
  await expect(tenants).toContainText("initech");
  await tenants.getByRole("link", { name: "Restore initech from this backup" }).click();
  await expect(page).toHaveURL(/\/tenants\/initech\/restore\?backup=[a-z0-9]+$/);
  await expect(page.getByRole("radio").first()).toBeChecked();

  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
  const dryRunUrl = page.url();
  await expect(succeeded(page)).toBeVisible({ timeout: 60_000 });
  const panel = page.locator("section", { has: page.getByRole("heading", { name: "Dry run: what a restore would change" }) });
  for (const kind of ["To add", "To change", "To remove"])
    await expect(panel.getByRole("region", { name: new RegExp(`^${kind}: \\d+$`) })).toBeVisible();
  await expect(panel).toContainText(/Unchanged\s*[\d,]+ items/);

  // In place needs the confirmation.
  const inPlace = panel.getByRole("button", { name: "Restore in place" });
  await expect(inPlace).toBeDisabled();
  await panel.getByRole("checkbox", { name: /Freeze initech's writes/ }).check();

  // Support replaying the operator's own request is refused on the server, and nothing is queued.
  let captured: Request | undefined;
  await page.route("**/operations/*", async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"] && !captured) {
      captured = route.request();
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await inPlace.click();
  await expect.poll(() => captured).toBeDefined();
  const support = await browser.newContext({ storageState: storageStateFor("support") });
  const headers = { ...captured!.headers() };
  delete headers.cookie;
  const forged = await support.request.post(dryRunUrl, { headers, data: captured!.postDataBuffer() ?? undefined });
  expect(await forged.text()).toContain("Forbidden: the support role cannot do this (tenants.restore)");
  expect(await queryE2eDatabase(`SELECT id FROM "Operation" WHERE kind = 'restore' AND parameters->>'mode' = 'in_place'`)).toEqual([]);

  // What support sees: the backups and the dry run, without their controls.
  const supportPage = await support.newPage();
  await supportPage.goto("/backups");
  await expect(supportPage.getByRole("table", { name: "Backups" })).toContainText("pool-use1-01");
  await expect(supportPage.getByRole("form", { name: "Back up a storage instance" })).toHaveCount(0);
  await supportPage.goto("/tenants/initech");
  await expect(supportPage.getByRole("heading", { name: "Placement" })).toBeVisible();
  await expect(supportPage.getByRole("button", { name: "Back up now" })).toHaveCount(0);
  await supportPage.goto(dryRunUrl);
  await expect(supportPage.getByRole("heading", { name: "Dry run: what a restore would change" })).toBeVisible();
  await expect(supportPage.getByRole("button", { name: /Restore in place|Restore to a side table/ })).toHaveCount(0);
  expect((await supportPage.goto("/tenants/initech/restore"))?.status()).toBe(403);
  await support.close();

  // The operator's restore, for real (the aborted request left the page in its error state).
  await page.unroute("**/operations/*");
  await page.goto(dryRunUrl);
  await panel.getByRole("checkbox", { name: /Freeze initech's writes/ }).check();
  await inPlace.click();
  await expect(page).not.toHaveURL(dryRunUrl);
  await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
  await expect(succeeded(page)).toBeVisible({ timeout: 60_000 });
  const restore = page.locator("section", { has: page.getByRole("heading", { name: "Restore", exact: true }) });
  await expect(restore).toContainText("in place");
  await expect(restore).toContainText(/Write freeze\s*[\d.]+ (ms|s)/);
  expect(await queryE2eDatabase(`SELECT status FROM "Tenant" WHERE id = 'initech'`)).toEqual([{ status: "active" }]);
});
