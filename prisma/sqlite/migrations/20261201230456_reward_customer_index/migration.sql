-- CreateIndex
CREATE INDEX "Reward_shopDomain_customerId_createdAt_idx" ON "Reward"("shopDomain", "customerId", "createdAt");

