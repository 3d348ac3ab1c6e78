-- CreateTable
CREATE TABLE "ProviderConnection" (
    "id" TEXT NOT NULL,
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
    "poolEmptySince" TIMESTAMP(3),
    "poolCheckedAt" TIMESTAMP(3),
    "poolLowAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RewardSettings" (
    "shopDomain" TEXT NOT NULL,
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "minimumOrderAmount" TEXT,
    "rewardTestOrders" BOOLEAN NOT NULL DEFAULT false,
    "includePosOrders" BOOLEAN NOT NULL DEFAULT true,
    "excludedCustomerTags" TEXT NOT NULL DEFAULT '',
    "excludedProductTags" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RewardSettings_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL,
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
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "orderCreatedAt" TIMESTAMP(3),
    "rewardedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reversal" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "Reversal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RewardEvent" (
    "id" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RewardEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerDataRequest" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT,
    "data" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerDataRequest_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Reversal" ADD CONSTRAINT "Reversal_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RewardEvent" ADD CONSTRAINT "RewardEvent_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE CASCADE ON UPDATE CASCADE;

