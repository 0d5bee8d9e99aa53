-- CreateTable
CREATE TABLE "ParticipantDataKey" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "wrappedKey" BYTEA,
    "wrappingKeyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destroyedAt" TIMESTAMP(3),

    CONSTRAINT "ParticipantDataKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ParticipantDataKey_participantId_key" ON "ParticipantDataKey"("participantId");

