// Importing a fleet end to end: an admin pastes a small fleet (a registered
// pool, unchanged, and two of its tenants the catalog does not know yet),
// reads the dry run, confirms, and opens the imported tenants with their
// health; the import is audited once. Support and operators cannot open the
// page, and it is not in their navigation.
import { expect, test, type Page } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.describe.configure({ mode: "serial" });

/** E2E_SCREENSHOTS=<dir>: also save the page at desktop and phone widths (to look at, not to compare). */
async function screenshot(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test.describe("as an admin", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("imports a small fleet: dry run, confirm, then the tenants with their health", async ({ page }) => {
    const [pool] = await queryE2eDatabase<{ id: string; tableName: string; region: string }>(
      `SELECT id, "tableName", region FROM "StorageInstance" WHERE mode = 'pool' AND status = 'active' AND "keyScheme" IS NULL ORDER BY id LIMIT 1`,
    );
    const file = JSON.stringify(
      {
        instances: [{ id: pool!.id, tableName: pool!.tableName, region: pool!.region, mode: "pool" }],
        tenants: [
          {
            id: "imported-globex",
            name: "Globex (imported)",
            tier: "standard",
            deploymentModel: "pool",
            planId: "standard",
            storageInstanceId: pool!.id,
          },
          { id: "imported-hooli", name: "Hooli ✓", tier: "basic", deploymentModel: "pool", planId: "basic", storageInstanceId: pool!.id },
        ],
      },
      null,
      2,
    );

    await page.goto("/");
    await page.getByRole("navigation", { name: "Console sections" }).first().getByRole("link", { name: "Import a fleet" }).click();
    await expect(page.getByRole("heading", { name: "Import a fleet" })).toBeVisible();
    await page.getByLabel("Or paste it (JSON or CSV)").fill(file);
    await page.getByRole("button", { name: "Dry run" }).click();

    const plan = page.getByRole("table", { name: "Import plan" });
    await expect(plan.getByRole("row").filter({ hasText: `Instance ${pool!.id}` })).toContainText("unchanged");
    await expect(plan.getByRole("row").filter({ hasText: "Tenant imported-globex" })).toContainText("create");
    await expect(plan.getByRole("row").filter({ hasText: "Tenant imported-hooli" })).toContainText("create");
    await expect(page.getByLabel("Dry run counts")).toContainText("2 to create");
    // The dry run changed nothing.
    expect(await queryE2eDatabase(`SELECT id FROM "Tenant" WHERE id LIKE 'imported-%'`)).toEqual([]);
    await screenshot(page, "fleet-import-dry-run");

    await page.getByRole("button", { name: "Import…" }).click();
    await expect(page.getByText(/This creates 0 storage instances and 2 tenants/)).toBeVisible();
    await page.getByRole("button", { name: "Confirm import" }).click();
    const imported = page.getByRole("navigation", { name: "Imported tenants" });
    await expect(imported.getByRole("link", { name: "imported-globex" })).toBeVisible();
    await expect(page.getByText(/Imported: 0 new storage instances, 2 new tenants, 2 routing records published/)).toBeVisible();
    await screenshot(page, "fleet-import-done");

    const rows = await queryE2eDatabase<{ id: string; status: string; keyPrefix: string }>(
      `SELECT id, status, "keyPrefix" FROM "Tenant" WHERE id LIKE 'imported-%' ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: "imported-globex", status: "active", keyPrefix: "imported-globex#" },
      { id: "imported-hooli", status: "active", keyPrefix: "imported-hooli#" },
    ]);
    const audited = await queryE2eDatabase<{ outcome: string }>(`SELECT outcome FROM "AuditEntry" WHERE action = 'fleet.import'`);
    expect(audited).toEqual([{ outcome: "succeeded" }]);

    await imported.getByRole("link", { name: "imported-hooli" }).click();
    await expect(page.getByRole("heading", { name: "Hooli ✓" })).toBeVisible();
    await expect(page.getByText(/^Health/).first()).toBeVisible();
    await expect(page.getByRole("main")).toContainText(pool!.id);
  });
});

for (const role of ["support", "operator"] as const) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("cannot open the import page, and does not see it in the navigation", async ({ page }) => {
      const response = await page.goto("/fleet/import");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "Not allowed for your role" })).toBeVisible();
      await page.goto("/");
      await expect(
        page.getByRole("navigation", { name: "Console sections" }).first().getByRole("link", { name: "Fleet checks" }),
      ).toBeVisible();
      await expect(page.getByRole("link", { name: "Import a fleet" })).toHaveCount(0);
    });
  });
}
