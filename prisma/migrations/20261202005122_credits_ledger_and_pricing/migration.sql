-- CreateEnum
CREATE TYPE "campaign_discount_kind" AS ENUM ('percent', 'fixed');

-- CreateEnum
CREATE TYPE "charge_status" AS ENUM ('held', 'captured', 'released');

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "memo" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_lines" (
    "id" BIGSERIAL NOT NULL,
    "entry_id" UUID NOT NULL,
    "account" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,

    CONSTRAINT "ledger_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "price_catalogues" (
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_catalogues_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "discount_kind" "campaign_discount_kind" NOT NULL,
    "discount_value" BIGINT NOT NULL,
    "max_uses" INTEGER,
    "used_count" INTEGER NOT NULL DEFAULT 0,
    "per_developer_limit" INTEGER,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "disabled_at" TIMESTAMP(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_uses" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "submission_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_uses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submission_charges" (
    "submission_id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "catalogue_version" INTEGER NOT NULL,
    "campaign_id" UUID,
    "quote" JSONB NOT NULL,
    "total" BIGINT NOT NULL,
    "status" "charge_status" NOT NULL DEFAULT 'held',
    "settled_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMP(3),

    CONSTRAINT "submission_charges_pkey" PRIMARY KEY ("submission_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_idempotency_key_key" ON "ledger_entries"("idempotency_key");

-- CreateIndex
CREATE INDEX "ledger_entries_kind_created_at_idx" ON "ledger_entries"("kind", "created_at");

-- CreateIndex
CREATE INDEX "ledger_lines_account_idx" ON "ledger_lines"("account");

-- CreateIndex
CREATE INDEX "ledger_lines_entry_id_idx" ON "ledger_lines"("entry_id");

-- CreateIndex
CREATE UNIQUE INDEX "campaigns_name_key" ON "campaigns"("name");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_uses_submission_id_key" ON "campaign_uses"("submission_id");

-- CreateIndex
CREATE INDEX "campaign_uses_campaign_id_developer_id_idx" ON "campaign_uses"("campaign_id", "developer_id");

-- CreateIndex
CREATE INDEX "submission_charges_developer_id_created_at_idx" ON "submission_charges"("developer_id", "created_at");

-- AddForeignKey
ALTER TABLE "ledger_lines" ADD CONSTRAINT "ledger_lines_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "ledger_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_uses" ADD CONSTRAINT "campaign_uses_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submission_charges" ADD CONSTRAINT "submission_charges_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Ledger invariants the database itself enforces (docs/money.md); Prisma's
-- schema cannot express them, so they are written here by hand.

-- Every entry balances: at commit, the lines of each touched entry sum to zero
-- and there are at least two of them (deferred, so an entry's lines can be
-- inserted one by one inside its transaction).
CREATE FUNCTION ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total NUMERIC;
  n INTEGER;
BEGIN
  SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, n FROM ledger_lines WHERE entry_id = NEW.entry_id;
  IF total <> 0 OR n < 2 THEN
    RAISE EXCEPTION 'ledger entry % does not balance (sum %, % lines)', NEW.entry_id, total, n USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entry_balances
  AFTER INSERT ON ledger_lines
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances();

-- An entry without lines never commits either.
CREATE FUNCTION ledger_entry_has_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_lines WHERE entry_id = NEW.id) THEN
    RAISE EXCEPTION 'ledger entry % has no lines', NEW.id USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entry_has_lines
  AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_has_lines();

-- Append-only: balances are derived from entries, so entries are never edited.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = '23514';
END $$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_lines_append_only BEFORE UPDATE OR DELETE ON ledger_lines FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

ALTER TABLE ledger_lines ADD CONSTRAINT ledger_lines_amount_nonzero CHECK (amount <> 0);

-- A campaign's counter can never pass its limit, whatever the application does.
ALTER TABLE campaigns ADD CONSTRAINT campaigns_used_within_limit CHECK (used_count >= 0 AND (max_uses IS NULL OR used_count <= max_uses));
ALTER TABLE campaigns ADD CONSTRAINT campaigns_discount_valid CHECK (discount_value > 0 AND (discount_kind <> 'percent' OR discount_value <= 10000));
ALTER TABLE campaigns ADD CONSTRAINT campaigns_window CHECK (ends_at > starts_at);
ALTER TABLE submission_charges ADD CONSTRAINT submission_charges_total_nonnegative CHECK (total >= 0);
