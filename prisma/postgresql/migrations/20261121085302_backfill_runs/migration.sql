-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "cursor" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "rewarded" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "alreadyRecorded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackfillRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BackfillRun_status_updatedAt_idx" ON "BackfillRun"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "BackfillRun_shopDomain_startedAt_idx" ON "BackfillRun"("shopDomain", "startedAt");

