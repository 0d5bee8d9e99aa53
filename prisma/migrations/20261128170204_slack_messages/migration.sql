-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "slackChannel" TEXT,
ADD COLUMN     "slackTs" TEXT;

