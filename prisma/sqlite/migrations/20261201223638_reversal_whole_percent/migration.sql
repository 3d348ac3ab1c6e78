-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN "reversalWholePercentSince" DATETIME;

