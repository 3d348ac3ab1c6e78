-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "cursor" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "rewarded" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "alreadyRecorded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "BackfillRun_status_updatedAt_idx" ON "BackfillRun"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "BackfillRun_shopDomain_startedAt_idx" ON "BackfillRun"("shopDomain", "startedAt");

