// `expiry` job (repeatable, scheduler `expiry-sweep`): mark certificates whose
// validUntil has passed as expired (CertificateExpiryService; idempotent).
import type { CertificateExpiryService } from "@assay/platform";
import type { JobHandler } from "./handler";

/** The one job scheduler every worker upserts: two workers never schedule two sweeps. */
export const EXPIRY_SCHEDULER_ID = "expiry-sweep";

export function expiryHandler(deps: { expiry: CertificateExpiryService }): JobHandler<"expiry"> {
  return {
    name: "expiry",
    async handle(payload, context) {
      const sweep = await deps.expiry.sweep(payload.limit);
      if (sweep.expired.length > 0) context.log("info", "certificates expired", { count: sweep.expired.length, skipped: sweep.skipped });
      return { result: "swept", expired: sweep.expired.length, skipped: sweep.skipped };
    },
  };
}
