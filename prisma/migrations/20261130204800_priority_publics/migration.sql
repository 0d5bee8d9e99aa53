-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "discriminationVictim" BOOLEAN,
ADD COLUMN     "rqthLightRestriction" BOOLEAN,
ADD COLUMN     "veryShortPartTime" BOOLEAN;

