-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN "bulkCheckedAt" DATETIME;
ALTER TABLE "ProviderConnection" ADD COLUMN "bulkUnavailableSince" DATETIME;

