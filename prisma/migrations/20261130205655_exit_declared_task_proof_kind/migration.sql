-- AlterTable
ALTER TABLE "Exit" ADD COLUMN     "declared" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "proofKind" TEXT;

