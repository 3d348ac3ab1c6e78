-- CreateTable
CREATE TABLE "ProviderConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'sir',
    "environment" TEXT NOT NULL,
    "apiUrl" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "secretKeyEnc" TEXT NOT NULL,
    "hmacSecretEnc" TEXT NOT NULL,
    "webhookId" TEXT,
    "webhookSecretEnc" TEXT,
    "defaultNonprofit" TEXT,
    "poolEmptySince" DATETIME,
    "poolCheckedAt" DATETIME,
    "poolLowAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RewardSettings" (
    "shopDomain" TEXT NOT NULL PRIMARY KEY,
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "minimumOrderAmount" TEXT,
    "rewardTestOrders" BOOLEAN NOT NULL DEFAULT false,
    "includePosOrders" BOOLEAN NOT NULL DEFAULT true,
    "excludedCustomerTags" TEXT NOT NULL DEFAULT '',
    "excludedProductTags" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "basisMinor" BIGINT NOT NULL,
    "amount" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "workPending" BOOLEAN NOT NULL DEFAULT true,
    "skipReason" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "partnerUserId" TEXT,
    "customerEmail" TEXT,
    "customerFirstName" TEXT,
    "customerLastName" TEXT,
    "customerId" TEXT,
    "earningDetails" TEXT NOT NULL DEFAULT '{}',
    "actionId" TEXT,
    "tokensDistributed" INTEGER,
    "tokensReversed" INTEGER NOT NULL DEFAULT 0,
    "debt" INTEGER NOT NULL DEFAULT 0,
    "reversedBasisMinor" BIGINT NOT NULL DEFAULT 0,
    "reversedPercent" TEXT NOT NULL DEFAULT '0.00',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "orderCreatedAt" DATETIME,
    "rewardedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Reversal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rewardId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "refundedBasisMinor" BIGINT NOT NULL,
    "cumulativeBasisMinor" BIGINT,
    "percent" TEXT,
    "status" TEXT NOT NULL,
    "tokensClawedBack" INTEGER,
    "debt" INTEGER,
    "reversalTransactionId" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    CONSTRAINT "Reversal_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RewardEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rewardId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RewardEvent_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CustomerDataRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderConnection_shopDomain_key" ON "ProviderConnection"("shopDomain");

-- CreateIndex
CREATE INDEX "Reward_workPending_nextAttemptAt_idx" ON "Reward"("workPending", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Reward_shopDomain_status_createdAt_idx" ON "Reward"("shopDomain", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Reward_shopDomain_createdAt_idx" ON "Reward"("shopDomain", "createdAt");

-- CreateIndex
CREATE INDEX "Reward_shopDomain_orderName_idx" ON "Reward"("shopDomain", "orderName");

-- CreateIndex
CREATE INDEX "Reward_actionId_idx" ON "Reward"("actionId");

-- CreateIndex
CREATE UNIQUE INDEX "Reward_shopDomain_orderId_key" ON "Reward"("shopDomain", "orderId");

-- CreateIndex
CREATE INDEX "Reversal_rewardId_status_createdAt_idx" ON "Reversal"("rewardId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Reversal_rewardId_kind_sourceId_key" ON "Reversal"("rewardId", "kind", "sourceId");

-- CreateIndex
CREATE INDEX "RewardEvent_rewardId_createdAt_idx" ON "RewardEvent"("rewardId", "createdAt");

-- CreateIndex
CREATE INDEX "CustomerDataRequest_shopDomain_createdAt_idx" ON "CustomerDataRequest"("shopDomain", "createdAt");

