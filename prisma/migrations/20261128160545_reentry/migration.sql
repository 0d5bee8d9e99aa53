-- AlterTable
ALTER TABLE "Pathway" ADD COLUMN     "previousPathwayId" TEXT;

