// The one permission matrix. Server actions and route handlers check it; the
// UI reads it only to hide what a role cannot do.
import type { RoleValue } from "../catalog/vocabulary";

export const permissions = [
  "tenants.read",
  "tenants.onboard",
  "tenants.changePlan",
  "tenants.migrate",
  "tenants.restore",
  "tenants.checkIntegration",
  /** Suspending a tenant (its reads and writes refused, data untouched) and resuming it. */
  "tenants.suspend",
  /** Requesting a tenant's offboarding, and cancelling it before its purge. */
  "tenants.offboard",
  /** Approving or rejecting an offboarding someone else requested (one person alone cannot erase a customer). */
  "tenants.approveOffboarding",
  /** Downloading an offboarded tenant's final export (every item it had). */
  "tenants.downloadExport",
  "backups.manage",
  "operations.read",
  "operations.manage",
  "plans.manage",
  "audit.read",
  "users.read",
  "users.manage",
  /** Registering existing tables and tenants from a file (admins: it writes the catalog and routing wholesale). */
  "fleet.import",
  /** Approving or rejecting the fleet watch's proposed remediations (an approval queues the operation). */
  "findings.approve",
  /** The remediation policy per severity and the kill switch that turns every proposal off. */
  "findings.configure",
  /** Overriding the price table the cost estimates use. */
  "prices.manage",
] as const;

export type Permission = (typeof permissions)[number];

const readOnly: Permission[] = ["tenants.read", "operations.read", "audit.read", "users.read"];
const operatorChanges: Permission[] = [
  "tenants.onboard",
  "tenants.changePlan",
  "tenants.migrate",
  "tenants.restore",
  "tenants.checkIntegration",
  "tenants.suspend",
  "tenants.offboard",
  "backups.manage",
  "operations.manage",
  "findings.approve",
];

export const permissionMatrix: Record<RoleValue, ReadonlySet<Permission>> = {
  support: new Set(readOnly),
  operator: new Set([...readOnly, ...operatorChanges]),
  admin: new Set([
    ...readOnly,
    ...operatorChanges,
    "plans.manage",
    "users.manage",
    "fleet.import",
    "findings.configure",
    "tenants.approveOffboarding",
    "tenants.downloadExport",
    "prices.manage",
  ]),
};

export function can(role: RoleValue, permission: Permission): boolean {
  return permissionMatrix[role].has(permission);
}

export const roleLabels: Record<RoleValue, string> = {
  admin: "Admin",
  operator: "Operator",
  support: "Support",
};

export const roleDescriptions: Record<RoleValue, string> = {
  admin: "Everything operators do, plus throttling plans, users, fleet imports, the remediation policy, prices, and approving offboardings",
  operator: "Onboards, throttles, migrates, suspends, backs up and restores tenants; requests offboardings; approves proposed remediations",
  support: "Reads everything, changes nothing",
};
