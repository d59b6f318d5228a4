-- Migrations: rolling a migration back, and removing the source copy it kept.
ALTER TYPE "OperationKind" ADD VALUE 'rollback_migration';
ALTER TYPE "OperationKind" ADD VALUE 'cleanup_migration';
