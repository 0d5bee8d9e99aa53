-- AlterTable
ALTER TABLE "Barrier" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'LIVE';

-- AlterTable
ALTER TABLE "Step" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'LIVE';

-- AlterTable
ALTER TABLE "WorkContract" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'LIVE';

-- AlterTable
ALTER TABLE "Exit" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'LIVE';

-- AlterTable
ALTER TABLE "ClauseContract" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'LIVE';


-- The rows that earlier imports wrote, marked as the import owns them, so that the next import
-- replaces them instead of adding a second copy. Until now the import gave its facts random
-- (version 4) ids, while every live writer of facts derives them from a business key (uuidFromKey,
-- version 5: the activities of the workflows, the exit of an erasure). And the import only wrote
-- facts of the people it brought (externalId set). The first re-import after this migration
-- replaces these rows once by rows whose ids derive from their content (then the same files change
-- nothing). No semicolon nor quote in these comments: the migration runner splits statements.
UPDATE "Barrier" AS r SET "source" = 'IMPORT' FROM "Participant" AS p
  WHERE r."participantId" = p."id" AND p."externalId" IS NOT NULL AND substr(r."id"::text, 15, 1) <> '5';
UPDATE "Step" AS r SET "source" = 'IMPORT' FROM "Participant" AS p
  WHERE r."participantId" = p."id" AND p."externalId" IS NOT NULL AND substr(r."id"::text, 15, 1) <> '5';
UPDATE "WorkContract" AS r SET "source" = 'IMPORT' FROM "Participant" AS p
  WHERE r."participantId" = p."id" AND p."externalId" IS NOT NULL AND substr(r."id"::text, 15, 1) <> '5';
UPDATE "Exit" AS r SET "source" = 'IMPORT' FROM "Participant" AS p
  WHERE r."participantId" = p."id" AND p."externalId" IS NOT NULL AND substr(r."id"::text, 15, 1) <> '5';
-- A hire (src/procurement/hire.ts, the only live writer of clause contracts) journals its contract
-- under the key clause-contract/<id> in the same transaction. The import never journalled one.
UPDATE "ClauseContract" AS r SET "source" = 'IMPORT'
  WHERE NOT EXISTS (SELECT 1 FROM "AuditEvent" AS a WHERE a."idempotencyKey" = 'clause-contract/' || r."id"::text);
