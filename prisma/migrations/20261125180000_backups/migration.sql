-- Backups of storage instances (their manifests hold per-tenant counts and hashes) and per-instance schedules.
-- CreateEnum
CREATE TYPE "BackupStrategy" AS ENUM ('per_tenant', 'whole_table');

-- CreateEnum
CREATE TYPE "BackupStatus" AS ENUM ('running', 'complete', 'failed', 'expired');

-- CreateTable
CREATE TABLE "Backup" (
    "id" TEXT NOT NULL,
    "storageInstanceId" TEXT NOT NULL,
    "tableName" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "strategy" "BackupStrategy" NOT NULL,
    "status" "BackupStatus" NOT NULL DEFAULT 'running',
    "scheduled" BOOLEAN NOT NULL DEFAULT false,
    "operationId" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "items" INTEGER NOT NULL DEFAULT 0,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "Backup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackupTenant" (
    "backupId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "items" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "entities" TEXT[],

    CONSTRAINT "BackupTenant_pkey" PRIMARY KEY ("backupId","tenantId")
);

-- CreateTable
CREATE TABLE "BackupSchedule" (
    "storageInstanceId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "intervalHours" INTEGER NOT NULL,
    "retentionDays" INTEGER NOT NULL,
    "strategy" "BackupStrategy" NOT NULL,
    "setById" TEXT NOT NULL,
    "lastQueuedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackupSchedule_pkey" PRIMARY KEY ("storageInstanceId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Backup_operationId_key" ON "Backup"("operationId");

-- CreateIndex
CREATE INDEX "Backup_storageInstanceId_startedAt_idx" ON "Backup"("storageInstanceId", "startedAt");

-- CreateIndex
CREATE INDEX "Backup_status_expiresAt_idx" ON "Backup"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "Backup_startedAt_idx" ON "Backup"("startedAt");

-- CreateIndex
CREATE INDEX "BackupTenant_tenantId_idx" ON "BackupTenant"("tenantId");

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_storageInstanceId_fkey" FOREIGN KEY ("storageInstanceId") REFERENCES "StorageInstance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "Operation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupTenant" ADD CONSTRAINT "BackupTenant_backupId_fkey" FOREIGN KEY ("backupId") REFERENCES "Backup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupSchedule" ADD CONSTRAINT "BackupSchedule_storageInstanceId_fkey" FOREIGN KEY ("storageInstanceId") REFERENCES "StorageInstance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
