-- AlterEnum
ALTER TYPE "OperationKind" ADD VALUE 'integration_check';
