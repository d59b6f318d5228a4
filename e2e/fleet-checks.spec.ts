// Fleet checks end to end: what no operation looks after is shown where an
// operator looks (the fleet checks and the tenant's page), support reads it
// without controls, and a tenant the catalog left restoring while routing
// says active is repaired (by the operator at once, or by the worker's
// minute duty if it got there first) and audited.
import { expect, test } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.describe.configure({ mode: "serial" });

// The demo fleet has one tenant left provisioning that no operation ever onboarded.
const halfOnboarded = "tidewater-shipping";

test.describe("as support", () => {
  test.use({ storageState: storageStateFor("support") });

  test("reads the fleet checks and a tenant's problem, with no repair or clean-up control", async ({ page }) => {
    await page.goto("/fleet-checks");
    const states = page.getByRole("table", { name: "Tenants whose catalog and routing disagree" });
    const row = states.getByRole("row").filter({ hasText: halfOnboarded });
    await expect(row).toContainText("Needs an operator");
    await expect(row).toContainText(/Half-onboarded/);
    await expect(page.getByRole("button", { name: /Repair now|Lift the freeze|Clean up|Drop table/ })).toHaveCount(0);

    await page.goto(`/tenants/${halfOnboarded}`);
    const notice = page.getByRole("region", { name: "Catalog and routing disagree" });
    await expect(notice).toContainText(/Half-onboarded: provisioning/);
  });
});

test.describe("as an operator", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("repairs a tenant left restoring while routing says active, audited", async ({ page }) => {
    const [tenant] = await queryE2eDatabase<{ id: string }>(
      `SELECT t.id FROM "Tenant" t WHERE t.status = 'active' AND t."deploymentModel" = 'pool'
         AND NOT EXISTS (SELECT 1 FROM "Operation" o WHERE o."tenantId" = t.id) ORDER BY t.id DESC LIMIT 1`,
    );
    const id = tenant!.id;
    await queryE2eDatabase(`UPDATE "Tenant" SET status = 'restoring' WHERE id = $1`, [id]);

    await page.goto("/fleet-checks");
    const row = page.getByRole("table", { name: "Tenants whose catalog and routing disagree" }).getByRole("row").filter({ hasText: id });
    if ((await row.count()) > 0) {
      await expect(row).toContainText("Worker will repair");
      await row.getByRole("button", { name: "Repair now" }).click();
      await expect(row.getByText(/The catalog will say active in pool-/)).toBeVisible();
      await row.getByRole("button", { name: "Repair", exact: true }).click();
    }
    // Repaired by this operator, or by the worker's reconcile if its minute came first: either way once, and audited.
    await expect
      .poll(async () => (await queryE2eDatabase<{ status: string }>(`SELECT status FROM "Tenant" WHERE id = $1`, [id]))[0]?.status)
      .toBe("active");
    const audited = await queryE2eDatabase<{ action: string }>(
      `SELECT action FROM "AuditEntry" WHERE "targetId" = $1 AND action IN ('tenants.repairState', 'tenants.reconcile') AND outcome = 'succeeded'`,
      [id],
    );
    expect(audited).toHaveLength(1);
    await page.goto(`/tenants/${id}`);
    await expect(page.getByRole("region", { name: "Catalog and routing disagree" })).toHaveCount(0);
  });
});
