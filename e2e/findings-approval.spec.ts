// DRAFT (helper "proposals"; not run yet: the findings pages are being built). The lead finishes it once
// /findings/[id] places the proposal panel and the before/after comparison: selectors marked "pages:" follow
// what those pages name their regions.
//
// Remediation with approval end to end: the e2e scenario keeps acme-logistics noisy on pool-use1-02, the
// watcher opens its finding and proposes a reversible move; support sees the finding and the proposal but
// no approve button, and a forged approval in support's name is refused and audited; an operator approves
// it from the finding, the operation is queued once (key proposal:<id>) and runs, and the finding shows the
// pool before and after.
import { expect, test, type Request } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { storageStateFor } from "./support/roles";

test.describe.configure({ mode: "serial", timeout: 420_000 });
// TODO(lead): remove once /findings/[id] places the proposal panel and the outcome, and the watcher runs in the e2e stack.
test.fixme(true, "draft: the findings pages and the watcher are not merged yet");

const noisy = "acme-logistics";

interface Waiting {
  finding_id: string;
  proposal_id: string;
  action: string;
}

/** The finding the watcher opened for the noisy tenant and the proposal waiting for approval on it. */
async function waitingProposal(): Promise<Waiting> {
  let found: Waiting | undefined;
  await expect
    .poll(
      async () => {
        [found] = await queryE2eDatabase<Waiting>(
          `SELECT f.id AS finding_id, p.id AS proposal_id, p.action::text AS action
             FROM "Finding" f JOIN "Proposal" p ON p."findingId" = f.id
            WHERE f.kind = 'noisy_neighbour' AND f.status = 'open' AND f."tenantId" = $1
              AND p.status = 'proposed' AND p."applyOnApproval"
            ORDER BY p."createdAt" DESC LIMIT 1`,
          [noisy],
        );
        return found;
      },
      // The watcher evaluates every minute; a finding opens within two evaluations of the onset.
      { timeout: 240_000, intervals: [5_000] },
    )
    .toBeDefined();
  return found!;
}

test.beforeAll(async () => {
  // Approvals apply for major and critical findings (an admin's choice; the schema's default applies only critical ones).
  await queryE2eDatabase(
    `INSERT INTO "WatchSettings" (id, "proposalsOff", remediation, "updatedAt")
     VALUES (1, false, '{"minor":"off","major":"approve","critical":"approve"}', now())
     ON CONFLICT (id) DO UPDATE SET "proposalsOff" = false, remediation = EXCLUDED.remediation`,
  );
});

test("support sees the finding and its proposal, no approve button, and a forged approval is refused and audited", async ({ browser }) => {
  const { finding_id: findingId, proposal_id: proposalId } = await waitingProposal();

  // An operator's approval request, captured and not sent.
  const operator = await browser.newContext({ storageState: storageStateFor("operator") });
  const operatorPage = await operator.newPage();
  await operatorPage.goto(`/findings/${findingId}`);
  let captured: Request | undefined;
  await operatorPage.route(`**/findings/${findingId}`, async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"]) {
      captured = route.request();
      await route.abort();
    } else {
      await route.continue();
    }
  });
  const operatorPanel = operatorPage.getByRole("region", { name: "Proposed remediations" });
  await operatorPanel.getByRole("button", { name: "Approve…" }).first().click();
  await operatorPanel.getByRole("button", { name: "Approve and queue" }).click();
  await expect.poll(() => captured).toBeDefined();
  await operator.close();

  const support = await browser.newContext({ storageState: storageStateFor("support") });
  const page = await support.newPage();
  await page.goto(`/findings/${findingId}`);
  const panel = page.getByRole("region", { name: "Proposed remediations" });
  await expect(panel).toContainText("Waiting for approval");
  await expect(panel).toContainText("Co-tenants' refused requests");
  await expect(panel.getByRole("button", { name: /Approve|Reject/ })).toHaveCount(0);
  await expect(panel).toContainText("Operators and admins approve or reject proposals.");

  // Replayed with support's session.
  const headers = { ...captured!.headers() };
  delete headers.cookie;
  const response = await support.request.post(`/findings/${findingId}`, { headers, data: captured!.postDataBuffer() ?? undefined });
  expect(await response.text()).toContain("Forbidden: the support role cannot do this (findings.approve)");
  await support.close();

  const [proposal] = await queryE2eDatabase<{ status: string; operation_id: string | null }>(
    `SELECT status::text, "operationId" AS operation_id FROM "Proposal" WHERE id = $1`,
    [proposalId],
  );
  expect(proposal).toEqual({ status: "proposed", operation_id: null });
  const refusals = await queryE2eDatabase<{ actor_email: string }>(
    `SELECT "actorEmail" AS actor_email FROM "AuditEntry"
      WHERE action = 'findings.approveProposal' AND "targetId" = $1 AND outcome = 'refused'`,
    [proposalId],
  );
  expect(refusals).toEqual([{ actor_email: "support@example.com" }]);
});

test.describe("as an operator", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("approves the proposed move from the finding: one operation, run, and the pool before and after", async ({ page }) => {
    const { finding_id: findingId, proposal_id: proposalId } = await waitingProposal();
    await page.goto(`/findings/${findingId}`);
    const panel = page.getByRole("region", { name: "Proposed remediations" });
    const item = panel.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /^(Migrate|Move) acme-logistics/ }) });
    await expect(item.getByRole("table", { name: /^Predicted effect/ })).toContainText("Fairness (Jain's index)");
    await item.getByRole("button", { name: "Approve…" }).click();
    await expect(item.getByText(/Approving queues it now, in your name/)).toBeVisible();
    await item.getByRole("button", { name: "Approve and queue" }).click();
    await expect(item.getByText("Approved", { exact: true })).toBeVisible();

    const operations = await queryE2eDatabase<{ id: string }>(`SELECT id FROM "Operation" WHERE "idempotencyKey" LIKE $1`, [
      `%:proposal:${proposalId}`,
    ]);
    expect(operations).toHaveLength(1);
    const operationId = operations[0]!.id;
    await expect(item.getByRole("link", { name: operationId })).toHaveAttribute("href", `/operations/${operationId}`);

    await expect
      .poll(
        async () =>
          (await queryE2eDatabase<{ status: string }>(`SELECT status::text FROM "Operation" WHERE id = $1`, [operationId]))[0]?.status,
        { timeout: 300_000, intervals: [5_000] },
      )
      .toBe("succeeded");

    // pages: the finding's outcome, the pool before and after the operation (co-tenants' refusals, p99), once the hour after
    // has data enough for the watcher to record it. TODO(lead): the region's name and what it says when the hour is not over.
    await page.reload();
    const outcome = page.getByRole("region", { name: /Before and after/ });
    await expect(outcome).toContainText(/Co-tenants/);
  });
});
