import type { OperationKind, OperationStatus } from "../generated/prisma/enums.ts";

export const kindLabels: Record<OperationKind, string> = {
  onboard: "Onboarding",
  change_plan: "Plan change",
  update_plan: "Plan update",
  migrate: "Migration",
  restore: "Restore",
  backup: "Backup",
  rollback_migration: "Migration rollback",
  cleanup_migration: "Migration clean-up",
  cleanup_orphan: "Orphan clean-up",
  integration_check: "Integration check",
  offboard: "Offboarding",
};

export const statusLabels: Record<OperationStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  needs_attention: "Needs attention",
  awaiting_approval: "Awaiting approval",
};
