-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'operator', 'support');

-- CreateEnum
CREATE TYPE "Tier" AS ENUM ('basic', 'standard', 'premium', 'enterprise');

-- CreateEnum
CREATE TYPE "DeploymentModel" AS ENUM ('silo', 'pool', 'bridge');

-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('provisioning', 'active', 'migrating', 'restoring', 'suspended', 'offboarded');

-- CreateEnum
CREATE TYPE "InstanceMode" AS ENUM ('pool', 'silo');

-- CreateEnum
CREATE TYPE "CapacityMode" AS ENUM ('provisioned', 'on_demand');

-- CreateEnum
CREATE TYPE "InstanceStatus" AS ENUM ('provisioning', 'active', 'draining', 'retired');

-- CreateEnum
CREATE TYPE "OperationKind" AS ENUM ('onboard', 'change_plan', 'migrate', 'restore', 'backup');

-- CreateEnum
CREATE TYPE "OperationStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('succeeded', 'failed', 'refused');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThrottlingPlan" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultFor" "Tier",
    "ratePerSec" INTEGER NOT NULL,
    "burst" INTEGER NOT NULL,
    "quotaPerDay" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ThrottlingPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorageInstance" (
    "id" TEXT NOT NULL,
    "tableName" TEXT NOT NULL,
    "mode" "InstanceMode" NOT NULL,
    "capacityMode" "CapacityMode" NOT NULL,
    "readUnitsPerSec" INTEGER NOT NULL,
    "writeUnitsPerSec" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "status" "InstanceStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StorageInstance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tier" "Tier" NOT NULL,
    "deploymentModel" "DeploymentModel" NOT NULL,
    "status" "TenantStatus" NOT NULL DEFAULT 'provisioning',
    "planId" TEXT NOT NULL,
    "storageInstanceId" TEXT,
    "keyPrefix" TEXT,
    "bridgeEntity" TEXT,
    "bridgeInstanceId" TEXT,
    "contactEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Operation" (
    "id" TEXT NOT NULL,
    "kind" "OperationKind" NOT NULL,
    "status" "OperationStatus" NOT NULL DEFAULT 'queued',
    "tenantId" TEXT,
    "storageInstanceId" TEXT,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "currentStep" TEXT,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB,
    "error" TEXT,
    "requestedById" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "actorRole" "Role",
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "outcome" "AuditOutcome" NOT NULL,
    "detail" TEXT,
    "operationId" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "ThrottlingPlan_name_key" ON "ThrottlingPlan"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ThrottlingPlan_defaultFor_key" ON "ThrottlingPlan"("defaultFor");

-- CreateIndex
CREATE UNIQUE INDEX "StorageInstance_tableName_key" ON "StorageInstance"("tableName");

-- CreateIndex
CREATE INDEX "StorageInstance_mode_status_idx" ON "StorageInstance"("mode", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_keyPrefix_key" ON "Tenant"("keyPrefix");

-- CreateIndex
CREATE INDEX "Tenant_name_idx" ON "Tenant"("name");

-- CreateIndex
CREATE INDEX "Tenant_tier_idx" ON "Tenant"("tier");

-- CreateIndex
CREATE INDEX "Tenant_deploymentModel_idx" ON "Tenant"("deploymentModel");

-- CreateIndex
CREATE INDEX "Tenant_status_idx" ON "Tenant"("status");

-- CreateIndex
CREATE INDEX "Tenant_storageInstanceId_idx" ON "Tenant"("storageInstanceId");

-- CreateIndex
CREATE INDEX "Tenant_bridgeInstanceId_idx" ON "Tenant"("bridgeInstanceId");

-- CreateIndex
CREATE INDEX "Tenant_createdAt_idx" ON "Tenant"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Operation_idempotencyKey_key" ON "Operation"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Operation_tenantId_createdAt_idx" ON "Operation"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Operation_status_createdAt_idx" ON "Operation"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Operation_createdAt_idx" ON "Operation"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_targetType_targetId_at_idx" ON "AuditEntry"("targetType", "targetId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_at_idx" ON "AuditEntry"("actorId", "at");

-- AddForeignKey
ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ThrottlingPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_storageInstanceId_fkey" FOREIGN KEY ("storageInstanceId") REFERENCES "StorageInstance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_bridgeInstanceId_fkey" FOREIGN KEY ("bridgeInstanceId") REFERENCES "StorageInstance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_storageInstanceId_fkey" FOREIGN KEY ("storageInstanceId") REFERENCES "StorageInstance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
