-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN "rewardMultiplier" TEXT;

