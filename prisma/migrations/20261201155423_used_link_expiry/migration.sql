-- AlterTable
ALTER TABLE "UsedLink" ADD COLUMN     "expiresAt" TIMESTAMP(3);

