-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "exclusionRisk" BOOLEAN,
ADD COLUMN     "prescriberContact" TEXT,
ADD COLUMN     "singleParent" BOOLEAN,
ALTER COLUMN "longTermJobSeeker" DROP NOT NULL,
ALTER COLUMN "longTermJobSeeker" DROP DEFAULT;

-- AlterTable
ALTER TABLE "WorkContract" ADD COLUMN     "iaeStructure" TEXT;

-- CreateTable
CREATE TABLE "EligibilityAssessment" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "on" DATE NOT NULL,
    "orientedOn" DATE NOT NULL,
    "decision" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EligibilityAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EligibilityAssessment_participantId_at_idx" ON "EligibilityAssessment"("participantId", "at");

-- AddForeignKey
ALTER TABLE "EligibilityAssessment" ADD CONSTRAINT "EligibilityAssessment_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

