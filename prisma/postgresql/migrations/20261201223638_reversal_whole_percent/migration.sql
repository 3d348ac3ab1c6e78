-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "reversalWholePercentSince" TIMESTAMP(3);

