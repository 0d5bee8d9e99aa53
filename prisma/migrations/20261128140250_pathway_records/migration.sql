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

-- CreateTable
CREATE TABLE "Staff" (
    "id" UUID NOT NULL,
    "plieCode" TEXT NOT NULL DEFAULT 'CASA',
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "roles" TEXT[],
    "slackUserId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferentAssignment" (
    "id" UUID NOT NULL,
    "pathwayId" TEXT NOT NULL,
    "staffId" UUID NOT NULL,
    "from" DATE NOT NULL,
    "until" DATE,

    CONSTRAINT "ReferentAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Appointment" (
    "id" UUID NOT NULL,
    "pathwayId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,

    CONSTRAINT "Appointment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Proof" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3),
    "fileReference" TEXT,
    "workContractId" UUID,
    "exitId" UUID,

    CONSTRAINT "Proof_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommissionCase" (
    "id" TEXT NOT NULL,
    "pathwayId" TEXT NOT NULL,
    "criterion" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'OUVERT',
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "CommissionCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommissionVote" (
    "caseId" TEXT NOT NULL,
    "staffId" UUID NOT NULL,
    "vote" TEXT NOT NULL,
    "comment" TEXT,
    "votedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommissionVote_pkey" PRIMARY KEY ("caseId","staffId")
);

-- CreateTable
CREATE TABLE "FseDataPoint" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "moment" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "labourMarketStatus" TEXT,
    "iscedBand" TEXT,
    "ageBand" TEXT,
    "gender" TEXT,
    "disadvantages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source" TEXT NOT NULL,

    CONSTRAINT "FseDataPoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plie" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Plie_pkey" PRIMARY KEY ("code")
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
CREATE UNIQUE INDEX "Staff_plieCode_email_key" ON "Staff"("plieCode", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Staff_plieCode_slackUserId_key" ON "Staff"("plieCode", "slackUserId");

-- CreateIndex
CREATE INDEX "ReferentAssignment_pathwayId_idx" ON "ReferentAssignment"("pathwayId");

-- CreateIndex
CREATE INDEX "ReferentAssignment_staffId_idx" ON "ReferentAssignment"("staffId");

-- CreateIndex
CREATE INDEX "Appointment_pathwayId_at_idx" ON "Appointment"("pathwayId", "at");

-- CreateIndex
CREATE INDEX "Proof_participantId_idx" ON "Proof"("participantId");

-- CreateIndex
CREATE INDEX "CommissionCase_pathwayId_idx" ON "CommissionCase"("pathwayId");

-- CreateIndex
CREATE UNIQUE INDEX "FseDataPoint_participantId_moment_key" ON "FseDataPoint"("participantId", "moment");

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

-- AddForeignKey
ALTER TABLE "ReferentAssignment" ADD CONSTRAINT "ReferentAssignment_pathwayId_fkey" FOREIGN KEY ("pathwayId") REFERENCES "Pathway"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferentAssignment" ADD CONSTRAINT "ReferentAssignment_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_pathwayId_fkey" FOREIGN KEY ("pathwayId") REFERENCES "Pathway"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionCase" ADD CONSTRAINT "CommissionCase_pathwayId_fkey" FOREIGN KEY ("pathwayId") REFERENCES "Pathway"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionVote" ADD CONSTRAINT "CommissionVote_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "CommissionCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionVote" ADD CONSTRAINT "CommissionVote_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

