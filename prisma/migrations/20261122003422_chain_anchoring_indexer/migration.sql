-- CreateEnum
CREATE TYPE "anchor_batch_status" AS ENUM ('prepared', 'sent', 'confirmed');

-- AlterTable
ALTER TABLE "validators" ADD COLUMN     "chain_address" TEXT;

-- CreateTable
CREATE TABLE "anchor_batches" (
    "id" UUID NOT NULL,
    "root" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "registry" TEXT NOT NULL,
    "tree" JSONB NOT NULL,
    "size" INTEGER NOT NULL,
    "status" "anchor_batch_status" NOT NULL DEFAULT 'prepared',
    "tx_hash" TEXT,
    "block_number" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),
    "confirmed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "anchor_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "anchor_batch_members" (
    "certificate_id" TEXT NOT NULL,
    "batch_id" UUID NOT NULL,
    "proof" JSONB NOT NULL,

    CONSTRAINT "anchor_batch_members_pkey" PRIMARY KEY ("certificate_id")
);

-- CreateTable
CREATE TABLE "chain_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chain_leases_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "chain_cursors" (
    "name" TEXT NOT NULL,
    "next_block" BIGINT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chain_cursors_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "stake_events" (
    "id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "validator" TEXT NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stake_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "validator_stakes" (
    "address" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "active" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "pending" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "slashed" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "withdrawn" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "available_at" BIGINT,
    "last_block" BIGINT NOT NULL,
    "last_log_index" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "validator_stakes_pkey" PRIMARY KEY ("address")
);

-- CreateIndex
CREATE UNIQUE INDEX "anchor_batches_root_key" ON "anchor_batches"("root");

-- CreateIndex
CREATE INDEX "anchor_batches_status_next_attempt_at_idx" ON "anchor_batches"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "anchor_batch_members_batch_id_idx" ON "anchor_batch_members"("batch_id");

-- CreateIndex
CREATE INDEX "stake_events_validator_idx" ON "stake_events"("validator");

-- CreateIndex
CREATE UNIQUE INDEX "stake_events_chain_id_block_number_log_index_key" ON "stake_events"("chain_id", "block_number", "log_index");

-- CreateIndex
CREATE UNIQUE INDEX "validators_chain_address_key" ON "validators"("chain_address");

-- AddForeignKey
ALTER TABLE "anchor_batch_members" ADD CONSTRAINT "anchor_batch_members_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "anchor_batches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
