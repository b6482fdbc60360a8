// `audit` job: run the submission's sandbox audit (AuditPipeline) and, when the
// job gives up, mark the run and the submission failed.
import type { AuditRunService, SubmissionRecoveryService } from "@assay/platform";
import type { AuditPipeline } from "../audit/audit-pipeline";
import type { JobHandler } from "./handler";

export function auditHandler(deps: { pipeline: AuditPipeline; auditRuns: AuditRunService; recovery: SubmissionRecoveryService }): JobHandler<"audit"> {
  return {
    name: "audit",
    async handle(payload, context) {
      const result = await deps.pipeline.run(payload, context.log);
      if (result.kind === "skipped") return { result: "skipped", reason: result.reason, status: result.status };
      return {
        result: result.recorded ? "recorded" : "already-recorded",
        status: result.status,
        reportDigest: result.reportDigest,
        criticalFindings: result.criticalFindings,
        certificateJob: result.certificateEventId,
      };
    },
    async onGaveUp(payload, error) {
      await deps.auditRuns.markRunFailed(payload.auditRunId, error.message);
      await deps.recovery.failSubmission(payload.submissionId, "audit_job_failed", error.message);
    },
  };
}
