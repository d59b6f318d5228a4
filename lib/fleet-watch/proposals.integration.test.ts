// Remediation with approval against the catalog (PGlite): the watcher's sync
// makes each proposal once and withdraws what no longer holds; an approved
// proposal queues exactly one operation however many operators approve or
// queue it at once; a refused queueing is recorded and queued later under the
// same key; support is refused and audited, even calling the action directly;
// the kill switch refuses approvals; a rejection stays a rejection.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DemoFleet } from "../../prisma/demo-fleet";
import { demoPlans, demoUsers } from "../../prisma/demo-fleet";
import { seedCatalog } from "../../prisma/seed-catalog";
import type { ActionContext, SignedInUser } from "../auth/action-context";
import { testDatabase, type TestDatabase } from "../db/__tests__/databases";
import type { Db } from "../db/client";
import { newSiloTarget as migrationSiloTarget } from "../migration/operation";
import { requestMigration } from "../migration/requests";
import { roomyTargets } from "../migration/__tests__/target-load";
import { pool, tenant } from "../operations/__tests__/migration-fixture";
import { requestPlanChange } from "../throttling/requests";
import { approveProposal, proposalIdempotencyKey, queueApprovedProposal, rejectProposal, type ProposalQueueing } from "./approval";
import { newSiloTarget, type WatchSettingsValue } from "./policy";
import { loadFindingProposals, syncProposals, syncProposalsAfterEvaluation, watcherActor, withdrawProposalsOfResolved } from "./proposals";
import { readWatchSettings, updateWatchSettings } from "./settings";
import type { PoolRecommendation, SeverityValue } from "./shapes";

// The console's session and database, as the server actions see them.
const server = vi.hoisted(() => ({ user: null as SignedInUser | null, db: null as Db | null }));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => server.user }));
vi.mock("@/lib/db/client", async (original) => ({ ...(await original<object>()), getDb: () => server.db }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { approveProposalAction, rejectProposalAction, updateWatchSettingsAction } = await import("../../app/(console)/findings/actions");

const hour = 3_600_000;
const secondOperator = {
  email: "operator2@example.com",
  name: "Otto Operator",
  role: "operator" as const,
  password: "demo-operator-2-pass",
};

const fleet: DemoFleet = {
  plans: demoPlans,
  instances: [pool("pool-a"), pool("pool-b"), pool("pool-c")],
  tenants: [
    tenant("acme", "pool-a"),
    tenant("globex", "pool-a"),
    tenant("initech", "pool-a"),
    tenant("umbrella", "pool-a"),
    tenant("hooli", "pool-b"),
    tenant("soylent", "pool-a"),
    tenant("tyrell", "pool-a"),
    tenant("wayne", "pool-a"),
  ],
  users: [...demoUsers, secondOperator],
};

const before = { coTenantCapacityThrottled: 1_200, jain: 0.55, peakUtilisation: 1.3 };
const after = { coTenantCapacityThrottled: 40, jain: 0.92, peakUtilisation: 0.7 };

const migrateTo = (tenantId: string, target: string): PoolRecommendation => ({
  storageInstanceId: "pool-a",
  flagged: [tenantId],
  moves: [{ tenantId, action: "migrate_to_pool", targetInstanceId: target, reason: `${target} has the most headroom.` }],
  reason: `Moving ${tenantId} is enough.`,
  before,
  after,
});
const lowerPlan = (tenantId: string, ratePerSec: number): PoolRecommendation => ({
  ...migrateTo(tenantId, "pool-b"),
  moves: [{ tenantId, action: "lower_plan", ratePerSec, reason: "No pool has room." }],
});

const settingsOf = (remediation: Partial<Record<SeverityValue, "off" | "propose" | "approve">> = {}): WatchSettingsValue => ({
  proposalsOff: false,
  remediation: { minor: "off", major: "propose", critical: "approve", ...remediation },
});

/** The requests the console wires in, with the migration's copy uncapped (its suggested rate needs CloudWatch). */
const queueing: ProposalQueueing = {
  migrate: (ctx, input) => requestMigration(ctx, { ...input, copyRatePerSec: 0 }, roomyTargets),
  changePlan: (ctx, input) => requestPlanChange(ctx, { ...input, confirmLowering: true }),
};

describe("remediation with approval on pglite", () => {
  let catalog: TestDatabase;
  let db: Db;
  let operator: SignedInUser;
  let otherOperator: SignedInUser;
  let admin: SignedInUser;
  let support: SignedInUser;
  let findings = 0;
  const as = (user: SignedInUser): ActionContext => ({ db, user });
  const sync = (findingId: string, recommendation: PoolRecommendation | null, settings = settingsOf()) =>
    syncProposals(db, findingId, recommendation, settings, { rollbackWindowMs: 24 * hour });

  const openFinding = async (tenantId: string, severity: SeverityValue = "critical") =>
    (
      await db.finding.create({
        data: {
          kind: "noisy_neighbour",
          subject: `noisy_neighbour/pool-a/${tenantId}/${++findings}`,
          storageInstanceId: "pool-a",
          tenantId,
          severity,
          peakSeverity: severity,
          summary: `${tenantId} takes far more than its fair share of pool-a`,
          sinceAt: new Date(Date.now() - hour),
          lastSeenAt: new Date(),
        },
        select: { id: true },
      })
    ).id;

  /** A finding with one proposal waiting, made by the sync. */
  const proposed = async (tenantId: string, recommendation: PoolRecommendation, severity: SeverityValue = "critical") => {
    const findingId = await openFinding(tenantId, severity);
    const { created } = await sync(findingId, recommendation);
    expect(created).toHaveLength(1);
    return { findingId, proposalId: created[0]! };
  };

  const operationsOf = (proposalId: string) =>
    db.operation.findMany({ where: { idempotencyKey: { endsWith: `:${proposalIdempotencyKey(proposalId)}` } } });

  beforeAll(async () => {
    catalog = await testDatabase("pglite").start();
    db = catalog.db;
    await seedCatalog(db, fleet);
    const users = await db.user.findMany();
    const signed = (email: string) => {
      const user = users.find((u) => u.email === email)!;
      return { id: user.id, email: user.email, name: user.name, role: user.role };
    };
    operator = signed("operator@example.com");
    otherOperator = signed(secondOperator.email);
    admin = signed("admin@example.com");
    support = signed("support@example.com");
    server.db = db;
  });

  afterAll(async () => {
    await catalog?.stop();
  });

  beforeEach(async () => {
    // Proposals on, with the schema's policies.
    await db.watchSettings.deleteMany();
  });

  it("uses the migration form's value for a new silo", () => {
    expect(newSiloTarget).toBe(migrationSiloTarget);
  });

  it("makes one proposal from two syncs at once, keeps it while the recommendation stands, and audits it as the fleet watch's", async () => {
    const findingId = await openFinding("acme");
    const [a, b] = await Promise.all([sync(findingId, migrateTo("acme", "pool-b")), sync(findingId, migrateTo("acme", "pool-b"))]);
    expect([...a.created, ...b.created]).toHaveLength(1);
    const proposals = await db.proposal.findMany({ where: { findingId } });
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({
      action: "migrate_to_pool",
      parameters: { target: "pool-b" },
      status: "proposed",
      applyOnApproval: true,
    });
    expect(proposals[0]!.prediction).toMatchObject({
      before,
      after,
      blastRadius: { sourceCoTenants: ["globex", "initech", "soylent", "tyrell", "umbrella", "wayne"], targetTenants: ["hooli"] },
    });
    const audit = await db.auditEntry.findMany({ where: { targetType: "proposal", targetId: proposals[0]!.id } });
    expect(audit).toMatchObject([{ action: "findings.propose", actorEmail: watcherActor, outcome: "succeeded" }]);

    const again = await sync(findingId, migrateTo("acme", "pool-b"));
    expect(again).toMatchObject({ created: [], kept: [proposals[0]!.id], withdrawn: [] });
  });

  it("withdraws a waiting proposal when the recommendation changes, the policy changes or the finding resolves", async () => {
    const { findingId, proposalId } = await proposed("globex", migrateTo("globex", "pool-b"));
    const changed = await sync(findingId, migrateTo("globex", "pool-c"));
    expect(changed.withdrawn).toEqual([proposalId]);
    expect(changed.created).toHaveLength(1);
    expect(await db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: "withdrawn",
      decisionNote: "The recommendation changed.",
    });

    const advice = await sync(findingId, migrateTo("globex", "pool-c"), settingsOf({ critical: "propose" }));
    expect(advice.withdrawn).toEqual(changed.created);
    expect(advice.created).toHaveLength(1);
    expect(await db.proposal.findUniqueOrThrow({ where: { id: advice.created[0]! } })).toMatchObject({ applyOnApproval: false });

    await db.finding.update({ where: { id: findingId }, data: { status: "resolved", resolvedAt: new Date() } });
    expect(await withdrawProposalsOfResolved(db, [findingId])).toEqual(advice.created);
    expect(await db.proposal.count({ where: { findingId, status: "proposed" } })).toBe(0);
    expect(
      await db.auditEntry.count({
        where: { action: "findings.withdrawProposal", actorEmail: watcherActor, parameters: { path: ["findingId"], equals: findingId } },
      }),
    ).toBe(3);
  });

  it("after an evaluation, proposes from each open finding's stored recommendation and withdraws those of resolved findings", async () => {
    const findingId = await openFinding("initech");
    await db.finding.update({ where: { id: findingId }, data: { recommendation: lowerPlan("initech", 60) as object } });
    const first = await syncProposalsAfterEvaluation(db, undefined, { rollbackWindowMs: 24 * hour });
    const made = await db.proposal.findMany({ where: { findingId } });
    expect(made).toMatchObject([{ action: "lower_plan", parameters: { planId: "basic" }, status: "proposed" }]);
    expect(first.created).toContain(made[0]!.id);

    await db.finding.update({ where: { id: findingId }, data: { status: "resolved", resolvedAt: new Date() } });
    const second = await syncProposalsAfterEvaluation(db, undefined, { rollbackWindowMs: 24 * hour });
    expect(second.withdrawn).toContain(made[0]!.id);
    expect(await db.proposal.findUniqueOrThrow({ where: { id: made[0]!.id } })).toMatchObject({
      status: "withdrawn",
      decisionNote: "The finding resolved.",
    });
  });

  it("queues exactly one operation when two operators approve at once", async () => {
    const { proposalId } = await proposed("initech", migrateTo("initech", "pool-b"));
    const results = await Promise.allSettled([
      approveProposal(as(operator), { proposalId }, queueing),
      approveProposal(as(otherOperator), { proposalId }, queueing),
    ]);
    const approved = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(approved).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/already approved by operator2?@example\.com/);

    const operations = await operationsOf(proposalId);
    expect(operations).toHaveLength(1);
    const proposal = await db.proposal.findUniqueOrThrow({ where: { id: proposalId } });
    expect(proposal).toMatchObject({ status: "approved", operationId: operations[0]!.id });
    expect(operations[0]).toMatchObject({
      kind: "migrate",
      tenantId: "initech",
      status: "queued",
      requestedById: proposal.decidedById,
      parameters: { tenantId: "initech", target: "pool-b" },
    });
    expect(await db.auditEntry.count({ where: { action: "findings.approveProposal", targetId: proposalId, outcome: "succeeded" } })).toBe(
      1,
    );

    // Approving or queueing it again changes nothing.
    await expect(approveProposal(as(operator), { proposalId }, queueing)).rejects.toThrow(/already approved/);
    expect(await queueApprovedProposal(as(otherOperator), { proposalId }, queueing)).toMatchObject({ message: "Already queued." });
    expect(await operationsOf(proposalId)).toHaveLength(1);
    // The sync does not propose what was approved again.
    expect((await sync(proposal.findingId, migrateTo("initech", "pool-b"))).created).toEqual([]);
  });

  it("records a queueing refused after the approval, and queues it once, in the approver's name, when an operator retries", async () => {
    const { findingId, proposalId } = await proposed("umbrella", lowerPlan("umbrella", 60));
    expect(await db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({ parameters: { planId: "basic" } });
    // Another operation holds the tenant.
    const holder = await requestPlanChange(as(admin), {
      tenantId: "umbrella",
      planId: "premium",
      confirmLowering: true,
      idempotencyKey: crypto.randomUUID(),
    });

    const result = await approveProposal(as(operator), { proposalId }, queueing);
    expect(result.data).toBeUndefined();
    expect(result.message).toMatch(/^Approved, but not queued yet: Tenant umbrella already has an operation in progress/);
    expect(await db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({ status: "approved", operationId: null });
    const [view] = await loadFindingProposals(db, findingId);
    expect(view).toMatchObject({
      status: "approved",
      operation: null,
      queueError: expect.stringMatching(/already has an operation in progress/),
    });

    await expect(queueApprovedProposal(as(otherOperator), { proposalId }, queueing)).rejects.toThrow(/^Still not queued/);
    await db.operation.update({
      where: { id: holder.data.operationId },
      data: { status: "succeeded", activeTenantId: null, finishedAt: new Date() },
    });

    const [first, second] = await Promise.all([
      queueApprovedProposal(as(otherOperator), { proposalId }, queueing),
      queueApprovedProposal(as(otherOperator), { proposalId }, queueing),
    ]);
    expect(first.data.operationId).toBe(second.data.operationId);
    const operations = await operationsOf(proposalId);
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({
      kind: "change_plan",
      requestedById: operator.id,
      idempotencyKey: `${operator.id}:proposal:${proposalId}`,
      parameters: { tenantId: "umbrella", toPlanId: "basic" },
    });
    expect(await db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({ operationId: operations[0]!.id });
    expect(
      await db.auditEntry.findFirst({ where: { action: "findings.queueProposal", targetId: proposalId, outcome: "succeeded" } }),
    ).toMatchObject({
      actorEmail: otherOperator.email,
      detail: expect.stringMatching(/in the name of operator@example\.com, who approved it/),
    });
    const [queuedView] = await loadFindingProposals(db, findingId);
    expect(queuedView).toMatchObject({ operation: { id: operations[0]!.id, status: "queued" }, queueError: null });
  });

  it("finds an operation queued for an approval that was not recorded on the proposal, rather than queueing another", async () => {
    const { proposalId } = await proposed("acme", migrateTo("acme", "pool-b"));
    await db.proposal.update({
      where: { id: proposalId },
      data: { status: "approved", decidedById: operator.id, decidedByEmail: operator.email },
    });
    // The server stopped after queueing it: the operation holds the tenant, the proposal does not know it.
    const { data } = await queueing.migrate(as(operator), {
      tenantId: "acme",
      target: "pool-b",
      idempotencyKey: proposalIdempotencyKey(proposalId),
    });
    await db.tenant.update({ where: { id: "acme" }, data: { status: "migrating" } });
    try {
      expect(await queueApprovedProposal(as(otherOperator), { proposalId }, queueing)).toEqual({
        data: { operationId: data.operationId },
        message: "Already queued.",
      });
      expect(await db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({ operationId: data.operationId });
      expect(await operationsOf(proposalId)).toHaveLength(1);
    } finally {
      await db.tenant.update({ where: { id: "acme" }, data: { status: "active" } });
      await db.operation.update({ where: { id: data.operationId }, data: { status: "cancelled", activeTenantId: null } });
    }
  });

  it("refuses support, audited, even when the action is called directly; an operator approves through the same action", async () => {
    const { proposalId } = await proposed("soylent", lowerPlan("soylent", 60));
    server.user = support;
    expect(await approveProposalAction({ proposalId })).toEqual({
      ok: false,
      error: "Forbidden: the support role cannot do this (findings.approve).",
    });
    expect(await rejectProposalAction({ proposalId, reason: "no" })).toMatchObject({ ok: false });
    expect(await updateWatchSettingsAction({ killSwitch: "on", minor: "off", major: "off", critical: "off" })).toMatchObject({ ok: false });
    const refusals = await db.auditEntry.findMany({ where: { actorEmail: support.email, outcome: "refused" }, orderBy: { at: "asc" } });
    expect(refusals.map((r) => [r.action, r.targetId])).toEqual([
      ["findings.approveProposal", proposalId],
      ["findings.rejectProposal", proposalId],
      ["findings.configure", "1"],
    ]);
    expect(await db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({ status: "proposed" });
    expect(await readWatchSettings(db)).toMatchObject({ proposalsOff: false });

    server.user = operator;
    expect(await updateWatchSettingsAction({ killSwitch: "on", minor: "off", major: "off", critical: "off" })).toMatchObject({
      ok: false,
      error: "Forbidden: the operator role cannot do this (findings.configure).",
    });
    const approved = await approveProposalAction({ proposalId });
    expect(approved).toMatchObject({ ok: true, message: "Approved: soylent's move to plan basic is queued." });
    expect(await operationsOf(proposalId)).toHaveLength(1);
  });

  it("refuses approvals while the kill switch is on, and withdraws what waits when an admin turns it on", async () => {
    const waiting = await proposed("tyrell", migrateTo("tyrell", "pool-b"));
    server.user = admin;
    expect(await updateWatchSettingsAction({ killSwitch: "on", minor: "off", major: "propose", critical: "approve" })).toMatchObject({
      ok: true,
      data: { withdrawn: expect.any(Number) },
    });
    expect(await db.proposal.findUniqueOrThrow({ where: { id: waiting.proposalId } })).toMatchObject({
      status: "withdrawn",
      decisionNote: "The kill switch was turned on by admin@example.com.",
    });
    expect(await db.auditEntry.findFirst({ where: { action: "findings.configure", outcome: "succeeded" } })).toMatchObject({
      actorEmail: admin.email,
      parameters: { after: "kill switch on; minor off, major propose, critical approve" },
    });
    // The sync makes nothing while it is on.
    const quiet = await sync(waiting.findingId, migrateTo("tyrell", "pool-b"), await readWatchSettings(db));
    expect(quiet).toMatchObject({ created: [], notes: ["The kill switch is on: nothing is proposed."] });

    // A proposal made just before it went on is refused, audited, and nothing is queued.
    const { id: late } = await db.proposal.create({
      data: {
        findingId: waiting.findingId,
        tenantId: "tyrell",
        action: "migrate_to_pool",
        parameters: { target: "pool-c" },
        prediction: {},
        reason: "made before the switch",
        applyOnApproval: true,
      },
    });
    server.user = operator;
    expect(await approveProposalAction({ proposalId: late })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The kill switch is on/),
    });
    expect(await db.auditEntry.findFirst({ where: { action: "findings.approveProposal", targetId: late } })).toMatchObject({
      outcome: "refused",
      actorEmail: operator.email,
    });
    expect(await db.proposal.findUniqueOrThrow({ where: { id: late } })).toMatchObject({ status: "proposed" });
    expect(await operationsOf(late)).toHaveLength(0);
  });

  it("asks an admin to confirm before approvals start operations for another severity", async () => {
    const input = { killSwitch: "off" as const, minor: "off" as const, major: "approve" as const, critical: "approve" as const };
    await expect(updateWatchSettings(as(admin), { ...input, confirmApply: false })).rejects.toThrow(
      /^Confirm that an operator's approval of a major finding's proposal/,
    );
    await updateWatchSettings(as(admin), { ...input, confirmApply: true });
    expect(await readWatchSettings(db)).toEqual({
      proposalsOff: false,
      remediation: { minor: "off", major: "approve", critical: "approve" },
    });
    // Already on: saving again needs no confirmation.
    await updateWatchSettings(as(admin), { ...input, confirmApply: false });
  });

  it("keeps a rejection: not approved afterwards, not proposed again", async () => {
    const { findingId, proposalId } = await proposed("wayne", migrateTo("wayne", "pool-c"));
    expect(await rejectProposal(as(operator), { proposalId, reason: "pool-c is being retired" })).toMatchObject({
      message: expect.stringMatching(/^Rejected/),
    });
    await expect(approveProposal(as(otherOperator), { proposalId }, queueing)).rejects.toThrow(
      /was rejected by operator@example\.com: pool-c is being retired/,
    );
    await expect(rejectProposal(as(otherOperator), { proposalId, reason: null })).rejects.toThrow(/was rejected/);
    expect((await sync(findingId, migrateTo("wayne", "pool-c"))).created).toEqual([]);
    expect(await db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({ status: "rejected" });
    expect(await operationsOf(proposalId)).toHaveLength(0);
  });

  it("does not approve advice: a proposal made under 'propose' is started from the tenant's page", async () => {
    const { findingId, proposalId } = await proposed("acme", migrateTo("acme", "pool-c"), "major");
    await expect(approveProposal(as(operator), { proposalId }, queueing)).rejects.toThrow(/is advice .* start it from acme's page/);
    const [view] = await loadFindingProposals(db, findingId);
    expect(view).toMatchObject({
      applyOnApproval: false,
      startHref: "/tenants/acme/migrate?target=pool-c",
      title: "Migrate acme to pool-c",
    });
  });
});
