// The integration check end to end: an operator checks a tenant the demo's
// data plane serves (its metrics, its live readers, a freeze they acknowledge,
// writes resuming) and sees every item pass on the tenant's page; support
// reads the checklist with no control to run it.
import { expect, test } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.describe.configure({ mode: "serial" });

// A tenant of the demo scenario that no other spec moves, restores or freezes.
const tenantId = "northwind-traders";

test.describe("as an operator", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("checks a tenant's integration after confirming, and sees every item pass", async ({ page }) => {
    await page.goto(`/tenants/${tenantId}`);
    const panel = page.getByRole("region", { name: "Integration check" });
    await panel.getByRole("button", { name: /Run the check|Check again/ }).click();
    await expect(panel.getByText(/freezes northwind-traders's writes until every data-plane reader acknowledges it/)).toBeVisible();
    await panel.getByRole("button", { name: "Freeze briefly and check" }).click();

    // The check's operation page follows it live; the tenant's page then shows its checklist.
    await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
    await expect(page.getByRole("region", { name: "Progress" }).getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 45_000 });
    await page.goto(`/tenants/${tenantId}`);
    const checklist = panel.getByRole("list", { name: "Integration checklist" });
    await expect(checklist.getByText("Passed")).toHaveCount(4);
    await expect(checklist).toContainText(/reader\(s\) acknowledged routing version \d+/);
    await expect(checklist).toContainText(/writes frozen for [\d,]+ ms, then resumed/);
    const [routing] = await queryE2eDatabase<{ status: string }>(`SELECT status FROM "Tenant" WHERE id = $1`, [tenantId]);
    expect(routing?.status).toBe("active");
    const audited = await queryE2eDatabase<{ action: string }>(
      `SELECT action FROM "AuditEntry" WHERE "targetId" = $1 AND action = 'tenants.checkIntegration' AND outcome = 'succeeded'`,
      [tenantId],
    );
    expect(audited.length).toBeGreaterThan(0);
  });
});

test.describe("as support", () => {
  test.use({ storageState: storageStateFor("support") });

  test("reads the checklist with no control to run it", async ({ page }) => {
    await page.goto(`/tenants/${tenantId}`);
    const panel = page.getByRole("region", { name: "Integration check" });
    await expect(panel.getByRole("list", { name: "Integration checklist" })).toBeVisible();
    await expect(panel.getByRole("button", { name: /Run the check|Check again/ })).toHaveCount(0);
  });
});
