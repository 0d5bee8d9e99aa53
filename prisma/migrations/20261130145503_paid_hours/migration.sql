-- CreateTable
CREATE TABLE "PaidHours" (
    "id" UUID NOT NULL,
    "contractId" UUID NOT NULL,
    "on" DATE NOT NULL,
    "hours" DOUBLE PRECISION NOT NULL,
    "taskId" TEXT NOT NULL,

    CONSTRAINT "PaidHours_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PaidHours_contractId_idx" ON "PaidHours"("contractId");

-- AddForeignKey
ALTER TABLE "PaidHours" ADD CONSTRAINT "PaidHours_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "WorkContract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

