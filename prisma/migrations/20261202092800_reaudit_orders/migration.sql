-- assay:hand-written (docs/decisions/0020): an operator's re-audit order, decided on a
-- public flag, is a renewal with trigger 'flag' (no schema change besides the check).
ALTER TABLE "certificate_renewals" DROP CONSTRAINT "certificate_renewals_trigger_known";
ALTER TABLE "certificate_renewals" ADD CONSTRAINT "certificate_renewals_trigger_known"
  CHECK ("trigger" IN ('expiry', 'versions', 'flag'));
