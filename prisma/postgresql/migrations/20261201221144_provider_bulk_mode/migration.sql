-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "bulkCheckedAt" TIMESTAMP(3),
ADD COLUMN     "bulkUnavailableSince" TIMESTAMP(3);

