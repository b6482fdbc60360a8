-- CreateEnum
CREATE TYPE "operator_role" AS ENUM ('admin', 'reviewer', 'support');

-- CreateEnum
CREATE TYPE "submission_status" AS ENUM ('received', 'auditing', 'in_assembly', 'certified', 'rejected', 'failed');

-- CreateEnum
CREATE TYPE "audit_run_status" AS ENUM ('queued', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "finding_severity" AS ENUM ('info', 'minor', 'major', 'critical');

-- CreateEnum
CREATE TYPE "certificate_status" AS ENUM ('active', 'suspended', 'revoked', 'expired');

-- CreateEnum
CREATE TYPE "signing_key_status" AS ENUM ('active', 'retired');

-- CreateEnum
CREATE TYPE "outbox_status" AS ENUM ('pending', 'dispatched', 'failed');

-- CreateEnum
CREATE TYPE "usage_kind" AS ENUM ('model_input_tokens', 'model_output_tokens', 'sandbox_cpu_ms', 'storage_bytes');

-- CreateTable
CREATE TABLE "developers" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "developers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operators" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "totp_secret_encrypted" TEXT NOT NULL,
    "role" "operator_role" NOT NULL,
    "last_totp_step" BIGINT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "operators_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runtimes" (
    "id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runtimes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runtime_versions" (
    "id" UUID NOT NULL,
    "runtime_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "subject_digest" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "artifact_sha256" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runtime_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artifacts" (
    "sha256" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "media_type" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "submissions" (
    "id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "runtime_version_id" UUID NOT NULL,
    "status" "submission_status" NOT NULL DEFAULT 'received',
    "suite" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "outcome_code" TEXT,
    "outcome_message" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "submissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submission_transitions" (
    "id" UUID NOT NULL,
    "submission_id" UUID NOT NULL,
    "from_status" "submission_status",
    "to_status" "submission_status" NOT NULL,
    "reason_code" TEXT,
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "submission_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_runs" (
    "id" UUID NOT NULL,
    "submission_id" UUID NOT NULL,
    "status" "audit_run_status" NOT NULL DEFAULT 'queued',
    "suite_id" TEXT NOT NULL,
    "suite_version" TEXT,
    "seed" INTEGER NOT NULL,
    "engine_version" TEXT,
    "error" TEXT,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_reports" (
    "id" UUID NOT NULL,
    "audit_run_id" UUID NOT NULL,
    "digest" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "findings" (
    "id" UUID NOT NULL,
    "report_id" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "severity" "finding_severity" NOT NULL,
    "scenario" TEXT NOT NULL,
    "turn" INTEGER,
    "message" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificates" (
    "id" TEXT NOT NULL,
    "submission_id" UUID NOT NULL,
    "payload" JSONB NOT NULL,
    "jws" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "subject_digest" TEXT NOT NULL,
    "status" "certificate_status" NOT NULL DEFAULT 'active',
    "status_reason_code" TEXT,
    "issued_at" TIMESTAMP(3) NOT NULL,
    "valid_until" TIMESTAMP(3) NOT NULL,
    "supersedes_id" TEXT,
    "anchor" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificate_status_changes" (
    "id" UUID NOT NULL,
    "certificate_id" TEXT NOT NULL,
    "from_status" "certificate_status",
    "to_status" "certificate_status" NOT NULL,
    "reason_code" TEXT,
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_jwk_encrypted" TEXT NOT NULL,
    "status" "signing_key_status" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMP(3),

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "status" "outbox_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "available_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_records" (
    "id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "submission_id" UUID,
    "kind" "usage_kind" NOT NULL,
    "quantity" BIGINT NOT NULL,
    "source_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "developers_email_key" ON "developers"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_developer_id_idx" ON "api_keys"("developer_id");

-- CreateIndex
CREATE UNIQUE INDEX "operators_email_key" ON "operators"("email");

-- CreateIndex
CREATE UNIQUE INDEX "runtimes_developer_id_name_key" ON "runtimes"("developer_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "runtime_versions_runtime_id_version_subject_digest_key" ON "runtime_versions"("runtime_id", "version", "subject_digest");

-- CreateIndex
CREATE INDEX "submissions_developer_id_created_at_idx" ON "submissions"("developer_id", "created_at");

-- CreateIndex
CREATE INDEX "submissions_status_idx" ON "submissions"("status");

-- CreateIndex
CREATE INDEX "submission_transitions_submission_id_created_at_idx" ON "submission_transitions"("submission_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_runs_submission_id_idx" ON "audit_runs"("submission_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_reports_audit_run_id_key" ON "audit_reports"("audit_run_id");

-- CreateIndex
CREATE INDEX "audit_reports_digest_idx" ON "audit_reports"("digest");

-- CreateIndex
CREATE INDEX "findings_code_idx" ON "findings"("code");

-- CreateIndex
CREATE UNIQUE INDEX "findings_report_id_ordinal_key" ON "findings"("report_id", "ordinal");

-- CreateIndex
CREATE INDEX "certificates_submission_id_idx" ON "certificates"("submission_id");

-- CreateIndex
CREATE INDEX "certificates_subject_digest_idx" ON "certificates"("subject_digest");

-- CreateIndex
CREATE INDEX "certificate_status_changes_certificate_id_created_at_idx" ON "certificate_status_changes"("certificate_id", "created_at");

-- CreateIndex
CREATE INDEX "signing_keys_status_idx" ON "signing_keys"("status");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_dedupe_key_key" ON "outbox_events"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_events_status_available_at_idx" ON "outbox_events"("status", "available_at");

-- CreateIndex
CREATE UNIQUE INDEX "usage_records_source_key_key" ON "usage_records"("source_key");

-- CreateIndex
CREATE INDEX "usage_records_developer_id_kind_idx" ON "usage_records"("developer_id", "kind");

-- CreateIndex
CREATE INDEX "usage_records_submission_id_idx" ON "usage_records"("submission_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_developer_id_fkey" FOREIGN KEY ("developer_id") REFERENCES "developers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runtimes" ADD CONSTRAINT "runtimes_developer_id_fkey" FOREIGN KEY ("developer_id") REFERENCES "developers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runtime_versions" ADD CONSTRAINT "runtime_versions_runtime_id_fkey" FOREIGN KEY ("runtime_id") REFERENCES "runtimes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runtime_versions" ADD CONSTRAINT "runtime_versions_artifact_sha256_fkey" FOREIGN KEY ("artifact_sha256") REFERENCES "artifacts"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_developer_id_fkey" FOREIGN KEY ("developer_id") REFERENCES "developers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_runtime_version_id_fkey" FOREIGN KEY ("runtime_version_id") REFERENCES "runtime_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submission_transitions" ADD CONSTRAINT "submission_transitions_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_runs" ADD CONSTRAINT "audit_runs_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_reports" ADD CONSTRAINT "audit_reports_audit_run_id_fkey" FOREIGN KEY ("audit_run_id") REFERENCES "audit_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "audit_reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_kid_fkey" FOREIGN KEY ("kid") REFERENCES "signing_keys"("kid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate_status_changes" ADD CONSTRAINT "certificate_status_changes_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "certificates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_developer_id_fkey" FOREIGN KEY ("developer_id") REFERENCES "developers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
