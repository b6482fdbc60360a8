-- CreateEnum
CREATE TYPE "renewal_status" AS ENUM ('declined', 'auditing', 'renewed', 'failed');

-- AlterTable
ALTER TABLE "developers" ADD COLUMN     "auto_renew" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "certificate_renewals" (
    "id" UUID NOT NULL,
    "certificate_id" TEXT NOT NULL,
    "developer_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "target_version" TEXT NOT NULL,
    "status" "renewal_status" NOT NULL,
    "submission_id" UUID,
    "new_certificate_id" TEXT,
    "reason_code" TEXT,
    "reason_message" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "certificate_renewals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "certificate_renewals_submission_id_key" ON "certificate_renewals"("submission_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_renewals_new_certificate_id_key" ON "certificate_renewals"("new_certificate_id");

-- CreateIndex
CREATE INDEX "certificate_renewals_developer_id_created_at_idx" ON "certificate_renewals"("developer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_renewals_certificate_id_target_version_key" ON "certificate_renewals"("certificate_id", "target_version");

-- CreateIndex
CREATE UNIQUE INDEX "certificates_supersedes_id_key" ON "certificates"("supersedes_id");

-- AddForeignKey
ALTER TABLE "certificate_renewals" ADD CONSTRAINT "certificate_renewals_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "certificates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate_renewals" ADD CONSTRAINT "certificate_renewals_developer_id_fkey" FOREIGN KEY ("developer_id") REFERENCES "developers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate_renewals" ADD CONSTRAINT "certificate_renewals_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- assay:hand-written (docs/decisions/0019): at most one renewal in flight per
-- certificate, whatever its target version, and a renewed row names its new certificate.
CREATE UNIQUE INDEX "certificate_renewals_one_in_flight" ON "certificate_renewals"("certificate_id") WHERE "status" = 'auditing';
ALTER TABLE "certificate_renewals" ADD CONSTRAINT "certificate_renewals_renewed_has_certificate"
  CHECK (("status" = 'renewed') = ("new_certificate_id" IS NOT NULL));
ALTER TABLE "certificate_renewals" ADD CONSTRAINT "certificate_renewals_trigger_known"
  CHECK ("trigger" IN ('expiry', 'versions'));
