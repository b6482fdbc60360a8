// `assembly` job: one step of a validator assembly (open, end of a phase,
// finish a decision), each idempotent in AssemblyService (compare-and-set phase
// moves, deterministic job ids for the deadlines it schedules).
import type { AssemblyService, SubmissionRecoveryService } from "@assay/platform";
import type { JobHandler } from "./handler";

export function assemblyHandler(deps: { assemblies: AssemblyService; recovery: SubmissionRecoveryService }): JobHandler<"assembly"> {
  return {
    name: "assembly",
    async handle(payload) {
      switch (payload.action) {
        case "open":
          return deps.assemblies.open(payload.submissionId, payload.attempt ?? 0);
        case "advance":
          return deps.assemblies.advance(payload.assemblyId, payload.round, payload.phase);
        case "finish":
          return deps.assemblies.finish(payload.assemblyId);
      }
    },
    async onGaveUp(payload, error) {
      // An assembly that cannot be opened leaves its submission nowhere to go;
      // a phase or finish step that gives up is picked up again by the sweep.
      if (payload.action === "open") await deps.recovery.failSubmission(payload.submissionId, "assembly_job_failed", error.message);
    },
  };
}
