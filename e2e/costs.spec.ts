// Costs end to end: the fleet page lists every tenant sorted by cost against its plan, the under-priced first
// (and the other way round on a click), with a CSV of the same; support reads all of it, has no way to override a
// price, and a forged override is refused on the server and audited. Changes no state other specs read: the admin's
// override is captured and aborted before it reaches the server.
import { expect, test, type Locator, type Request } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.describe.configure({ mode: "serial" });

/** The "Cost against plan" column's values, top to bottom: a fraction, or null for a plan with no price. */
async function ratios(table: Locator): Promise<(number | null)[]> {
  const headers = await table.getByRole("columnheader").allInnerTexts();
  const column = headers.findIndex((text) => text.includes("Cost against plan"));
  expect(column).toBeGreaterThan(0);
  const rows = table.getByRole("row");
  const values: (number | null)[] = [];
  for (let i = 1; i < (await rows.count()); i++) {
    const text = await rows
      .nth(i)
      .getByRole("cell")
      .nth(column - 1)
      .innerText();
    const percent = /([\d.,]+)%/.exec(text);
    values.push(text.includes("no price") ? null : text.includes("< 0.1%") ? 0 : Number(percent![1]!.replace(/,/g, "")) / 100);
  }
  return values;
}

function descending(values: (number | null)[]): boolean {
  const priced = values.filter((v): v is number => v !== null);
  const firstNull = values.indexOf(null);
  return priced.every((v, i) => i === 0 || priced[i - 1]! >= v) && (firstNull < 0 || values.slice(firstNull).every((v) => v === null));
}

test.describe("as an operator", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("the fleet's costs, the under-priced first, sortable both ways, with a CSV", async ({ page }) => {
    // The worker rolls usage up on its first minute: long past when the suite gets here, not when this spec runs alone.
    test.setTimeout(150_000);
    await expect
      .poll(async () => Number((await queryE2eDatabase<{ n: string }>(`SELECT count(*) AS n FROM "TenantUsageDay"`))[0]!.n), {
        timeout: 90_000,
      })
      .toBeGreaterThan(0);
    await page.goto("/costs");
    await expect(page.getByRole("heading", { name: "Costs", level: 1 })).toBeVisible();
    const table = page.getByRole("table", { name: "Tenant costs" });
    await expect(table.getByRole("columnheader", { name: /Cost against plan/ })).toHaveAttribute("aria-sort", "descending");
    const down = await ratios(table);
    expect(down.length).toBeGreaterThan(5);
    expect(down.some((v) => v !== null && v > 0)).toBe(true);
    expect(descending(down)).toBe(true);
    if ((down[0] ?? 0) > 1) await expect(table.getByRole("row").nth(1)).toContainText("under-priced");
    await expect(page.getByRole("region", { name: "How the estimate is made" })).toContainText("apportioned");

    await table.getByRole("link", { name: /Cost against plan/ }).click();
    await expect(page).toHaveURL(/sort=againstPlan&dir=asc|dir=asc/);
    await expect(table.getByRole("columnheader", { name: /Cost against plan/ })).toHaveAttribute("aria-sort", "ascending");
    const up = await ratios(table);
    const pricedUp = up.filter((v): v is number => v !== null);
    expect(pricedUp.every((v, i) => i === 0 || pricedUp[i - 1]! <= v)).toBe(true);

    const csv = await page.request.get("/api/costs/export");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toContain("tenantId,name,status,planId,planPriceUsd,monthSoFarUsd,projectedUsd,againstPlan");
    const tenants = (await queryE2eDatabase<{ n: string }>(`SELECT count(*) AS n FROM "Tenant"`))[0]!.n;
    expect(lines).toHaveLength(Number(tenants) + 1);
  });
});

test("support reads the costs and cannot override a price; a forged override is refused and audited", async ({ browser }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto("/costs");
  const form = adminPage.getByRole("form", { name: "Override a price" });
  await form.getByLabel("Region").selectOption("us-east-1");
  await form.getByLabel("Item").selectOption("onDemandWrite");
  await form.getByLabel("Price (US dollars)").fill("0.5");
  await form.getByLabel("Reason").fill("e2e: captured, never sent");
  let captured: Request | undefined;
  await adminPage.route("**/costs", async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"] && !captured) {
      captured = route.request();
      await route.abort();
    } else await route.continue();
  });
  await form.getByRole("button", { name: "Override price" }).click();
  await expect.poll(() => captured).toBeDefined();
  await admin.close();

  const support = await browser.newContext({ storageState: storageStateFor("support") });
  const page = await support.newPage();
  await page.goto("/costs");
  await expect(page.getByRole("table", { name: "Tenant costs" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Prices in us-east-1" })).toContainText("per million write request units");
  await expect(page.getByRole("form", { name: "Override a price" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Override price|Back to the list price/ })).toHaveCount(0);

  const headers = { ...captured!.headers() };
  delete headers.cookie;
  const forged = await support.request.post(captured!.url(), { headers, data: captured!.postDataBuffer() ?? undefined });
  expect(await forged.text()).toContain("Forbidden: the support role cannot do this (prices.manage)");
  expect(await queryE2eDatabase(`SELECT region FROM "PriceOverride"`)).toEqual([]);
  const refused = await queryE2eDatabase<{ outcome: string }>(
    `SELECT outcome FROM "AuditEntry" WHERE action = 'prices.override' AND "actorEmail" = 'support@example.com'`,
  );
  expect(refused.map((r) => r.outcome)).toEqual(["refused"]);
  await support.close();
});
