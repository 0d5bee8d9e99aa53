-- CreateTable
CREATE TABLE "JobOffer" (
    "id" UUID NOT NULL,
    "plieCode" TEXT NOT NULL DEFAULT 'CASA',
    "company" TEXT NOT NULL,
    "jobTitle" TEXT NOT NULL,
    "sector" TEXT NOT NULL,
    "contractType" TEXT NOT NULL,
    "weeklyHours" DOUBLE PRECISION,
    "place" TEXT,
    "startDate" DATE,
    "clause" BOOLEAN NOT NULL DEFAULT false,
    "marcheId" UUID,
    "status" TEXT NOT NULL DEFAULT 'OUVERTE',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobOffer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JobOffer_plieCode_status_idx" ON "JobOffer"("plieCode", "status");

