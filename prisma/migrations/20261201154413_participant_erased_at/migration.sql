-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "erasedAt" TIMESTAMP(3);

