-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0;

