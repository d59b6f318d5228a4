// The proposal panel and the remediation settings as each role sees them,
// rendered to HTML (what the server sends before hydration).
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { proposalViewer } from "@/lib/fleet-watch/policy";
import type { ProposalView } from "@/lib/fleet-watch/proposals";
import { ProposalPanel } from "./proposal-panel";
import { RemediationSettings } from "./remediation-settings";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh() {}, push() {} }) }));

const action = async () => ({ ok: true as const, data: undefined });
const actions = { approve: action, reject: action, queue: action };

const waiting: ProposalView = {
  id: "cmp0000000000000000000001",
  tenantId: "acme",
  action: "migrate_to_pool",
  title: "Migrate acme to pool-b",
  reason: "pool-b has the most headroom: its peak would be 41% with this tenant.",
  applyOnApproval: true,
  status: "proposed",
  createdAt: "2026-12-01T10:00:00.000Z",
  decidedAt: null,
  decidedByEmail: null,
  decisionNote: null,
  before: { coTenantCapacityThrottled: 1_200, jain: 0.55, peakUtilisation: 1.3 },
  after: { coTenantCapacityThrottled: 40, jain: 0.92, peakUtilisation: 0.7 },
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
  operation: null,
  queueError: null,
  startHref: "/tenants/acme/migrate?target=pool-b",
};

const panel = (proposals: ProposalView[], role: "support" | "operator" | "admin", proposalsOff = false) =>
  renderToStaticMarkup(<ProposalPanel proposals={proposals} viewer={proposalViewer(role)} proposalsOff={proposalsOff} actions={actions} />);

describe("ProposalPanel", () => {
  it("shows the pool measured and predicted, the blast radius and how to undo it", () => {
    const html = panel([waiting], "support");
    expect(html).toContain("Migrate acme to pool-b");
    expect(html).toContain("Waiting for approval");
    for (const figure of ["1,200 req", "40 req", "−1,160", "0.55", "0.92", "+0.37", "130%", "70%", "−60 pts"])
      expect(html).toContain(figure);
    expect(html).toContain("2 tenants: globex, initech");
    expect(html).toContain("1 tenant: hooli");
    expect(html).toContain("counted when the migration runs");
    expect(html).toContain("within 72 h");
  });

  it("offers support no decision, and operators Approve and Reject", () => {
    const support = panel([waiting], "support");
    expect(support).not.toContain("Approve…");
    expect(support).not.toContain("Reject…");
    expect(support).toContain("Operators and admins approve or reject proposals.");
    const operator = panel([waiting], "operator");
    expect(operator).toContain("Approve…");
    expect(operator).toContain("Reject…");
  });

  it("offers no approval while the kill switch is on", () => {
    const html = panel([waiting], "operator", true);
    expect(html).not.toContain("Approve…");
    expect(html).toContain("approvals are refused until an admin turns them on");
  });

  it("links advice to the tenant's prefilled form instead of approving it", () => {
    const html = panel([{ ...waiting, applyOnApproval: false }], "operator");
    expect(html).toContain("Advice");
    expect(html).not.toContain("Approve…");
    expect(html).toContain('href="/tenants/acme/migrate?target=pool-b"');
  });

  it("shows why an approved proposal is not queued, and lets an operator queue it again", () => {
    const stuck: ProposalView = {
      ...waiting,
      status: "approved",
      decidedByEmail: "operator@example.com",
      decidedAt: "2026-12-01T10:05:00.000Z",
      queueError: "acme's migration to pool-b not queued: Tenant acme already has an operation in progress.",
    };
    const html = panel([stuck], "operator");
    expect(html).toContain("Approved, not queued");
    expect(html).toContain('role="alert"');
    expect(html).toContain("already has an operation in progress");
    expect(html).toContain("Queue it again…");
    expect(panel([stuck], "support")).not.toContain("Queue it again…");
  });

  it("links an approved proposal's operation", () => {
    const queued: ProposalView = {
      ...waiting,
      status: "approved",
      decidedByEmail: "operator@example.com",
      operation: { id: "cmop1", status: "running" },
    };
    const html = panel([queued], "operator");
    expect(html).toContain('href="/operations/cmop1"');
    expect(html).toContain("Approved by operator@example.com");
  });

  it("says why there is nothing to show", () => {
    expect(panel([], "operator")).toContain("No proposal");
    expect(panel([], "operator", true)).toContain("The kill switch is on");
  });
});

describe("RemediationSettings", () => {
  const settings = {
    proposalsOff: false,
    remediation: { minor: "off", major: "propose", critical: "approve" } as const,
    updatedAt: null,
    updatedByEmail: null,
  };
  const saveAction = async () => ({ ok: true as const, data: { withdrawn: 0 } });

  it("shows the settings read-only to whoever may not change them", () => {
    const html = renderToStaticMarkup(<RemediationSettings settings={settings} canConfigure={false} action={saveAction} />);
    expect(html).not.toContain("<form");
    expect(html).toContain("Only admins change them.");
    expect(html).toContain("Propose, apply after approval");
  });

  it("starts an admin's form from the settings in force, never choosing apply-after-approval on its own", () => {
    const html = renderToStaticMarkup(<RemediationSettings settings={settings} canConfigure action={saveAction} />);
    const checked = [...html.matchAll(/<input [^>]*type="radio"[^>]*>/g)]
      .filter(([input]) => input.includes('checked=""'))
      .map(([input]) => `${/name="(\w+)"/.exec(input)?.[1]}=${/value="(\w+)"/.exec(input)?.[1]}`);
    expect(checked).toEqual(["killSwitch=off", "minor=off", "major=propose", "critical=approve"]);
    const off = renderToStaticMarkup(
      <RemediationSettings
        settings={{ ...settings, remediation: { minor: "off", major: "off", critical: "propose" } }}
        canConfigure
        action={saveAction}
      />,
    );
    expect(off).not.toMatch(/checked="" value="approve"/);
    expect(off).toMatch(/name="critical" checked="" value="propose"/);
    expect(off).not.toContain("confirmApply");
  });
});
