-- AlterEnum
ALTER TYPE "OperationKind" ADD VALUE 'update_plan';

-- AlterTable
ALTER TABLE "ThrottlingPlan" ADD COLUMN     "apiGatewayUsagePlanId" TEXT;

-- AlterTable
ALTER TABLE "Operation" ADD COLUMN     "activeTenantId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Operation_activeTenantId_key" ON "Operation"("activeTenantId");
