-- Registry search (issue 12 item 5, docs/decisions/0017): copies of signed
-- payload fields as columns, and the indexes search needs.

-- AlterTable: added nullable, filled from the payload of certificates issued
-- before this migration, then made NOT NULL (the end state is Prisma's).
ALTER TABLE "certificates" ADD COLUMN     "claims" TEXT[],
ADD COLUMN     "runtime_name" TEXT,
ADD COLUMN     "runtime_version" TEXT,
ADD COLUMN     "suite_id" TEXT,
ADD COLUMN     "suite_version" TEXT;

UPDATE "certificates" SET
  "runtime_name" = "payload"->'subject'->>'name',
  "runtime_version" = "payload"->'subject'->>'version',
  "suite_id" = "payload"->'audit'->'suite'->>'id',
  "suite_version" = "payload"->'audit'->'suite'->>'version',
  "claims" = ARRAY(SELECT jsonb_array_elements_text("payload"->'claims'));

ALTER TABLE "certificates" ALTER COLUMN "runtime_name" SET NOT NULL,
ALTER COLUMN "runtime_version" SET NOT NULL,
ALTER COLUMN "suite_id" SET NOT NULL,
ALTER COLUMN "suite_version" SET NOT NULL;

-- CreateIndex
CREATE INDEX "certificates_registry_order_idx" ON "certificates"("issued_at", "id");

-- CreateIndex
CREATE INDEX "certificates_registry_status_idx" ON "certificates"("status", "issued_at", "id");

-- CreateIndex
CREATE INDEX "certificates_registry_validity_idx" ON "certificates"("status", "valid_until");

-- CreateIndex
CREATE INDEX "certificates_registry_suite_idx" ON "certificates"("suite_id", "suite_version", "issued_at", "id");

-- CreateIndex
CREATE INDEX "certificates_registry_claims_idx" ON "certificates" USING GIN ("claims");

-- assay:hand-written
-- Case-insensitive substring search on the runtime name (ILIKE '%…%') can only
-- use a trigram index; Prisma's schema cannot express the operator class
-- without the postgresqlExtensions preview. pg_trgm is a trusted extension
-- (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "certificates_registry_name_trgm_idx" ON "certificates" USING GIN ("runtime_name" gin_trgm_ops);
