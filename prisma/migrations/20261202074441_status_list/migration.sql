-- AlterTable: what `SERIAL NOT NULL` would do, except that certificates issued before the status list
-- (docs/decisions/0022) get their index in issuance order rather than in physical row order.
ALTER TABLE "certificates" ADD COLUMN     "status_list_index" INTEGER;
CREATE SEQUENCE "certificates_status_list_index_seq" AS INTEGER OWNED BY "certificates"."status_list_index";
UPDATE "certificates" AS c SET "status_list_index" = o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "issued_at", "created_at", "id") AS n FROM "certificates") AS o
  WHERE c."id" = o."id";
SELECT setval('"certificates_status_list_index_seq"', COALESCE((SELECT max("status_list_index") FROM "certificates"), 0) + 1, false);
ALTER TABLE "certificates" ALTER COLUMN "status_list_index" SET DEFAULT nextval('"certificates_status_list_index_seq"'),
  ALTER COLUMN "status_list_index" SET NOT NULL;

-- CreateTable
CREATE TABLE "status_list_publications" (
    "list_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "published_at" TIMESTAMP(3) NOT NULL,
    "valid_until" TIMESTAMP(3) NOT NULL,
    "size" INTEGER NOT NULL,
    "set_count" INTEGER NOT NULL,
    "bits_digest" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "jws" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_list_publications_pkey" PRIMARY KEY ("list_id","sequence")
);

-- CreateIndex
CREATE UNIQUE INDEX "certificates_status_list_index_key" ON "certificates"("status_list_index");

-- CreateIndex
CREATE INDEX "certificates_status_idx" ON "certificates"("status");
