-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN     "durationMinutes" INTEGER,
ADD COLUMN     "place" TEXT;

-- AlterTable
ALTER TABLE "Proof" ADD COLUMN     "mimeType" TEXT,
ADD COLUMN     "size" INTEGER,
ADD COLUMN     "taskId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Proof_taskId_key" ON "Proof"("taskId");

