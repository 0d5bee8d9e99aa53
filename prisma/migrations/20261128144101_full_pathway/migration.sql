-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "ableAndWilling" BOOLEAN,
ADD COLUMN     "activeJobSearch" BOOLEAN,
ADD COLUMN     "eligibility" JSONB,
ADD COLUMN     "followedByMissionLocale" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "needsSupport" BOOLEAN,
ADD COLUMN     "selfEmployed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "WorkContract" ADD COLUMN     "endReason" TEXT,
ADD COLUMN     "hoursPaid" DOUBLE PRECISION,
ADD COLUMN     "insertionCompany" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Exit" ADD COLUMN     "criterion" TEXT,
ADD COLUMN     "pathwayId" TEXT;

-- AlterTable
ALTER TABLE "Pathway" ADD COLUMN     "remindersPauseReason" TEXT,
ADD COLUMN     "remindersPausedUntil" DATE;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "assigneeRole" TEXT NOT NULL DEFAULT 'referent',
ADD COLUMN     "reminderCount" INTEGER NOT NULL DEFAULT 0,
ALTER COLUMN "assigneeEmail" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "pathwayId" TEXT;

