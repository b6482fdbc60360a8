-- CreateEnum
CREATE TYPE "reward_payout_status" AS ENUM ('prepared', 'sent', 'confirmed');

-- CreateTable
CREATE TABLE "reward_payouts" (
    "id" UUID NOT NULL,
    "validator_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "amount_wei" DECIMAL(78,0) NOT NULL,
    "status" "reward_payout_status" NOT NULL DEFAULT 'prepared',
    "tx_hash" TEXT,
    "nonce" INTEGER,
    "serialized" TEXT,
    "block_number" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMP(3),

    CONSTRAINT "reward_payouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reward_withdrawals" (
    "id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "amount_wei" DECIMAL(78,0) NOT NULL,
    "validator_id" UUID,
    "entry_id" UUID,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reward_withdrawals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reward_payouts_status_next_attempt_at_idx" ON "reward_payouts"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "reward_payouts_validator_id_idx" ON "reward_payouts"("validator_id");

-- CreateIndex
CREATE INDEX "reward_withdrawals_recipient_idx" ON "reward_withdrawals"("recipient");

-- CreateIndex
CREATE UNIQUE INDEX "reward_withdrawals_chain_id_block_number_log_index_key" ON "reward_withdrawals"("chain_id", "block_number", "log_index");

-- assay:hand-written (left out of the shadow replay by db:migration:new; see scripts/new-migration.ts)
-- One open payout per validator: a second one could credit the same payable twice.
CREATE UNIQUE INDEX "reward_payouts_one_open_per_validator" ON "reward_payouts"("validator_id") WHERE "status" <> 'confirmed';
ALTER TABLE "reward_payouts" ADD CONSTRAINT "reward_payouts_amount_positive" CHECK ("amount" > 0 AND "amount_wei" > 0);
