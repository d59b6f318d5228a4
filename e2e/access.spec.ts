import { expect, test, type Request } from "@playwright/test";
import { demoUsers } from "../prisma/demo-fleet";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor, type DemoRole } from "./support/roles";

test.describe("signed out", () => {
  test("every console page sends you to sign-in, and back after", async ({ page }) => {
    for (const path of ["/", "/tenants", "/instances", "/backups", "/users", "/audit"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/sign-in/);
    }
    await page.goto("/tenants?tier=basic");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
    const support = demoUsers.find((u) => u.role === "support")!;
    await page.getByLabel("Email").fill(support.email);
    await page.getByLabel("Password").fill(support.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/tenants\?tier=basic/);
  });

  test("the sign-in page names the console's icons, manifest and preview, and a signed-out visitor gets them", async ({
    page,
    request,
  }) => {
    await page.goto("/sign-in");
    const head = page.locator("head");
    const manifest = await head.locator('link[rel="manifest"]').getAttribute("href");
    const icons = await head
      .locator('link[rel="icon"], link[rel="apple-touch-icon"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute("href")!));
    const preview = await head.locator('meta[property="og:image"]').getAttribute("content");
    expect(icons).toEqual(expect.arrayContaining(["/favicon.ico", "/favicon.svg", "/apple-touch-icon.png"]));
    expect(preview).toMatch(/^https?:\/\/[^/]+\/og-image\.png$/);
    for (const path of [manifest!, ...icons, new URL(preview!).pathname, "/icon-192.png", "/icon-512.png"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(200);
      expect(response.headers()["content-type"], path).toMatch(/^image\/|^application\/manifest\+json/);
    }
    const webManifest = await (await request.get(manifest!)).json();
    expect(webManifest).toMatchObject({ name: "Tenant Storage Console", display: "standalone", start_url: "/" });
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Email or password is incorrect");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("health tells an anonymous caller only what is reachable; a signed-in user also gets versions and details", async ({
    request,
    browser,
  }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      database: { reachable: true },
      dynamoDb: { reachable: true },
      cloudWatch: { reachable: true },
    });

    const support = await browser.newContext({ storageState: storageStateFor("support") });
    const body = await (await support.request.get("/api/health")).json();
    await support.close();
    expect(body.database.reachable).toBe(true);
    expect(body.database.version).toMatch(/^PostgreSQL/);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.dynamoDb).toMatchObject({ reachable: true, detail: expect.stringContaining("routing table") });
    expect(body.cloudWatch).toMatchObject({ reachable: true });
    expect(body.cloudWatch.detail).toMatch(/^[1-9]\d*\+? request metrics/);
    expect(body.status).toBe("ok");
    expect(JSON.stringify(body)).not.toMatch(/postgres(ql)?:\/\/|password|secret/i);
  });

  test("a malformed callbackUrl never breaks the sign-in page", async ({ request }) => {
    for (const query of [
      "callbackUrl=%",
      "callbackUrl=%E0%A4%A",
      "callbackUrl=/a&callbackUrl=//evil.example",
      `callbackUrl=${"a".repeat(8_000)}`,
    ]) {
      const response = await request.get(`/sign-in?${query}`, { maxRedirects: 0 });
      expect(response.status(), query.slice(0, 40)).toBe(200);
    }
  });
});

test("signed in, /sign-in?callbackUrl= sends you only to a page of the console", async ({ browser, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const context = await browser.newContext({ storageState: storageStateFor("support") });
  // Forms a browser resolves to another origin (tab or newline in the path, backslashes, protocol-relative, userinfo).
  const bypasses = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\\evil.example",
    "//evil.example",
    "///evil.example",
    "https:evil.example",
    "https://127.0.0.1@evil.example/",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
  ];
  for (const value of bypasses) {
    const response = await context.request.get(`/sign-in?callbackUrl=${encodeURIComponent(value)}`, { maxRedirects: 0 });
    expect(response.status(), JSON.stringify(value)).toBe(307);
    expect(new URL(response.headers().location!, origin).origin, JSON.stringify(value)).toBe(origin);
  }
  const page = await context.newPage();
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/\t/evil.example")}`);
  expect(new URL(page.url()).origin).toBe(origin);
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/tenants?tier=basic")}`);
  await expect(page).toHaveURL(/\/tenants\?tier=basic$/);
  await context.close();
});

test("signing out ends the session on the server: a copy of its cookie gets the sign-in page", async ({ browser }) => {
  const support = demoUsers.find((u) => u.role === "support")!;
  const original = await browser.newContext();
  const page = await original.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(support.email);
  await page.getByLabel("Password").fill(support.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-user")).toContainText(support.email);

  const copy = await browser.newContext();
  await copy.addCookies(await original.cookies());
  const copied = await copy.newPage();
  await copied.goto("/tenants");
  await expect(copied.getByTestId("signed-in-user")).toContainText(support.email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await copied.goto("/tenants");
  await expect(copied).toHaveURL(/\/sign-in/);
  await original.close();
  await copy.close();
});

for (const role of ["admin", "operator", "support"] as const satisfies DemoRole[]) {
  test.describe(`signed in as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("sees the shell with their name and role", async ({ page }) => {
      await page.goto("/");
      const user = demoUsers.find((u) => u.role === role)!;
      await expect(page.getByTestId("signed-in-user")).toContainText(user.email);
      await expect(page.getByTestId("signed-in-user")).toContainText(role, { ignoreCase: true });
      const nav = page.getByRole("navigation", { name: "Console sections" }).first();
      for (const section of [
        "Overview",
        "Tenants",
        "Storage instances",
        "Findings",
        "Fairness",
        "Operations",
        "Fleet checks",
        "Audit log",
      ]) {
        await expect(nav.getByRole("link", { name: section })).toBeVisible();
      }
    });

    test(`${role === "admin" ? "sees" : "sees no"} user-management controls`, async ({ page }) => {
      await page.goto("/users");
      await expect(page.getByRole("table", { name: "Users" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Save" })).toHaveCount(role === "admin" ? demoUsers.length : 0);
    });
  });
}

test("support cannot change a role even by forging the server action call", async ({ browser }) => {
  // Capture a genuine call of the action from an admin's page, without letting it reach the server.
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto("/users");
  let captured: Request | undefined;
  await adminPage.route("**/users", async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"]) {
      captured = route.request();
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await adminPage.getByLabel("Role for support@example.com").selectOption("admin");
  await adminPage.getByRole("form", { name: "Access for support@example.com" }).getByRole("button", { name: "Save" }).click();
  await expect.poll(() => captured).toBeDefined();
  await admin.close();

  const before = await queryE2eDatabase<{ email: string; role: string; disabled: boolean }>(
    `SELECT email, role::text, disabled FROM "User" ORDER BY email`,
  );
  const succeededBefore = await queryE2eDatabase<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEntry" WHERE outcome = 'succeeded'`);

  // Replay it with support's session: a privilege escalation attempt.
  const support = await browser.newContext({ storageState: storageStateFor("support") });
  const headers = { ...captured!.headers() };
  delete headers.cookie;
  const response = await support.request.post("/users", { headers, data: captured!.postDataBuffer() ?? undefined });
  const text = await response.text();
  expect(text).toContain("Forbidden: the support role cannot do this (users.manage)");
  await support.close();

  const after = await queryE2eDatabase<{ email: string; role: string; disabled: boolean }>(
    `SELECT email, role::text, disabled FROM "User" ORDER BY email`,
  );
  expect(after).toEqual(before);
  expect(after.find((u) => u.email === "support@example.com")?.role).toBe("support");
  const succeededAfter = await queryE2eDatabase<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEntry" WHERE outcome = 'succeeded'`);
  expect(succeededAfter).toEqual(succeededBefore);
  const refusals = await queryE2eDatabase<{ action: string; actor_email: string }>(
    `SELECT action, "actorEmail" AS actor_email FROM "AuditEntry" WHERE outcome = 'refused' ORDER BY at DESC LIMIT 1`,
  );
  expect(refusals[0]).toEqual({ action: "users.updateAccess", actor_email: "support@example.com" });
});

test("an admin disables a user, whose session ends at once, and the change is audited", async ({ browser }) => {
  const operatorUser = demoUsers.find((u) => u.role === "operator")!;
  const operator = await browser.newContext({ storageState: storageStateFor("operator") });
  const operatorPage = await operator.newPage();
  await operatorPage.goto("/");
  await expect(operatorPage.getByTestId("signed-in-user")).toContainText(operatorUser.email);

  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto("/users");
  const form = page.getByRole("form", { name: "Access for operator@example.com" });
  await form.getByLabel("Sign-in for operator@example.com").selectOption("true");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toContainText("operator@example.com is now operator (disabled)");
  await operatorPage.goto("/");
  await expect(operatorPage).toHaveURL(/\/sign-in/);
  await page.goto("/audit");
  await expect(page.getByRole("table", { name: "Audit entries" })).toContainText("users.updateAccess");
  // Put it back so other specs keep a working operator.
  await page.goto("/users");
  await form.getByLabel("Sign-in for operator@example.com").selectOption("false");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toContainText("operator@example.com is now operator.");
  await admin.close();
  // Its old session stays ended: sign in again and keep the new one for the specs that follow.
  await operatorPage.getByLabel("Email").fill(operatorUser.email);
  await operatorPage.getByLabel("Password").fill(operatorUser.password);
  await operatorPage.getByRole("button", { name: "Sign in" }).click();
  await expect(operatorPage.getByTestId("signed-in-user")).toContainText(operatorUser.email);
  await operator.storageState({ path: storageStateFor("operator") });
  await operator.close();
});
