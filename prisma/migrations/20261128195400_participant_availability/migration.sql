-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "availableFrom" DATE,
ADD COLUMN     "maxWeeklyHours" DOUBLE PRECISION;

