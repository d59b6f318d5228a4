// Every operation kind the worker can run, by its OperationKind.
import type { OperationDefinition } from "../operations/definition";
import { backupOperation } from "../backup/backup-operation";
import { migrateOperation } from "../migration/operation";
import { cleanupMigrationOperation, rollbackMigrationOperation } from "../migration/follow-ups";
import { onboardOperation } from "../onboarding/operation";
import { changePlanOperation, updatePlanOperation } from "../throttling/operation";
import { restoreOperation } from "../backup/restore-operation";
import { orphanCleanupOperation } from "../fleet-checks/orphan-cleanup";
import { integrationCheckOperation } from "../integration-check/operation";
import { offboardOperation } from "../lifecycle/offboarding-operation";

export const operationDefinitions: Record<string, OperationDefinition<unknown>> = {
  onboard: onboardOperation as OperationDefinition<unknown>,
  change_plan: changePlanOperation as OperationDefinition<unknown>,
  update_plan: updatePlanOperation as OperationDefinition<unknown>,
  migrate: migrateOperation as OperationDefinition<unknown>,
  rollback_migration: rollbackMigrationOperation as OperationDefinition<unknown>,
  cleanup_migration: cleanupMigrationOperation as OperationDefinition<unknown>,
  backup: backupOperation as OperationDefinition<unknown>,
  restore: restoreOperation as OperationDefinition<unknown>,
  integration_check: integrationCheckOperation as OperationDefinition<unknown>,
  offboard: offboardOperation as OperationDefinition<unknown>,
  // It checks again that its target is orphaned, which reads what every kind says it leaves behind.
  cleanup_orphan: orphanCleanupOperation(() => operationDefinitions) as OperationDefinition<unknown>,
};
