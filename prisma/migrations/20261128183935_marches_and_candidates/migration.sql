-- AlterTable
ALTER TABLE "Marche" ADD COLUMN     "clauseWording" TEXT,
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "contactEmail" TEXT,
ADD COLUMN     "contactName" TEXT,
ADD COLUMN     "createdBy" TEXT,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'EN_COURS';

-- AlterTable
ALTER TABLE "ClauseContract" ADD COLUMN     "outcome" TEXT;

-- CreateTable
CREATE TABLE "ClauseCandidate" (
    "id" UUID NOT NULL,
    "marcheId" UUID NOT NULL,
    "personId" TEXT NOT NULL,
    "participantId" UUID,
    "eligible" BOOLEAN NOT NULL,
    "publics" TEXT[],
    "reasons" TEXT[],
    "proposedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "proposedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PROPOSE',

    CONSTRAINT "ClauseCandidate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ClauseCandidate_marcheId_personId_key" ON "ClauseCandidate"("marcheId", "personId");

-- AddForeignKey
ALTER TABLE "ClauseCandidate" ADD CONSTRAINT "ClauseCandidate_marcheId_fkey" FOREIGN KEY ("marcheId") REFERENCES "Marche"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

