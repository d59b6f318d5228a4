// Operations end to end: onboarding a pool and a silo tenant and watching
// them serve traffic, a plan change whose refusals show on the tenant's health
// page, the audit log, and what support staff can and cannot do.
import { expect, test, type Page, type Request } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

const poolName = `Ünïcødé ☕ שלום "quoted" <b>not bold</b>`;

async function onboard(page: Page, fields: { name: string; id: string; tier: string }) {
  await page.goto("/tenants");
  await page.getByRole("link", { name: "Onboard tenant" }).click();
  await page.getByLabel("Tenant name").fill(fields.name);
  await page.getByLabel("Tenant id").fill(fields.id);
  await page.getByLabel("Tier").selectOption(fields.tier);
  await page.getByLabel("Contact e-mail").fill(`ops@${fields.id}.example`);
  await page.getByRole("button", { name: "Onboard tenant" }).click();
  await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
  await expect(page.getByRole("progressbar").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Progress" }).getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 60_000 });
}

/** The figure beside a label in the tenant health panel, re-read until `accept` says yes (metrics arrive every few seconds). */
async function pollHealthFact(page: Page, url: string, label: string, accept: (text: string) => boolean) {
  await expect
    .poll(
      async () => {
        await page.goto(url);
        await page.getByRole("region", { name: /^Health/ }).waitFor();
        const value = page.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd");
        // "No data yet" until the first minute with the tenant's requests has ended and been published.
        return (await value.count()) > 0 && accept(await value.innerText());
      },
      { timeout: 150_000, intervals: [5_000] },
    )
    .toBe(true);
}

// One journey in steps: the later steps look at the tenants and the plan change the earlier ones made.
test.describe("operators", () => {
  test.use({ storageState: storageStateFor("operator") });
  // Metrics of a minute are read once the minute has ended and the workload has published it.
  test.describe.configure({ mode: "serial", timeout: 200_000 });

  test("onboard a pool tenant and watch it become active", async ({ page }) => {
    await onboard(page, { name: poolName, id: "e2e-pool-tenant", tier: "basic" });
    const steps = page.getByRole("region", { name: "Steps" });
    await expect(steps.getByText(/^pool-use1-0\d: \d+ % busy at its 24 h p95/)).toBeVisible();
    await expect(steps.getByText("20 items written")).toBeVisible();

    await page.getByRole("link", { name: "e2e-pool-tenant" }).click();
    // Stored and shown verbatim: the markup is text, not markup.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(poolName);
    await expect(page.getByText("active", { exact: true }).first()).toBeVisible();
  });

  test("onboard a silo tenant: its own table and storage instance", async ({ page }) => {
    await onboard(page, { name: "E2E Silo Bank", id: "e2e-silo-bank", tier: "premium" });
    await expect(page.getByRole("region", { name: "Steps" }).getByText("table tsc-silo-e2e-silo-bank is active")).toBeVisible();
    await page.goto("/tenants/e2e-silo-bank");
    await expect(page.getByRole("link", { name: "silo-e2e-silo-bank" })).toBeVisible();
  });

  test("both new tenants receive traffic: the data plane serves them from their routing records", async ({ page }) => {
    await pollHealthFact(page, "/tenants/e2e-pool-tenant?range=1h", "Requests", (text) => !/^0 /.test(text));
    await pollHealthFact(page, "/tenants/e2e-silo-bank?range=1h", "Requests", (text) => !/^0 /.test(text));
  });

  test("a refused request says why and changes nothing", async ({ page }) => {
    await page.goto("/tenants/new");
    await page.getByLabel("Tenant name").fill("Taken");
    await page.getByLabel("Tenant id").fill("acme-logistics");
    await page.getByLabel("Contact e-mail").fill("not-an-email");
    await page.getByRole("button", { name: "Onboard tenant" }).click();
    await expect(page.getByText("An e-mail address such as ops@example.com")).toBeVisible();
    await page.getByLabel("Contact e-mail").fill("ops@example.com");
    await page.getByRole("button", { name: "Onboard tenant" }).click();
    await expect(page.getByText("This id is taken")).toBeVisible();
    await expect(page).toHaveURL(/\/tenants\/new$/);
  });

  test("change a plan, then see the new limit's refusals on the tenant's health page", async ({ page }) => {
    await page.goto("/tenants/vandelay-industries");
    await pollHealthFact(page, "/tenants/vandelay-industries?range=1h", "Refused by its plan", (text) => /^0 /.test(text));
    await page.getByRole("link", { name: "Change plan" }).click();
    const restricted = page.getByRole("row", { name: /Restricted/ });
    // The measured demand (about 11 req/s) is over the restricted plan's 10 req/s: the screen says so before confirming.
    await expect(restricted.getByRole("cell").nth(5)).not.toHaveText(/^0 req/);
    // Nothing is preselected; a plan that lowers a limit is confirmed on a second step that shows its measured refusals.
    await expect(page.getByRole("radio", { checked: true })).toHaveCount(0);
    await restricted.getByRole("radio").check();
    await page.getByRole("button", { name: "Review lowering to Restricted" }).click();
    const confirmation = page.getByRole("region", { name: /Confirm: Restricted lowers vandelay-industries's rate/ });
    await expect(confirmation).toContainText(/Rate \d+ req\/s → 10 req\/s/);
    await expect(confirmation.getByTestId("lowering-effect")).toContainText(
      /^Under Restricted, [1-9][\d,]* of the tenant's [\d,]+ requests in the last 24 hours would have been refused/,
    );
    await page.getByRole("button", { name: "Confirm: move vandelay-industries to Restricted" }).click();
    await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
    await expect(page.getByRole("region", { name: "Progress" }).getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 60_000 });
    await page.goto("/tenants/vandelay-industries");
    await expect(page.locator("section").filter({ has: page.getByRole("heading", { name: "Throttling plan" }) })).toContainText("10 req/s");
    await pollHealthFact(page, "/tenants/vandelay-industries?range=1h", "Refused by its plan", (text) => !/^0 /.test(text));
  });

  test("the operations centre filters, and the audit log records every request and exports it", async ({ page }) => {
    await page.goto("/operations?kind=onboard");
    const table = page.getByRole("table", { name: "Operations" });
    await expect(table).toContainText("e2e-pool-tenant");
    await expect(table).not.toContainText("vandelay-industries");
    await page.goto("/operations?kind=change_plan&status=succeeded");
    await expect(table).toContainText("vandelay-industries");

    await page.goto("/audit?action=tenants.onboard");
    const entries = page.getByRole("table", { name: "Audit entries" });
    await expect(entries).toContainText("e2e-pool-tenant");
    await expect(entries).toContainText("operator@example.com");
    const csv = await page.request.get("/api/audit/export?target=e2e-pool-tenant");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("at,actorEmail,actorRole,action,targetType,targetId,outcome,detail,operationId,parameters,targets");
    expect(text).toContain("tenants.onboard");
    expect(text).toContain("operations.onboard");
  });
});

test.describe("support staff", () => {
  test.use({ storageState: storageStateFor("support") });
  test.describe.configure({ timeout: 90_000 });

  test("see no action controls", async ({ page, browser }) => {
    // An operation of its own to look at, so this test needs nothing another one left behind.
    const operator = await browser.newContext({ storageState: storageStateFor("operator") });
    const operatorPage = await operator.newPage();
    await onboard(operatorPage, { name: "E2E Support View", id: "e2e-support-view", tier: "standard" });
    const operationUrl = operatorPage.url();
    await operator.close();

    await page.goto("/tenants");
    await expect(page.getByRole("table", { name: "Tenants" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Onboard tenant" })).toHaveCount(0);
    await page.goto("/tenants/acme-logistics");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme Logistics");
    await expect(page.getByRole("link", { name: "Change plan" })).toHaveCount(0);
    await page.goto("/plans");
    await expect(page.getByRole("table", { name: "Throttling plans" })).toContainText("Restricted");
    await expect(page.getByRole("link", { name: /^Edit plan/ })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "New throttling plan" })).toHaveCount(0);
    await page.goto("/operations?kind=onboard");
    await expect(page.getByRole("table", { name: "Operations" })).toContainText("e2e-support-view");
    await page.goto(operationUrl);
    await expect(page.getByRole("region", { name: "Steps" })).toBeVisible();
    await expect(page.getByRole("button", { name: /Cancel operation|Retry/ })).toHaveCount(0);
    // Support's view of a migration (figures, no rollback or clean-up) is checked where the migration happens: migration.spec.ts.
    for (const path of ["/tenants/new", "/tenants/acme-logistics/plan", "/tenants/acme-logistics/migrate", "/plans/basic"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
  });
});

test("support cannot onboard a tenant even by forging the server action call", async ({ browser }) => {
  const operator = await browser.newContext({ storageState: storageStateFor("operator") });
  const operatorPage = await operator.newPage();
  await operatorPage.goto("/tenants/new");
  let captured: Request | undefined;
  await operatorPage.route("**/tenants/new", async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"]) {
      captured = route.request();
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await operatorPage.getByLabel("Tenant name").fill("Forged");
  await operatorPage.getByLabel("Tenant id").fill("forged-tenant");
  await operatorPage.getByLabel("Contact e-mail").fill("ops@forged.example");
  await operatorPage.getByRole("button", { name: "Onboard tenant" }).click();
  await expect.poll(() => captured).toBeDefined();
  await operator.close();

  const support = await browser.newContext({ storageState: storageStateFor("support") });
  const headers = { ...captured!.headers() };
  delete headers.cookie;
  const response = await support.request.post("/tenants/new", { headers, data: captured!.postDataBuffer() ?? undefined });
  expect(await response.text()).toContain("Forbidden: the support role cannot do this (tenants.onboard)");
  await support.close();

  expect(await queryE2eDatabase(`SELECT id FROM "Tenant" WHERE id = 'forged-tenant'`)).toEqual([]);
  expect(await queryE2eDatabase(`SELECT id FROM "Operation" WHERE "tenantId" = 'forged-tenant'`)).toEqual([]);
  const refusals = await queryE2eDatabase<{ action: string; actor_email: string; target: string }>(
    `SELECT action, "actorEmail" AS actor_email, "targetId" AS target FROM "AuditEntry" WHERE outcome = 'refused' ORDER BY at DESC LIMIT 1`,
  );
  expect(refusals[0]).toEqual({ action: "tenants.onboard", actor_email: "support@example.com", target: "forged-tenant" });
});

test("no secret reaches the browser: the pages and scripts of the forms that start operations hold none", async ({ browser }) => {
  // The e2e stack's session secret (local/e2e-server.ts), database URLs with credentials, AWS credentials, password hashes.
  const secrets = /e2e-only-secret|postgres(ql)?:\/\/[^"'\s]*@|AWS_SECRET_ACCESS_KEY|\$2[aby]\$\d\d\$/;
  const context = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.add(response.url());
  });
  for (const path of ["/tenants/new", "/plans", "/plans/basic", "/tenants/acme-logistics/plan", "/operations", "/users"]) {
    const response = await page.goto(path);
    // The HTML carries the server components' payload: the props every client component got.
    expect(await response!.text(), path).not.toMatch(secrets);
    await page.waitForLoadState("networkidle");
  }
  expect(scripts.size).toBeGreaterThan(3);
  for (const url of scripts) expect(await (await page.request.get(url)).text(), url).not.toMatch(secrets);
  await context.close();
});
