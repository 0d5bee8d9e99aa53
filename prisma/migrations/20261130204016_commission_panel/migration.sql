-- AlterTable
ALTER TABLE "CommissionCase" ADD COLUMN     "panel" TEXT NOT NULL DEFAULT 'commission',
ADD COLUMN     "panelWhy" TEXT;

