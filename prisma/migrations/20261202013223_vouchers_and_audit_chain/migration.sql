-- AlterTable
ALTER TABLE "audit_log" ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "prev_hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "seq" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "vouchers" (
    "id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "max_uses" INTEGER NOT NULL,
    "used_count" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vouchers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "voucher_redemptions" (
    "id" UUID NOT NULL,
    "voucher_id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "voucher_redemptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "vouchers_code_hash_key" ON "vouchers"("code_hash");

-- CreateIndex
CREATE UNIQUE INDEX "voucher_redemptions_voucher_id_developer_id_key" ON "voucher_redemptions"("voucher_id", "developer_id");

-- AddForeignKey
ALTER TABLE "voucher_redemptions" ADD CONSTRAINT "voucher_redemptions_voucher_id_fkey" FOREIGN KEY ("voucher_id") REFERENCES "vouchers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is hash-chained by the database itself (docs/money.md), so
-- every writer is chained whatever code path it takes. Each row carries seq
-- (chain order), prev_hash (the previous row's hash, '' for the first) and
-- hash = sha256 of audit_log_payload(row) (lowercase hex), where the payload
-- is the jsonb text of [seq, prev_hash, id, actor, action, target, before,
-- after, created_at in epoch ms] (jsonb text is unambiguous and canonical).
-- `npm run audit-log:verify -w @assay/platform` recomputes every hash.
CREATE FUNCTION audit_log_payload(seq BIGINT, prev_hash TEXT, id UUID, actor TEXT, action TEXT, target TEXT, before JSONB, after JSONB, created_at TIMESTAMP)
RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_array(seq, prev_hash, id, actor, action, target, before, after, floor(extract(epoch FROM created_at) * 1000)::bigint)::text
$$;


-- Chain the rows written before this migration, oldest first.
DO $$
DECLARE
  r RECORD;
  n BIGINT := 0;
  prev TEXT := '';
  h TEXT;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY created_at, id LOOP
    n := n + 1;
    h := encode(sha256(convert_to(audit_log_payload(n, prev, r.id, r.actor, r.action, r.target, r.before, r.after, r.created_at), 'UTF8')), 'hex');
    UPDATE audit_log SET seq = n, prev_hash = prev, hash = h WHERE id = r.id;
    prev := h;
  END LOOP;
END $$;

-- After the backfill: every existing row had seq 0 until now.
CREATE UNIQUE INDEX "audit_log_seq_key" ON "audit_log"("seq");

-- assay:hand-written (left out of the shadow replay by db:migration:new; see scripts/new-migration.ts)

ALTER TABLE vouchers ADD CONSTRAINT vouchers_used_within_limit CHECK (used_count >= 0 AND used_count <= max_uses);
ALTER TABLE vouchers ADD CONSTRAINT vouchers_amount_positive CHECK (amount > 0 AND max_uses > 0);

-- New rows: one at a time (a transaction-scoped advisory lock), appended after the last.
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last RECORD;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('audit_log_chain', 0));
  SELECT seq, hash INTO last FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.seq := COALESCE(last.seq, 0) + 1;
  NEW.prev_hash := COALESCE(last.hash, '');
  NEW.hash := encode(sha256(convert_to(audit_log_payload(NEW.seq, NEW.prev_hash, NEW.id, NEW.actor, NEW.action, NEW.target, NEW.before, NEW.after, NEW.created_at), 'UTF8')), 'hex');
  RETURN NEW;
END $$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
