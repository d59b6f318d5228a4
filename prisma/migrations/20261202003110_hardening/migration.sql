-- AlterTable
ALTER TABLE "ThrottlingPlan" ADD COLUMN     "nameKey" TEXT;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "nameKey" TEXT;

-- Backfill the names' comparison form as lib/validation/names.ts computes it (NFKC, invisible format characters
-- removed, white space collapsed, lower case). Rows that already look alike keep working: all but the oldest get
-- their id appended, and the console refuses any new look-alike.
UPDATE "ThrottlingPlan" SET "nameKey" = lower(btrim(regexp_replace(regexp_replace(normalize("name", NFKC),
  '[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]', '', 'g'), '\s+', ' ', 'g')));
UPDATE "Tenant" SET "nameKey" = lower(btrim(regexp_replace(regexp_replace(normalize("name", NFKC),
  '[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]', '', 'g'), '\s+', ' ', 'g')));
UPDATE "ThrottlingPlan" AS p SET "nameKey" = p."nameKey" || '#' || p."id"
  FROM (SELECT "id", row_number() OVER (PARTITION BY "nameKey" ORDER BY "createdAt", "id") AS n FROM "ThrottlingPlan") AS d
  WHERE d."id" = p."id" AND d.n > 1;
UPDATE "Tenant" AS t SET "nameKey" = t."nameKey" || '#' || t."id"
  FROM (SELECT "id", row_number() OVER (PARTITION BY "nameKey" ORDER BY "createdAt", "id") AS n FROM "Tenant") AS d
  WHERE d."id" = t."id" AND d.n > 1;
ALTER TABLE "ThrottlingPlan" ALTER COLUMN "nameKey" SET NOT NULL;
ALTER TABLE "Tenant" ALTER COLUMN "nameKey" SET NOT NULL;

-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "targets" TEXT[] DEFAULT ARRAY[]::TEXT[];
UPDATE "AuditEntry" SET "targets" = ARRAY["targetType" || ':' || "targetId"] WHERE "targetId" IS NOT NULL;

-- CreateTable
CREATE TABLE "UserSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "address" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "firstFailureAt" TIMESTAMP(3) NOT NULL,
    "lastFailureAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "lockouts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "UserSession_userId_revokedAt_idx" ON "UserSession"("userId", "revokedAt");

-- CreateIndex
CREATE INDEX "UserSession_expiresAt_idx" ON "UserSession"("expiresAt");

-- CreateIndex
CREATE INDEX "SignInThrottle_lockedUntil_idx" ON "SignInThrottle"("lockedUntil");

-- CreateIndex
CREATE UNIQUE INDEX "ThrottlingPlan_nameKey_key" ON "ThrottlingPlan"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_nameKey_key" ON "Tenant"("nameKey");

-- CreateIndex
CREATE INDEX "AuditEntry_targets_idx" ON "AuditEntry" USING GIN ("targets");

-- AddForeignKey
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
