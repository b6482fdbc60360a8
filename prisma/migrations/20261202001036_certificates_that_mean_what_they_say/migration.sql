-- AlterEnum
ALTER TYPE "assembly_phase" ADD VALUE 'beacon';

-- AlterEnum
ALTER TYPE "validator_standing" ADD VALUE 'pending';

-- AlterTable
ALTER TABLE "assemblies" ADD COLUMN     "beacon_commitment" TEXT,
ADD COLUMN     "beacon_secret" TEXT,
ALTER COLUMN "beacon" DROP NOT NULL;

-- AlterTable
ALTER TABLE "assembly_seats" ADD COLUMN     "void_reason" TEXT,
ADD COLUMN     "voided_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "operators" ADD COLUMN     "failed_logins" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "locked_until" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "validators" ADD COLUMN     "admitted_at" TIMESTAMP(3),
ADD COLUMN     "admitted_by" TEXT,
ADD COLUMN     "declared_stake" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "beacon_contributions" (
    "id" UUID NOT NULL,
    "assembly_id" UUID NOT NULL,
    "validator_id" UUID NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "beacon_contributions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "beacon_contributions_assembly_id_validator_id_key" ON "beacon_contributions"("assembly_id", "validator_id");

-- AddForeignKey
ALTER TABLE "beacon_contributions" ADD CONSTRAINT "beacon_contributions_assembly_id_fkey" FOREIGN KEY ("assembly_id") REFERENCES "assemblies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "beacon_contributions" ADD CONSTRAINT "beacon_contributions_validator_id_fkey" FOREIGN KEY ("validator_id") REFERENCES "validators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Keep the figure each existing validator declared (it is no longer a draw weight for new activations).
UPDATE "validators" SET "declared_stake" = "stake";
