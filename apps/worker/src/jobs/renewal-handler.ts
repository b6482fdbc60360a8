// `renewal` job (repeatable, scheduler `renewal-sweep`): start the re-audit of
// certificates due for renewal (CertificateRenewalService; idempotent by the
// database's unique indexes, docs/decisions/0020).
import type { CertificateRenewalService } from "@assay/platform";
import type { JobHandler } from "./handler";

/** The one job scheduler every worker upserts: two workers never schedule two sweeps. */
export const RENEWAL_SCHEDULER_ID = "renewal-sweep";

export function renewalHandler(deps: { renewals: CertificateRenewalService }): JobHandler<"renewal"> {
  return {
    name: "renewal",
    async handle(payload, context) {
      const sweep = await deps.renewals.sweep(payload.limit);
      if (sweep.started.length + sweep.declined.length + sweep.unpaid.length > 0) {
        context.log("info", "renewal sweep", { started: sweep.started.length, declined: sweep.declined.length, unpaid: sweep.unpaid.length, skipped: sweep.skipped });
      }
      for (const e of sweep.errors) context.log("warn", "renewal could not start", { certificateId: e.certificateId, error: e.error });
      return { result: "swept", started: sweep.started.length, declined: sweep.declined.length, unpaid: sweep.unpaid.length, errors: sweep.errors.length, skipped: sweep.skipped };
    },
  };
}
