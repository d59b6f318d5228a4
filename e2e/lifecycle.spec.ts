// A tenant's lifecycle end to end, on a tenant this spec onboards (no other spec
// reads it): an operator suspends it (the data-plane library then refuses it
// with the reason) and resumes it; an operator requests its offboarding, an
// admin approves it, and the operator cancels it during the grace period (the
// tenant serves again). Support sees every step and can change none of it: no
// controls, and forged server-action calls are refused and audited.
import { expect, test, type Browser, type Page, type Request } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor, type DemoRole } from "./support/roles";

const tenantId = "e2e-lifecycle";
const tenantUrl = `/tenants/${tenantId}`;
const reason = "Unpaid invoice E2E-2041";

const lifecycle = (page: Page) => page.getByRole("region", { name: "Lifecycle" });

async function as(browser: Browser, role: DemoRole) {
  const context = await browser.newContext({ storageState: storageStateFor(role) });
  return { context, page: await context.newPage() };
}

/** Submits a form as `role` but aborts the server action's POST, and returns it to replay as someone else. */
async function captureAction(page: Page, submit: () => Promise<void>): Promise<Request> {
  let captured: Request | undefined;
  await page.route(`**${tenantUrl}`, async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"] && !captured) {
      captured = route.request();
      await route.abort();
    } else await route.continue();
  });
  await submit();
  await expect.poll(() => captured).toBeDefined();
  await page.unrouteAll({ behavior: "ignoreErrors" });
  return captured!;
}

async function replayAsSupport(browser: Browser, request: Request): Promise<string> {
  const { context } = await as(browser, "support");
  const headers = { ...request.headers() };
  delete headers.cookie;
  const response = await context.request.post(tenantUrl, { headers, data: request.postDataBuffer() ?? undefined });
  const text = await response.text();
  await context.close();
  return text;
}

test.describe.configure({ mode: "serial", timeout: 120_000 });

test("an operator onboards the tenant this journey uses", async ({ browser }) => {
  const { context, page } = await as(browser, "operator");
  await page.goto("/tenants/new");
  await page.getByLabel("Tenant name").fill("E2E Lifecycle");
  await page.getByLabel("Tenant id").fill(tenantId);
  await page.getByLabel("Tier").selectOption("basic");
  await page.getByLabel("Contact e-mail").fill(`ops@${tenantId}.example`);
  await page.getByRole("button", { name: "Onboard tenant" }).click();
  await expect(page).toHaveURL(/\/operations\/[a-z0-9]+$/);
  await expect(page.getByRole("region", { name: "Progress" }).getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 60_000 });
  await context.close();
});

test("suspend: the data plane refuses the tenant with the reason; support sees it and cannot resume; resume serves it again", async ({
  browser,
}) => {
  const { context, page } = await as(browser, "operator");
  await page.goto(tenantUrl);
  const panel = lifecycle(page);
  await expect(panel).toContainText("the data-plane library serves it");
  await panel.getByRole("button", { name: "Suspend…" }).click();
  await panel.getByLabel("Reason").fill(reason);
  await panel.getByRole("button", { name: "Suspend", exact: true }).click();
  await expect(panel.getByText(reason, { exact: true })).toBeVisible();
  // Asked as a service would ask it: the library's own refusal, with the reason.
  await expect(panel).toContainText(`refuses it with TenantUnavailableError: tenant ${tenantId} is suspended: ${reason}`);
  await page.goto(tenantUrl);
  await expect(page.getByRole("region", { name: /^Health/ })).toContainText(`(“${reason}”): the data plane refuses its reads and writes`);

  // Support reads the same, with no control; a forged resume (the operator's call, replayed) is refused and audited.
  const support = await as(browser, "support");
  await support.page.goto(tenantUrl);
  await expect(lifecycle(support.page)).toContainText(reason);
  await expect(lifecycle(support.page).getByRole("button")).toHaveCount(0);
  await support.context.close();
  const resume = await captureAction(page, async () => {
    await panel.getByRole("button", { name: "Resume…" }).click();
    await panel.getByRole("button", { name: "Resume", exact: true }).click();
  });
  expect(await replayAsSupport(browser, resume)).toContain("Forbidden: the support role cannot do this (tenants.suspend)");
  const [refusal] = await queryE2eDatabase<{ actor: string; target: string }>(
    `SELECT "actorEmail" AS actor, "targetId" AS target FROM "AuditEntry" WHERE action = 'tenants.resume' AND outcome = 'refused' ORDER BY at DESC LIMIT 1`,
  );
  expect(refusal).toEqual({ actor: "support@example.com", target: tenantId });
  expect(await queryE2eDatabase(`SELECT status FROM "Tenant" WHERE id = $1`, [tenantId])).toEqual([{ status: "suspended" }]);

  await page.goto(tenantUrl);
  await panel.getByRole("button", { name: "Resume…" }).click();
  await panel.getByRole("button", { name: "Resume", exact: true }).click();
  await expect(panel).toContainText("the data-plane library serves it");
  await expect(panel.getByRole("button", { name: "Suspend…" })).toBeVisible();
  await context.close();
});

test("offboarding: requested by an operator, approved by an admin (support's forged approval refused), cancelled during grace", async ({
  browser,
}) => {
  const operator = await as(browser, "operator");
  await operator.page.goto(tenantUrl);
  const panel = lifecycle(operator.page);
  await panel.getByRole("button", { name: "Offboard…" }).click();
  await panel.getByLabel("Reason").fill("Contract ended (e2e)");
  await panel.getByLabel("Grace period (days)").fill("7");
  const request = panel.getByRole("button", { name: "Request offboarding" });
  await panel.getByLabel(/Type the tenant's id/).fill("e2e-lifecycl");
  await expect(request).toBeDisabled();
  await panel.getByLabel(/Type the tenant's id/).fill(tenantId);
  await request.click();
  await expect(panel.getByText("Awaiting approval").first()).toBeVisible();
  // An operator may withdraw it, never approve it.
  await expect(panel.getByRole("button", { name: "Withdraw the request…" })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Approve…" })).toHaveCount(0);

  const support = await as(browser, "support");
  await support.page.goto(tenantUrl);
  await expect(lifecycle(support.page)).toContainText("Awaiting approval");
  await expect(lifecycle(support.page).getByRole("button")).toHaveCount(0);

  const admin = await as(browser, "admin");
  await admin.page.goto(tenantUrl);
  const adminPanel = lifecycle(admin.page);
  await adminPanel.getByRole("button", { name: "Approve…" }).click();
  const approval = await captureAction(admin.page, () => adminPanel.getByRole("button", { name: "Approve offboarding" }).click());
  expect(await replayAsSupport(browser, approval)).toContain("Forbidden: the support role cannot do this (tenants.approveOffboarding)");
  const [refusal] = await queryE2eDatabase<{ actor: string }>(
    `SELECT "actorEmail" AS actor FROM "AuditEntry" WHERE action = 'tenants.approveOffboarding' AND outcome = 'refused' ORDER BY at DESC LIMIT 1`,
  );
  expect(refusal).toEqual({ actor: "support@example.com" });

  await admin.page.goto(tenantUrl);
  await adminPanel.getByRole("button", { name: "Approve…" }).click();
  await adminPanel.getByRole("button", { name: "Approve offboarding" }).click();
  // The worker suspends the tenant and exports it, then waits out the grace period.
  await expect
    .poll(
      async () => {
        await operator.page.goto(tenantUrl);
        return panel.getByText("Grace period", { exact: true }).first().isVisible();
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBe(true);
  await expect(panel).toContainText(`tenant ${tenantId} is suspended: offboarding`);
  await expect(panel).toContainText(/grace period, which ends on .* \(6 d 2\d h left\)/);
  await support.page.goto(tenantUrl);
  await expect(lifecycle(support.page)).toContainText("Grace period");
  await expect(lifecycle(support.page).getByRole("button")).toHaveCount(0);

  await panel.getByRole("button", { name: "Cancel the offboarding…" }).click();
  await panel.getByRole("button", { name: "Cancel it and resume the tenant" }).click();
  // The undo resumes the tenant's routing first and records the cancellation in the catalog last: wait for both (on a
  // busy machine the worker's last write can come many seconds after the first).
  await expect
    .poll(
      async () => {
        await operator.page.goto(tenantUrl);
        const text = await panel.innerText();
        return text.includes("the data-plane library serves it") && text.includes("Cancelled during the grace period.");
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBe(true);
  expect(await queryE2eDatabase(`SELECT status FROM "Tenant" WHERE id = $1`, [tenantId])).toEqual([{ status: "active" }]);
  for (const session of [operator, support, admin]) await session.context.close();
});
