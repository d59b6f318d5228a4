// Every operation kind the worker can run, by its OperationKind.
import type { OperationDefinition } from "../definition";
import { backupOperation } from "./backup";
import { migrateOperation } from "./migrate";
import { cleanupMigrationOperation, rollbackMigrationOperation } from "./migration-followups";
import { onboardOperation } from "./onboard";
import { changePlanOperation, updatePlanOperation } from "./plans";
import { restoreOperation } from "./restore";

export const operationDefinitions: Record<string, OperationDefinition<unknown>> = {
  onboard: onboardOperation as OperationDefinition<unknown>,
  change_plan: changePlanOperation as OperationDefinition<unknown>,
  update_plan: updatePlanOperation as OperationDefinition<unknown>,
  migrate: migrateOperation as OperationDefinition<unknown>,
  rollback_migration: rollbackMigrationOperation as OperationDefinition<unknown>,
  cleanup_migration: cleanupMigrationOperation as OperationDefinition<unknown>,
  backup: backupOperation as OperationDefinition<unknown>,
  restore: restoreOperation as OperationDefinition<unknown>,
};
