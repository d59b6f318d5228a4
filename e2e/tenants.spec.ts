import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/roles";

test.use({ storageState: storageStateFor("support") });

test("searches tenants on the server and keeps the search in the URL", async ({ page }) => {
  await page.goto("/tenants");
  const table = page.getByRole("table", { name: "Tenants" });
  await expect(table).toBeVisible();
  await page.getByLabel("Search tenants").fill("Müller");
  await expect(page).toHaveURL(/[?&]q=M%C3%BCller/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("Müller Logistik GmbH");

  // The URL alone reproduces the view: a shared link.
  await page.goto("/tenants?q=nobody-has-this-name");
  await expect(page.getByText("No tenants match")).toBeVisible();
});

test("filters and paginates", async ({ page }) => {
  await page.goto("/tenants?size=25");
  await expect(page.getByText(/^1–25 of \d+ tenants/)).toBeVisible();
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/^26–\d+ of \d+ tenants/)).toBeVisible();

  await page.goto("/tenants");
  await page.getByLabel("Tier").selectOption("enterprise");
  await expect(page).toHaveURL(/tier=enterprise/);
  const table = page.getByRole("table", { name: "Tenants" });
  // The column by its header, not its place: the list gains columns (health, issue 18).
  const tierColumn = (await table.locator("thead th").allInnerTexts()).findIndex((header) => /^Tier/.test(header.trim())) + 1;
  expect(tierColumn).toBeGreaterThan(0);
  const tiers = await table.locator(`tbody tr td:nth-child(${tierColumn})`).allInnerTexts();
  expect(tiers.length).toBeGreaterThan(0);
  expect(new Set(tiers)).toEqual(new Set(["Enterprise"]));
});

test("sorts by a column and says so to assistive technology", async ({ page }) => {
  await page.goto("/tenants");
  await page.getByRole("link", { name: /^Status/ }).click();
  await expect(page).toHaveURL(/sort=status/);
  await expect(page.getByRole("columnheader", { name: /Status/ })).toHaveAttribute("aria-sort", "ascending");
});

test("reports a malformed filter in the URL instead of failing", async ({ page }) => {
  await page.goto("/tenants?tier=platinum&size=7");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("tier: Unknown tier");
  await expect(page.getByRole("table", { name: "Tenants" })).toBeVisible();
});

test("opens a tenant's detail with placement and plan", async ({ page }) => {
  // A tenant no other test operates on, so "No operations yet" holds whatever ran before.
  await page.goto("/tenants?tier=basic&model=pool&q=Brightline");
  const first = page.getByRole("table", { name: "Tenants" }).locator("tbody tr").first().getByRole("link").first();
  const name = (await first.innerText()).trim();
  await first.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("Key prefix")).toBeVisible();
  // The plan's rate, in its own panel (the health panel also shows a measured rate in req/s).
  const plan = page.locator("section").filter({ has: page.getByRole("heading", { name: "Throttling plan" }) });
  await expect(plan.getByText(/^\d+ req\/s$/)).toBeVisible();
  await expect(page.getByText("No operations yet")).toBeVisible();
});

test("answers 404 for an unknown tenant or storage instance", async ({ page }) => {
  const response = await page.goto("/tenants/no-such-tenant");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect((await page.goto("/tenants/%3Cscript%3E"))?.status()).toBe(404);
  expect((await page.goto("/instances/no-such-instance"))?.status()).toBe(404);
});

test("lists storage instances and the tenants placed on one", async ({ page }) => {
  await page.goto("/instances");
  const table = page.getByRole("table", { name: "Storage instances" });
  await expect(table).toContainText("pool");
  await table.locator("tbody tr").first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Tenants placed here" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Tenants", exact: true })).toBeVisible();
});
