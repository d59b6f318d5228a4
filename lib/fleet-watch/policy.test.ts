import { describe, expect, it } from "vitest";
import {
  defaultWatchSettings,
  parseRemediation,
  planAtOrBelow,
  proposalIdentity,
  proposalsFor,
  type PolicyContext,
  type PolicyFinding,
  type WatchSettingsValue,
} from "./policy";
import type { PoolRecommendation } from "./shapes";

const hour = 3_600_000;

const finding: PolicyFinding = {
  id: "f1",
  kind: "noisy_neighbour",
  status: "open",
  severity: "critical",
  tenantId: "acme",
  storageInstanceId: "pool-a",
};

const plans = [
  { id: "restricted", name: "Restricted", ratePerSec: 10 },
  { id: "basic", name: "Basic", ratePerSec: 50 },
  { id: "standard", name: "Standard", ratePerSec: 75 },
  { id: "premium", name: "Premium", ratePerSec: 100 },
];

const context: PolicyContext = {
  plans,
  tenantPlanId: "premium",
  rollbackWindowMs: 72 * hour,
  tenantsByInstance: { "pool-a": ["acme", "globex", "initech"], "pool-b": ["hooli"] },
};

const settings = (remediation: Partial<WatchSettingsValue["remediation"]> = {}, proposalsOff = false): WatchSettingsValue => ({
  proposalsOff,
  remediation: { ...defaultWatchSettings.remediation, ...remediation },
});

const before = { coTenantCapacityThrottled: 1_200, jain: 0.55, peakUtilisation: 1.3 };
const after = { coTenantCapacityThrottled: 40, jain: 0.92, peakUtilisation: 0.7 };

function recommendation(moves: PoolRecommendation["moves"], predicted: Partial<Pick<PoolRecommendation, "before" | "after">> = {}) {
  return {
    storageInstanceId: "pool-a",
    flagged: ["acme"],
    moves,
    reason: "Moving acme is enough.",
    before,
    after,
    ...predicted,
  } satisfies PoolRecommendation;
}

const toPool = recommendation([{ tenantId: "acme", action: "migrate_to_pool", targetInstanceId: "pool-b", reason: "pool-b has room." }]);

describe("proposalsFor", () => {
  it("proposes a migration to the recommended pool, with the prediction, blast radius and how to undo it", () => {
    const { drafts, notes } = proposalsFor(finding, toPool, settings(), context);
    expect(notes).toEqual([]);
    expect(drafts).toEqual([
      {
        tenantId: "acme",
        action: "migrate_to_pool",
        parameters: { target: "pool-b" },
        reason: "pool-b has room.",
        applyOnApproval: true,
        prediction: {
          before,
          after,
          alongside: [],
          blastRadius: {
            tenantId: "acme",
            sourceInstanceId: "pool-a",
            sourceCoTenants: ["globex", "initech"],
            sourceCoTenantCount: 2,
            targetInstanceId: "pool-b",
            targetTenants: ["hooli"],
            targetTenantCount: 1,
            itemsToMove: null,
          },
          reversal: "Roll it back from the migration's page within 72 h (the source copy is kept that long).",
        },
      },
    ]);
  });

  it("applies on approval only under the approve policy; propose makes advice", () => {
    expect(proposalsFor(finding, toPool, settings({ critical: "approve" }), context).drafts[0]?.applyOnApproval).toBe(true);
    expect(proposalsFor(finding, toPool, settings({ critical: "propose" }), context).drafts[0]?.applyOnApproval).toBe(false);
  });

  it("proposes nothing while the kill switch is on, whatever the policy", () => {
    expect(proposalsFor(finding, toPool, settings({ critical: "approve" }, true), context)).toEqual({
      drafts: [],
      notes: ["The kill switch is on: nothing is proposed."],
    });
  });

  it("proposes nothing when the severity's policy is off", () => {
    const decision = proposalsFor({ ...finding, severity: "minor" }, toPool, settings({ minor: "off" }), context);
    expect(decision).toEqual({ drafts: [], notes: ["The policy for minor findings is off."] });
  });

  it("proposes nothing for a recommendation to observe", () => {
    const observe = recommendation([{ tenantId: "acme", action: "observe", reason: "Brief." }]);
    const decision = proposalsFor(finding, observe, settings(), context);
    expect(decision.drafts).toEqual([]);
    expect(decision.notes[0]).toMatch(/observe acme/);
  });

  it("proposes nothing for other kinds of findings, resolved ones, or without a recommendation", () => {
    expect(proposalsFor({ ...finding, kind: "instance_pressure" }, toPool, settings(), context).drafts).toEqual([]);
    expect(proposalsFor({ ...finding, status: "resolved" }, toPool, settings(), context).drafts).toEqual([]);
    expect(proposalsFor(finding, null, settings(), context).notes).toEqual(["The pool has no recommendation yet."]);
    expect(proposalsFor({ ...finding, storageInstanceId: "pool-c" }, toPool, settings(), context).drafts).toEqual([]);
  });

  it("never proposes what is predicted to make fairness worse", () => {
    const worse = recommendation(toPool.moves, { after: { ...after, jain: 0.5 } });
    const decision = proposalsFor(finding, worse, settings(), context);
    expect(decision.drafts).toEqual([]);
    expect(decision.notes[0]).toMatch(/fairness getting worse \(Jain 0\.55 → 0\.50\)/);
  });

  it("never proposes what is predicted to refuse co-tenants more", () => {
    const worse = recommendation(toPool.moves, { after: { ...after, coTenantCapacityThrottled: 1_201 } });
    const decision = proposalsFor(finding, worse, settings(), context);
    expect(decision.drafts).toEqual([]);
    expect(decision.notes[0]).toMatch(/co-tenants refused more \(1200 → 1201 requests\)/);
  });

  it("proposes nothing on a prediction that changes nothing or lacks figures", () => {
    expect(proposalsFor(finding, recommendation(toPool.moves, { after: before }), settings(), context).notes[0]).toMatch(/no improvement/);
    const missing = recommendation(toPool.moves, { after: { ...after, jain: Number.NaN } });
    expect(proposalsFor(finding, missing, settings(), context).notes[0]).toMatch(/incomplete/);
  });

  it("proposes no migration when migrations keep no source copy to roll back to", () => {
    const decision = proposalsFor(finding, toPool, settings(), { ...context, rollbackWindowMs: 0 });
    expect(decision.drafts).toEqual([]);
    expect(decision.notes[0]).toMatch(/cannot be undone/);
  });

  it("proposes a new silo of the tenant's own, with no target tenants", () => {
    const silo = recommendation([{ tenantId: "acme", action: "migrate_to_silo", reason: "It needs 70% alone." }]);
    const [draft] = proposalsFor(finding, silo, settings(), { ...context, itemsToMove: 12_000 }).drafts;
    expect(draft).toMatchObject({ action: "migrate_to_silo", parameters: { target: "new-silo" } });
    expect(draft?.prediction.blastRadius).toMatchObject({ targetInstanceId: "new-silo", targetTenantCount: 0, itemsToMove: 12_000 });
  });

  it("maps a lower rate to the existing plan with the highest rate at or below it", () => {
    const lower = recommendation([{ tenantId: "acme", action: "lower_plan", ratePerSec: 60, reason: "No pool has room." }]);
    const [draft] = proposalsFor(finding, lower, settings(), context).drafts;
    expect(draft).toMatchObject({ action: "lower_plan", parameters: { planId: "basic" } });
    expect(draft?.reason).toMatch(/closest existing plan at or below 60 requests\/s is Basic \(50 requests\/s\)/);
    expect(draft?.prediction).toMatchObject({
      recommendedRatePerSec: 60,
      reversal: "Change it back to Premium (100 requests/s).",
      blastRadius: { targetInstanceId: null, itemsToMove: null, sourceCoTenantCount: 2 },
    });
  });

  it("proposes no plan change when no plan is low enough, saying why", () => {
    const lower = recommendation([{ tenantId: "acme", action: "lower_plan", ratePerSec: 5, reason: "No pool has room." }]);
    const decision = proposalsFor(finding, lower, settings(), context);
    expect(decision.drafts).toEqual([]);
    expect(decision.notes[0]).toMatch(/No throttling plan allows at most 5 requests\/s \(the lowest is Restricted at 10 requests\/s\)/);
  });

  it("proposes no plan change when the tenant's plan is already that low, or unknown", () => {
    const lower = recommendation([{ tenantId: "acme", action: "lower_plan", ratePerSec: 60, reason: "No pool has room." }]);
    expect(proposalsFor(finding, lower, settings(), { ...context, tenantPlanId: "basic" }).notes[0]).toMatch(
      /already allows no more than 60/,
    );
    expect(proposalsFor(finding, lower, settings(), { ...context, tenantPlanId: null }).notes[0]).toMatch(/could not be changed back/);
  });

  it("proposes only the finding's tenant's move, naming the pool's other moves the prediction counts on", () => {
    const joint = recommendation([
      { tenantId: "acme", action: "migrate_to_pool", targetInstanceId: "pool-b", reason: "pool-b has room." },
      { tenantId: "globex", action: "migrate_to_silo", reason: "It needs a silo." },
    ]);
    const [draft, ...rest] = proposalsFor(finding, joint, settings(), context).drafts;
    expect(rest).toEqual([]);
    expect(draft?.prediction.alongside).toEqual([{ tenantId: "globex", action: "migrate_to_silo" }]);
  });

  it("proposes nothing for a flagged tenant when moving another one is enough", () => {
    const other = recommendation([{ tenantId: "globex", action: "migrate_to_silo", reason: "It needs a silo." }]);
    const decision = proposalsFor(finding, other, settings(), context);
    expect(decision.drafts).toEqual([]);
    expect(decision.notes[0]).toMatch(/changes globex, which is predicted to be enough/);
  });
});

describe("planAtOrBelow", () => {
  it("never proposes a plan as fast as the tenant's own, nor a harsher one than the rate asks", () => {
    const current = { id: "basic", name: "Basic", ratePerSec: 50 };
    const same = { id: "basic-2", name: "Basic 2", ratePerSec: 50 };
    expect(planAtOrBelow([...plans, same], 50, current)).toMatchObject({ refusal: expect.stringMatching(/already allows/) });
    expect(planAtOrBelow([...plans, same], 49, current)).toEqual({ plan: plans[0] });
    expect(planAtOrBelow(plans, 100, null)).toEqual({ plan: plans[3] });
  });
});

describe("parseRemediation", () => {
  it("reads each severity's policy, and anything unknown or missing as off", () => {
    expect(parseRemediation({ minor: "propose", major: "approve", critical: "approve" })).toEqual({
      minor: "propose",
      major: "approve",
      critical: "approve",
    });
    expect(parseRemediation({ minor: "apply", critical: "approve" })).toEqual({ minor: "off", major: "off", critical: "approve" });
    expect(parseRemediation(null)).toEqual({ minor: "off", major: "off", critical: "off" });
  });
});

describe("proposalIdentity", () => {
  it("is the action, its parameters in any key order, and whether approval applies it", () => {
    const a = proposalIdentity({ action: "migrate_to_pool", parameters: { target: "pool-b" }, applyOnApproval: true });
    expect(proposalIdentity({ action: "migrate_to_pool", parameters: { target: "pool-b" }, applyOnApproval: true })).toBe(a);
    expect(proposalIdentity({ action: "migrate_to_pool", parameters: { target: "pool-c" }, applyOnApproval: true })).not.toBe(a);
    expect(proposalIdentity({ action: "migrate_to_pool", parameters: { target: "pool-b" }, applyOnApproval: false })).not.toBe(a);
  });
});
