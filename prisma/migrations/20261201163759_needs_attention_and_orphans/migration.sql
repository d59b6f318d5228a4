-- AlterEnum
ALTER TYPE "OperationKind" ADD VALUE 'cleanup_orphan';

-- AlterEnum
ALTER TYPE "OperationStatus" ADD VALUE 'needs_attention';
