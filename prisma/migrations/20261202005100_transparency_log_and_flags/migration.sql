-- CreateEnum
CREATE TYPE "certificate_flag_status" AS ENUM ('open', 'dismissed', 'suspended', 'reaudit_ordered');

-- CreateTable
CREATE TABLE "log_entries" (
    "index" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "certificate_id" TEXT NOT NULL,
    "leaf" TEXT NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "log_entries_pkey" PRIMARY KEY ("index")
);

-- CreateTable
CREATE TABLE "log_nodes" (
    "level" INTEGER NOT NULL,
    "index" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "log_nodes_pkey" PRIMARY KEY ("level","index")
);

-- CreateTable
CREATE TABLE "log_checkpoints" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "kid" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "log_checkpoints_pkey" PRIMARY KEY ("tree_size")
);

-- CreateTable
CREATE TABLE "certificate_flags" (
    "id" UUID NOT NULL,
    "certificate_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "status" "certificate_flag_status" NOT NULL DEFAULT 'open',
    "outcome" TEXT,
    "resolved_by" TEXT,
    "resolved_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_flags_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "log_entries_certificate_id_index_idx" ON "log_entries"("certificate_id", "index");

-- CreateIndex
CREATE INDEX "certificate_flags_status_created_at_idx" ON "certificate_flags"("status", "created_at");

-- CreateIndex
CREATE INDEX "certificate_flags_certificate_id_created_at_idx" ON "certificate_flags"("certificate_id", "created_at");

-- CreateIndex
CREATE INDEX "certificate_flags_source_key_status_idx" ON "certificate_flags"("source_key", "status");

-- AddForeignKey
ALTER TABLE "certificate_flags" ADD CONSTRAINT "certificate_flags_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "certificates"("id") ON DELETE CASCADE ON UPDATE CASCADE;
