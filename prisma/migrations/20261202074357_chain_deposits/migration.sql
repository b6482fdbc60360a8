-- CreateTable
CREATE TABLE "chain_deposits" (
    "id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "block_number" BIGINT NOT NULL,
    "block_hash" TEXT NOT NULL,
    "treasury" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "payer" TEXT NOT NULL,
    "amount_wei" DECIMAL(78,0) NOT NULL,
    "credits" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "developer_id" UUID,
    "entry_id" UUID,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_deposits_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chain_deposits_developer_id_created_at_idx" ON "chain_deposits"("developer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "chain_deposits_chain_id_tx_hash_log_index_key" ON "chain_deposits"("chain_id", "tx_hash", "log_index");

-- assay:hand-written (left out of the shadow replay by db:migration:new; see scripts/new-migration.ts)

-- A credited deposit names its developer and its ledger entry; an unassigned one has neither and says why.
ALTER TABLE chain_deposits ADD CONSTRAINT chain_deposits_status_valid CHECK (
  (status = 'credited' AND developer_id IS NOT NULL AND entry_id IS NOT NULL AND credits > 0 AND reason IS NULL)
  OR (status = 'unassigned' AND entry_id IS NULL AND reason IN ('unknown_reference', 'below_one_credit'))
);
ALTER TABLE chain_deposits ADD CONSTRAINT chain_deposits_amounts CHECK (amount_wei > 0 AND credits >= 0 AND log_index >= 0 AND block_number >= 0);
ALTER TABLE chain_deposits ADD CONSTRAINT chain_deposits_source_valid CHECK (source IN ('indexer', 'api'));
CREATE UNIQUE INDEX chain_deposits_entry_id_key ON chain_deposits (entry_id) WHERE entry_id IS NOT NULL;

-- What was seen on chain is a fact: the row is never edited or deleted (same function as the ledger's).
CREATE TRIGGER chain_deposits_append_only BEFORE UPDATE OR DELETE ON chain_deposits FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
