-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "commissionCaseId" TEXT;

-- The votes opened before: their case is the start of their id (<case id>/commission_vote/<n>).
UPDATE "Task" SET "commissionCaseId" = split_part("id", '/commission_vote/', 1) WHERE "kind" = 'commission_vote';
