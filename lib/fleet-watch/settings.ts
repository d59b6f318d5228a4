// The fleet watch's remediation settings (the single WatchSettings row): read
// with the schema's defaults when no admin has changed them yet, and changed
// by admins (the kill switch, the policy per severity), audited in the same
// transaction. Turning the kill switch on, or a severity's policy off,
// withdraws what is waiting for an operator at once rather than at the next
// evaluation; the approval refuses under the kill switch either way.
import "server-only";
import { z } from "zod";
import { auditEntry } from "../audit/record";
import { ActionRefusal, type ActionContext } from "../auth/action-context";
import type { Db } from "../db/client";
import { defaultWatchSettings, parseRemediation, remediationPolicies, severities, type WatchSettingsValue } from "./policy";
import type { SeverityValue } from "./shapes";

const settingsId = 1;

export async function readWatchSettings(db: Db): Promise<WatchSettingsValue> {
  const row = await db.watchSettings.findUnique({ where: { id: settingsId } });
  if (!row) return { proposalsOff: defaultWatchSettings.proposalsOff, remediation: { ...defaultWatchSettings.remediation } };
  return { proposalsOff: row.proposalsOff, remediation: parseRemediation(row.remediation) };
}

export interface WatchSettingsView extends WatchSettingsValue {
  /** When an admin last changed them (ISO 8601), and who; null while they are the defaults. */
  updatedAt: string | null;
  updatedByEmail: string | null;
}

/** The settings with who changed them last: the settings form's props, as they are. */
export async function loadWatchSettingsView(db: Db): Promise<WatchSettingsView> {
  const row = await db.watchSettings.findUnique({ where: { id: settingsId } });
  const settings = await readWatchSettings(db);
  const by = row?.updatedById ? await db.user.findUnique({ where: { id: row.updatedById }, select: { email: true } }) : null;
  return { ...settings, updatedAt: row?.updatedAt.toISOString() ?? null, updatedByEmail: by?.email ?? null };
}

const policyField = z.enum(remediationPolicies, { message: "Choose off, propose, or propose and apply after approval" });

export const watchSettingsInput = z.object({
  /** "on" stops every proposal and approval. Required, so a request that forgets it changes nothing by accident. */
  killSwitch: z.enum(["on", "off"], { message: "Say whether proposals are on or off" }),
  minor: policyField,
  major: policyField,
  critical: policyField,
  /** The admin confirmed that approving will start operations (asked only when a severity newly gets "approve"). */
  confirmApply: z
    .string()
    .optional()
    .transform((value) => value === "yes"),
});

export type WatchSettingsInput = z.infer<typeof watchSettingsInput>;

const describe = (settings: WatchSettingsValue) =>
  `kill switch ${settings.proposalsOff ? "on" : "off"}; ${severities.map((s) => `${s} ${settings.remediation[s]}`).join(", ")}`;

export async function updateWatchSettings({ db, user }: ActionContext, input: WatchSettingsInput) {
  const before = await readWatchSettings(db);
  const after: WatchSettingsValue = {
    proposalsOff: input.killSwitch === "on",
    remediation: { minor: input.minor, major: input.major, critical: input.critical },
  };
  const newlyApplied = severities.filter((s) => after.remediation[s] === "approve" && before.remediation[s] !== "approve");
  if (newlyApplied.length > 0 && !input.confirmApply)
    throw new ActionRefusal(
      `Confirm that an operator's approval of a ${newlyApplied.join(" or ")} finding's proposal starts its operation at once.`,
      Object.fromEntries(newlyApplied.map((s) => [s, ["Confirm to apply proposals after approval"]])),
    );
  const off: SeverityValue[] = after.proposalsOff ? [...severities] : severities.filter((s) => after.remediation[s] === "off");
  const withdrawn = await db.$transaction(async (tx) => {
    await tx.watchSettings.upsert({
      where: { id: settingsId },
      create: { id: settingsId, proposalsOff: after.proposalsOff, remediation: after.remediation, updatedById: user.id },
      update: { proposalsOff: after.proposalsOff, remediation: after.remediation, updatedById: user.id },
    });
    const { count } =
      off.length > 0
        ? await tx.proposal.updateMany({
            where: { status: "proposed", finding: { severity: { in: off } } },
            data: {
              status: "withdrawn",
              decidedAt: new Date(),
              decisionNote: after.proposalsOff
                ? `The kill switch was turned on by ${user.email}.`
                : `The policy for ${off.join(" and ")} findings was turned off by ${user.email}.`,
            },
          })
        : { count: 0 };
    await tx.auditEntry.create({
      data: auditEntry(user, {
        action: "findings.configure",
        targetType: "watchSettings",
        targetId: String(settingsId),
        parameters: { before: describe(before), after: describe(after), withdrawnProposals: count },
        outcome: "succeeded",
        detail: `${describe(after)}${count ? `; ${count} waiting proposal${count === 1 ? "" : "s"} withdrawn` : ""}`,
      }),
    });
    return count;
  });
  const message = after.proposalsOff
    ? `Proposals are off: nothing is proposed or approved until they are turned on again${withdrawn ? ` (${withdrawn} withdrawn)` : ""}.`
    : `Remediation settings saved${withdrawn ? ` (${withdrawn} waiting proposal${withdrawn === 1 ? "" : "s"} withdrawn)` : ""}.`;
  return { data: { withdrawn }, message };
}
