// Who may act on an operation once it is queued: cancelling or retrying one needs the permission its request needed
// (besides operations.manage), so an operator cannot undo or re-run what only an admin may ask for (a plan update).
import type { Permission } from "../auth/permissions";
import { can } from "../auth/permissions";
import type { RoleValue } from "../catalog/vocabulary";
import type { OperationKind } from "../generated/prisma/enums.ts";

/** The permission the action that queues each kind of operation checks. */
export const requestPermission: Record<OperationKind, Permission> = {
  onboard: "tenants.onboard",
  change_plan: "tenants.changePlan",
  update_plan: "plans.manage",
  migrate: "tenants.migrate",
  rollback_migration: "tenants.migrate",
  cleanup_migration: "tenants.migrate",
  restore: "tenants.restore",
  backup: "backups.manage",
  cleanup_orphan: "operations.manage",
  integration_check: "tenants.checkIntegration",
  offboard: "tenants.offboard",
};

/** Whether a role may cancel or retry an operation of this kind (it also needs operations.manage). */
export function mayActOn(role: RoleValue, kind: OperationKind): boolean {
  return can(role, "operations.manage") && can(role, requestPermission[kind]);
}
