-- AlterTable
ALTER TABLE "Staff" ADD COLUMN     "organisation" TEXT;

