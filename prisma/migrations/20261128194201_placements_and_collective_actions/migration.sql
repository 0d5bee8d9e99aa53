-- CreateTable
CREATE TABLE "Placement" (
    "id" UUID NOT NULL,
    "offerId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "referentEmail" TEXT,
    "wish" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'A_PROPOSER',
    "reason" TEXT,
    "decidedBy" TEXT,
    "updatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Placement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectiveAction" (
    "id" UUID NOT NULL,
    "plieCode" TEXT NOT NULL DEFAULT 'CASA',
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "company" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "place" TEXT NOT NULL,
    "organizerEmail" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectiveAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectiveInvitation" (
    "id" UUID NOT NULL,
    "actionId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'INVITE',
    "miseEnRelation" BOOLEAN NOT NULL DEFAULT false,
    "hired" BOOLEAN NOT NULL DEFAULT false,
    "invitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectiveInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Placement_participantId_idx" ON "Placement"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "Placement_offerId_participantId_key" ON "Placement"("offerId", "participantId");

-- CreateIndex
CREATE UNIQUE INDEX "CollectiveInvitation_actionId_participantId_key" ON "CollectiveInvitation"("actionId", "participantId");

-- AddForeignKey
ALTER TABLE "CollectiveInvitation" ADD CONSTRAINT "CollectiveInvitation_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "CollectiveAction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

