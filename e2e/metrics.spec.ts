import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/roles";

// The Content-Security-Policy (issue 18) must not break any page this spec visits (charts, tables, forms, findings,
// sign-in, not found): every violation the browser reports, as an event or on the console, fails the test.
let violations: string[] = [];
test.beforeEach(async ({ page }) => {
  violations = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  await page.exposeFunction("__cspViolation", (report: string) => violations.push(report));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (event) =>
      (window as unknown as { __cspViolation: (r: string) => void }).__cspViolation(
        `${location.pathname}: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`,
      ),
    ),
  );
});
test.afterEach(() => expect(violations).toEqual([]));

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

  test("the old Noisy neighbours page leads to the watcher's findings of that kind, with its victims and a recommendation", async ({
    page,
  }) => {
    await page.goto("/noisy-neighbours");
    await expect(page).toHaveURL(/\/findings\?kind=noisy_neighbour$/);
    await expect(page.getByRole("combobox", { name: "Kind" })).toHaveValue("noisy_neighbour");
    // The watcher evaluates the fleet every minute beside the worker: its first evaluation of the backfilled day opens it.
    const row = page.getByRole("table", { name: "Findings" }).getByRole("row", { name: /Acme Logistics/ });
    await expect(async () => {
      await page.reload();
      await expect(row).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 180_000 });
    await expect(row).toContainText("pool-use1-02");
    await expect(row).toContainText("Open");

    await row.getByRole("link", { name: "Noisy neighbour" }).click();
    await expect(page).toHaveURL(/\/findings\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Noisy neighbour: Acme Logistics on pool-use1-02");
    const victims = page.getByRole("region", { name: /^Victims \(\d+\)$/ });
    expect(await victims.getByRole("row").count()).toBeGreaterThan(2);
    await expect(page.getByRole("region", { name: /^Recommendation/ })).toContainText(/Move Acme Logistics|Lower Acme Logistics/);
    await expect(page.getByRole("region", { name: "History" })).toContainText("Opened");

    // A filter the list does not know is reported and ignored.
    await page.goto("/findings?severity=urgent&kind=noisy_neighbour");
    await expect(page.getByRole("alert").filter({ hasText: "filters were ignored" })).toContainText('severity: "urgent"');
    await expect(page.getByRole("table", { name: "Findings" }).getByRole("row", { name: /Acme Logistics/ })).toBeVisible();
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
    // A key every JavaScript object has is not a range either (it was read as one, and reported as a CloudWatch outage).
    await page.goto("/instances/pool-use1-02?range=toString");
    await expect(page.getByRole("alert").filter({ hasText: "time range was ignored" })).toContainText('"toString" is not one of');
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

test.describe("security headers", () => {
  test("pages carry a nonce-based CSP, API routes the other headers; sign-in and not-found pages run without violations", async ({
    page,
    request,
  }) => {
    const first = await request.get("/sign-in");
    const second = await request.get("/sign-in");
    const policy = first.headers()["content-security-policy"]!;
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(second.headers()["content-security-policy"]).not.toBe(policy);
    expect(first.headers()).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
    });
    // Served over plain http here: no HSTS (it is sent when the request came over https).
    expect(first.headers()["strict-transport-security"]).toBeUndefined();
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    expect(await first.text()).toContain(`nonce="${nonce}"`);
    const health = await request.get("/api/health");
    expect(health.headers()["content-security-policy"]).toBeUndefined();
    expect(health.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY" });

    await page.goto("/sign-in");
    await expect(page.getByLabel("Email")).toBeVisible();
    const missing = await page.goto("/no-such-page");
    expect(missing?.headers()["content-security-policy"]).toContain("'nonce-");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  });
});
