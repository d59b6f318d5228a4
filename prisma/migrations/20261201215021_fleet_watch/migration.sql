-- CreateEnum
CREATE TYPE "FindingKind" AS ENUM ('noisy_neighbour', 'instance_pressure', 'unfair_pool');

-- CreateEnum
CREATE TYPE "FindingSeverity" AS ENUM ('minor', 'major', 'critical');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('open', 'resolved');

-- CreateEnum
CREATE TYPE "FindingEventKind" AS ENUM ('opened', 'escalated', 'deescalated', 'reopened', 'resolved', 'outcome');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('webhook', 'sns');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent', 'failed', 'suppressed');

-- CreateEnum
CREATE TYPE "ProposalAction" AS ENUM ('migrate_to_pool', 'migrate_to_silo', 'lower_plan');

-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('proposed', 'approved', 'rejected', 'withdrawn');

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL,
    "kind" "FindingKind" NOT NULL,
    "subject" TEXT NOT NULL,
    "storageInstanceId" TEXT,
    "tenantId" TEXT,
    "status" "FindingStatus" NOT NULL DEFAULT 'open',
    "severity" "FindingSeverity" NOT NULL,
    "peakSeverity" "FindingSeverity" NOT NULL,
    "summary" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "victims" JSONB NOT NULL DEFAULT '[]',
    "recommendation" JSONB,
    "outcome" JSONB,
    "sinceAt" TIMESTAMP(3) NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "quietEvaluations" INTEGER NOT NULL DEFAULT 0,
    "reopenedCount" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingEvent" (
    "id" TEXT NOT NULL,
    "findingId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" "FindingEventKind" NOT NULL,
    "severity" "FindingSeverity" NOT NULL,
    "detail" TEXT NOT NULL,

    CONSTRAINT "FindingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WatchEvaluation" (
    "periodStart" TIMESTAMP(3) NOT NULL,
    "workerId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "wallMs" INTEGER,
    "calls" INTEGER,
    "metricsRequested" INTEGER,
    "error" TEXT,
    "snapshot" JSONB,

    CONSTRAINT "WatchEvaluation_pkey" PRIMARY KEY ("periodStart")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "findingId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Proposal" (
    "id" TEXT NOT NULL,
    "findingId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "action" "ProposalAction" NOT NULL,
    "parameters" JSONB NOT NULL,
    "prediction" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "applyOnApproval" BOOLEAN NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'proposed',
    "decidedById" TEXT,
    "decidedByEmail" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "operationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WatchSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "proposalsOff" BOOLEAN NOT NULL DEFAULT false,
    "remediation" JSONB NOT NULL DEFAULT '{"minor":"off","major":"propose","critical":"approve"}',
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WatchSettings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Finding_status_severity_idx" ON "Finding"("status", "severity");

-- CreateIndex
CREATE INDEX "Finding_subject_status_idx" ON "Finding"("subject", "status");

-- CreateIndex
CREATE INDEX "Finding_tenantId_openedAt_idx" ON "Finding"("tenantId", "openedAt");

-- CreateIndex
CREATE INDEX "Finding_storageInstanceId_openedAt_idx" ON "Finding"("storageInstanceId", "openedAt");

-- CreateIndex
CREATE INDEX "Finding_openedAt_idx" ON "Finding"("openedAt");

-- CreateIndex
CREATE INDEX "FindingEvent_findingId_at_idx" ON "FindingEvent"("findingId", "at");

-- CreateIndex
CREATE INDEX "FindingEvent_at_idx" ON "FindingEvent"("at");

-- CreateIndex
CREATE INDEX "WatchEvaluation_finishedAt_idx" ON "WatchEvaluation"("finishedAt");

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Notification_findingId_idx" ON "Notification"("findingId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_eventId_channel_key" ON "Notification"("eventId", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "Proposal_operationId_key" ON "Proposal"("operationId");

-- CreateIndex
CREATE INDEX "Proposal_findingId_idx" ON "Proposal"("findingId");

-- CreateIndex
CREATE INDEX "Proposal_status_createdAt_idx" ON "Proposal"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Proposal_tenantId_idx" ON "Proposal"("tenantId");

-- AddForeignKey
ALTER TABLE "FindingEvent" ADD CONSTRAINT "FindingEvent_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "FindingEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;
