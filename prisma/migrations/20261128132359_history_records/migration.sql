-- DropIndex
DROP INDEX "Participant_identityKey_key";

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "externalId" TEXT,
ADD COLUMN     "integrationDate" DATE,
ADD COLUMN     "longTermJobSeeker" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "minimumIncome" TEXT,
ADD COLUMN     "orientationDate" DATE,
ADD COLUMN     "plieCode" TEXT NOT NULL DEFAULT 'CASA',
ADD COLUMN     "postalCode" TEXT,
ADD COLUMN     "prescriber" TEXT,
ADD COLUMN     "qpv" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "qualificationLevel" INTEGER,
ADD COLUMN     "referentName" TEXT,
ADD COLUMN     "rqth" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sectorWishes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "sex" TEXT;

-- CreateTable
CREATE TABLE "Barrier" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "openedOn" DATE,
    "closedOn" DATE,

    CONSTRAINT "Barrier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Step" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "start" DATE NOT NULL,
    "end" DATE,
    "status" TEXT NOT NULL,

    CONSTRAINT "Step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkContract" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "employer" TEXT,
    "sector" TEXT,
    "start" DATE NOT NULL,
    "end" DATE,
    "weeklyHours" DOUBLE PRECISION,
    "iae" BOOLEAN NOT NULL DEFAULT false,
    "aided" BOOLEAN NOT NULL DEFAULT false,
    "marketSector" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "WorkContract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Exit" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "date" DATE NOT NULL,
    "type" TEXT NOT NULL,
    "positiveKind" TEXT,
    "cdi" BOOLEAN NOT NULL DEFAULT false,
    "proofsComplete" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,

    CONSTRAINT "Exit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Marche" (
    "id" UUID NOT NULL,
    "plieCode" TEXT NOT NULL DEFAULT 'CASA',
    "externalId" TEXT NOT NULL,
    "buyer" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "lot" TEXT,
    "company" TEXT,
    "sector" TEXT NOT NULL,
    "plannedHours" INTEGER NOT NULL,
    "start" DATE NOT NULL,
    "end" DATE,

    CONSTRAINT "Marche_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClauseContract" (
    "id" UUID NOT NULL,
    "marcheId" UUID NOT NULL,
    "personId" TEXT NOT NULL,
    "participantId" UUID,
    "type" TEXT NOT NULL,
    "start" DATE NOT NULL,
    "end" DATE,
    "hoursDone" INTEGER NOT NULL,

    CONSTRAINT "ClauseContract_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Barrier_participantId_idx" ON "Barrier"("participantId");

-- CreateIndex
CREATE INDEX "Step_participantId_idx" ON "Step"("participantId");

-- CreateIndex
CREATE INDEX "Step_start_idx" ON "Step"("start");

-- CreateIndex
CREATE INDEX "WorkContract_participantId_idx" ON "WorkContract"("participantId");

-- CreateIndex
CREATE INDEX "WorkContract_start_idx" ON "WorkContract"("start");

-- CreateIndex
CREATE INDEX "Exit_participantId_idx" ON "Exit"("participantId");

-- CreateIndex
CREATE INDEX "Exit_date_idx" ON "Exit"("date");

-- CreateIndex
CREATE UNIQUE INDEX "Marche_plieCode_externalId_key" ON "Marche"("plieCode", "externalId");

-- CreateIndex
CREATE INDEX "ClauseContract_marcheId_idx" ON "ClauseContract"("marcheId");

-- CreateIndex
CREATE INDEX "ClauseContract_start_idx" ON "ClauseContract"("start");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_plieCode_externalId_key" ON "Participant"("plieCode", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_plieCode_identityKey_key" ON "Participant"("plieCode", "identityKey");

-- AddForeignKey
ALTER TABLE "Barrier" ADD CONSTRAINT "Barrier_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Step" ADD CONSTRAINT "Step_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkContract" ADD CONSTRAINT "WorkContract_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exit" ADD CONSTRAINT "Exit_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClauseContract" ADD CONSTRAINT "ClauseContract_marcheId_fkey" FOREIGN KEY ("marcheId") REFERENCES "Marche"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

