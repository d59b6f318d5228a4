import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/roles";

// The e2e stack backfills 24 h of the synthetic workload, in which acme-logistics
// overruns pool-use1-02 all the time (e2e/support/scenario.json).
test.describe("noisy neighbours", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("the demo's noisy neighbour is flagged on its instance page, with victims and a recommendation", async ({ page }) => {
    await page.goto("/instances/pool-use1-02");
    const flagged = page.getByRole("region", { name: /^Noisy neighbours on pool-use1-02/ });
    const card = flagged.getByRole("article", { name: "Noisy neighbour Acme Logistics" });
    await expect(card).toBeVisible();
    await expect(card.getByRole("region", { name: "Recommendation" })).toContainText(/Move it|Lower its plan/);
    // The recommended change starts from here: a migration plan or a plan change.
    const planChange = card.getByRole("link", { name: /^Change plan to/ });
    const migration = card.getByRole("link", { name: /^Migrate/ });
    await expect(planChange.or(migration)).toHaveCount(1);
    if (await migration.count()) {
      await expect(migration).toHaveAttribute("href", /^\/tenants\/acme-logistics\/migrate\?target=[a-z0-9-]+$/);
    } else {
      await expect(planChange).toHaveAttribute("href", "/tenants/acme-logistics/plan");
    }
    expect(await card.getByRole("region", { name: "Victims" }).getByRole("row").count()).toBeGreaterThan(2);
    await expect(
      page
        .getByRole("table")
        .filter({ hasText: "Share / fair" })
        .getByRole("row", { name: /Acme Logistics/ }),
    ).toContainText("noisy");
  });

  test("the Noisy neighbours page lists it with its victims and sorts by the URL", async ({ page }) => {
    await page.goto("/noisy-neighbours");
    const table = page.getByRole("table", { name: /Flagged noisy neighbours/ });
    await expect(table.getByRole("row", { name: /Acme Logistics/ })).toContainText("pool-use1-02");
    const card = page.getByRole("article", { name: "Noisy neighbour Acme Logistics" });
    const victims = card.getByRole("region", { name: "Victims" });
    await expect(victims).toContainText(/Victims \(\d+\)/);
    expect(await victims.getByRole("link").count()).toBeGreaterThan(1);

    await table.getByRole("link", { name: /Peak share/ }).click();
    await expect(page).toHaveURL(/sort=peak/);
    await expect(page.getByRole("columnheader", { name: /Peak share/ })).toHaveAttribute("aria-sort", "descending");
  });
});

test.describe("support staff", () => {
  test.use({ storageState: storageStateFor("support") });

  test("open a tenant's health from a search", async ({ page }) => {
    await page.goto("/tenants");
    await page.getByLabel("Search tenants").fill("Quartz");
    await expect(page).toHaveURL(/q=Quartz/);
    await page.getByRole("link", { name: "Quartz Legal" }).click();
    await expect(page).toHaveURL(/\/tenants\/quartz-legal$/);
    const health = page.getByRole("region", { name: /^Health/ });
    await expect(health).toContainText(/Healthy|Degraded|Critical/);
    await expect(health.getByRole("progressbar", { name: "Today's quota used" })).toBeVisible();
    await expect(health).toContainText("Refused for capacity");
  });

  test("the time range lives in the URL and survives a reload; a bad one is reported", async ({ page }) => {
    await page.goto("/instances/pool-use1-02");
    const ranges = page.getByRole("navigation", { name: "Time range" });
    await ranges.getByRole("link", { name: "24 h" }).click();
    await expect(page).toHaveURL(/range=24h/);
    await expect(page.getByText(/10-minute periods/)).toBeVisible();
    await page.reload();
    await expect(ranges.getByRole("link", { name: "24 h" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText(/10-minute periods/)).toBeVisible();

    await page.goto("/instances/pool-use1-02?range=1y");
    await expect(page.getByRole("alert").filter({ hasText: "time range was ignored" })).toContainText('"1y" is not one of');
    await expect(ranges.getByRole("link", { name: "6 h" })).toHaveAttribute("aria-current", "page");
  });

  test("live panels' routes check the session and validate the range", async ({ page, playwright, baseURL }) => {
    expect((await page.request.get("/api/fleet?range=1y")).status()).toBe(400);
    const fleet = await page.request.get("/api/fleet?range=1h");
    expect(fleet.status()).toBe(200);
    expect(await fleet.json()).toMatchObject({ ok: true, view: { window: { key: "1h" } } });
    expect((await page.request.get("/api/instances/no-such-pool/metrics")).status()).toBe(404);

    // The runner would hand a new request context the test's signed-in state: start one empty.
    const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    expect((await anonymous.get("/api/fleet")).status()).toBe(401);
    expect((await anonymous.get("/api/tenants/quartz-legal/health")).status()).toBe(401);
    await anonymous.dispose();
  });
});
