-- CreateEnum
CREATE TYPE "validator_standing" AS ENUM ('active', 'probation', 'suspended');

-- CreateEnum
CREATE TYPE "validator_kind" AS ENUM ('person', 'agent');

-- CreateEnum
CREATE TYPE "assembly_status" AS ENUM ('open', 'certified', 'rejected', 'escalated', 'resolved');

-- CreateEnum
CREATE TYPE "assembly_phase" AS ENUM ('review', 'commit', 'reveal', 'tally', 'closed');

-- CreateTable
CREATE TABLE "validators" (
    "id" UUID NOT NULL,
    "public_key" TEXT NOT NULL,
    "name" TEXT,
    "kind" "validator_kind" NOT NULL,
    "model_family" TEXT,
    "stake" BIGINT NOT NULL,
    "reputation_bps" INTEGER NOT NULL,
    "standing" "validator_standing" NOT NULL DEFAULT 'active',
    "developer_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "validators_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "validator_challenges" (
    "id" UUID NOT NULL,
    "validator_id" UUID NOT NULL,
    "nonce" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "validator_challenges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assemblies" (
    "id" UUID NOT NULL,
    "submission_id" UUID NOT NULL,
    "status" "assembly_status" NOT NULL DEFAULT 'open',
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "round" INTEGER NOT NULL,
    "phase" "assembly_phase" NOT NULL,
    "phase_started_at" TIMESTAMP(3) NOT NULL,
    "phase_ends_at" TIMESTAMP(3) NOT NULL,
    "params" JSONB NOT NULL,
    "findings" JSONB NOT NULL,
    "report_digest" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "snapshot_digest" TEXT NOT NULL,
    "beacon" TEXT NOT NULL,
    "beacon_inputs" JSONB NOT NULL,
    "fee" BIGINT NOT NULL DEFAULT 0,
    "record" JSONB,
    "record_digest" TEXT,
    "outcome" JSONB,
    "resolution" JSONB,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "assemblies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assembly_rounds" (
    "id" UUID NOT NULL,
    "assembly_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "seed" TEXT NOT NULL,
    "seat_count" INTEGER NOT NULL,
    "opened_at" TIMESTAMP(3) NOT NULL,
    "tally" JSONB,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "assembly_rounds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assembly_seats" (
    "id" UUID NOT NULL,
    "assembly_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "validator_id" UUID NOT NULL,
    "weight" TEXT NOT NULL,
    "family" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assembly_seats_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vote_commitments" (
    "id" UUID NOT NULL,
    "assembly_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "validator_id" UUID NOT NULL,
    "commitment" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vote_commitments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vote_reveals" (
    "id" UUID NOT NULL,
    "assembly_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "validator_id" UUID NOT NULL,
    "reveal" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vote_reveals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reputation_events" (
    "id" UUID NOT NULL,
    "validator_id" UUID NOT NULL,
    "assembly_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "reputation_before" INTEGER NOT NULL,
    "reputation_after" INTEGER NOT NULL,
    "stake_before" BIGINT NOT NULL,
    "stake_slashed" BIGINT NOT NULL,
    "reward" BIGINT NOT NULL,
    "stake_delta" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reputation_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_flags" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "platform_flags_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "validators_public_key_key" ON "validators"("public_key");

-- CreateIndex
CREATE UNIQUE INDEX "validator_challenges_nonce_key" ON "validator_challenges"("nonce");

-- CreateIndex
CREATE INDEX "validator_challenges_validator_id_idx" ON "validator_challenges"("validator_id");

-- CreateIndex
CREATE UNIQUE INDEX "assemblies_submission_id_key" ON "assemblies"("submission_id");

-- CreateIndex
CREATE INDEX "assemblies_status_phase_ends_at_idx" ON "assemblies"("status", "phase_ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "assembly_rounds_assembly_id_round_key" ON "assembly_rounds"("assembly_id", "round");

-- CreateIndex
CREATE INDEX "assembly_seats_validator_id_idx" ON "assembly_seats"("validator_id");

-- CreateIndex
CREATE UNIQUE INDEX "assembly_seats_assembly_id_round_validator_id_key" ON "assembly_seats"("assembly_id", "round", "validator_id");

-- CreateIndex
CREATE UNIQUE INDEX "assembly_seats_assembly_id_round_position_key" ON "assembly_seats"("assembly_id", "round", "position");

-- CreateIndex
CREATE UNIQUE INDEX "vote_commitments_assembly_id_round_validator_id_key" ON "vote_commitments"("assembly_id", "round", "validator_id");

-- CreateIndex
CREATE UNIQUE INDEX "vote_reveals_assembly_id_round_validator_id_key" ON "vote_reveals"("assembly_id", "round", "validator_id");

-- CreateIndex
CREATE INDEX "reputation_events_validator_id_created_at_idx" ON "reputation_events"("validator_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "reputation_events_assembly_id_round_validator_id_key" ON "reputation_events"("assembly_id", "round", "validator_id");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- AddForeignKey
ALTER TABLE "validator_challenges" ADD CONSTRAINT "validator_challenges_validator_id_fkey" FOREIGN KEY ("validator_id") REFERENCES "validators"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assembly_rounds" ADD CONSTRAINT "assembly_rounds_assembly_id_fkey" FOREIGN KEY ("assembly_id") REFERENCES "assemblies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assembly_seats" ADD CONSTRAINT "assembly_seats_assembly_id_fkey" FOREIGN KEY ("assembly_id") REFERENCES "assemblies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assembly_seats" ADD CONSTRAINT "assembly_seats_validator_id_fkey" FOREIGN KEY ("validator_id") REFERENCES "validators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vote_commitments" ADD CONSTRAINT "vote_commitments_assembly_id_fkey" FOREIGN KEY ("assembly_id") REFERENCES "assemblies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vote_reveals" ADD CONSTRAINT "vote_reveals_assembly_id_fkey" FOREIGN KEY ("assembly_id") REFERENCES "assemblies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reputation_events" ADD CONSTRAINT "reputation_events_validator_id_fkey" FOREIGN KEY ("validator_id") REFERENCES "validators"("id") ON DELETE CASCADE ON UPDATE CASCADE;

