// `certificate` job: issue the submission's certificate (CertificateIssuingService).
import type { CertificateIssuingService, SubmissionRecoveryService } from "@assay/platform";
import type { JobHandler } from "./handler";

export function certificateHandler(deps: { issuing: CertificateIssuingService; recovery: SubmissionRecoveryService }): JobHandler<"certificate"> {
  return {
    name: "certificate",
    async handle(payload, context) {
      const issuance = await deps.issuing.issueForSubmission(payload.submissionId);
      if (issuance.issued) context.log("info", "certificate issued", { submissionId: payload.submissionId, certificateId: issuance.certificateId });
      return {
        result: issuance.issued ? "issued" : issuance.certificateId ? "already-issued" : "skipped",
        status: issuance.status,
        certificateId: issuance.certificateId,
        anchorEvent: issuance.anchorEventId,
        ...(issuance.reason ? { reason: issuance.reason } : {}),
      };
    },
    async onGaveUp(payload, error) {
      await deps.recovery.failSubmission(payload.submissionId, "certificate_job_failed", error.message);
    },
  };
}
