-- AlterEnum
ALTER TYPE "OperationKind" ADD VALUE 'offboard';

-- AlterEnum
ALTER TYPE "OperationStatus" ADD VALUE 'awaiting_approval';

-- AlterTable
ALTER TABLE "ThrottlingPlan" ADD COLUMN     "priceCentsPerMonth" INTEGER;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "offboardedAt" TIMESTAMP(3),
ADD COLUMN     "suspendedAt" TIMESTAMP(3),
ADD COLUMN     "suspendedReason" TEXT;

-- AlterTable
ALTER TABLE "Operation" ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "approvedByEmail" TEXT,
ADD COLUMN     "approvedById" TEXT,
ADD COLUMN     "runAfter" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PriceOverride" (
    "region" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "usd" DOUBLE PRECISION NOT NULL,
    "reason" TEXT NOT NULL,
    "setById" TEXT NOT NULL,
    "setByEmail" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PriceOverride_pkey" PRIMARY KEY ("region","item")
);

-- CreateTable
CREATE TABLE "TenantUsageDay" (
    "tenantId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "storageInstanceId" TEXT NOT NULL,
    "requests" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "readUnits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "writeUnits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "storedBytes" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "storedItems" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "coveredHours" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenantUsageDay_pkey" PRIMARY KEY ("tenantId","day","storageInstanceId")
);

-- CreateIndex
CREATE INDEX "TenantUsageDay_day_idx" ON "TenantUsageDay"("day");

-- CreateIndex
CREATE INDEX "TenantUsageDay_storageInstanceId_day_idx" ON "TenantUsageDay"("storageInstanceId", "day");
