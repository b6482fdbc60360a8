// Finish: the effects of a decided assembly on its submission — certify
// (a certificate with level "assembly", the record's summary, the claims the
// assembly granted and those it did not, signed and stored with in_assembly →
// certified in one transaction) or reject (`no_evidenced_claim` when the
// assembly granted no claim). Safe to run any number of times: every effect is
// a compare-and-set on the submission.
import { buildAssemblyRecord, certificateAssembly, grantedClaims } from "@assay/assembly";
import { ConflictError } from "../../errors";
import { RecoveryRepository } from "../../repositories/worker-repositories";
import { anchorDedupeKey, ANCHOR_TOPIC } from "../../services/certificate-issuing-service";
import { NO_EVIDENCED_CLAIM } from "../../services/claims-rejection";
import type { AssemblyState } from "../assembly-repository";
import { assemblyRepo, type AssemblyContext, type AssemblyJobResult } from "./context";
import { refreshProgress } from "./progress";
import { roundRecords } from "./round-records";

export async function finishAssembly(ctx: AssemblyContext, assemblyId: string): Promise<AssemblyJobResult> {
  const assembly = await assemblyRepo(ctx).findById(assemblyId);
  if (!assembly) return { result: "unknown_assembly" };
  const submission = await ctx.store.repos.submissions.findById(assembly.submissionId);
  if (!submission) return { result: "unknown_submission" };
  await refreshProgress(ctx, assemblyId);
  if (submission.status !== "in_assembly") return { result: "finished", submissionStatus: submission.status };
  if (assembly.status === "certified") {
    const record = await decidedRecord(ctx, assembly);
    const prepared = await ctx.issuing.prepare(submission, grantedClaims(record));
    if (prepared.kind === "no_claim") {
      await ctx.issuing.rejectForNoClaim(submission.id, prepared.message, ctx.actor);
      return { result: "rejected", reason: NO_EVIDENCED_CLAIM };
    }
    try {
      const document = await ctx.certificates.issue(submission.id, { ...prepared.unsigned, assembly: certificateAssembly(record), level: "assembly" }, ctx.actor);
      await ensureAnchorEvent(ctx, document.id);
      return { result: "certified", certificateId: document.id };
    } catch (err) {
      if (err instanceof ConflictError && (err.code === "submission_state_changed" || err.code === "illegal_transition")) return { result: "finished" };
      throw err;
    }
  }
  if (assembly.status === "rejected") {
    const noClaim = assembly.outcome?.reason === "no_claim_granted";
    try {
      await ctx.submissions.transition(submission.id, "rejected", {
        actor: ctx.actor,
        expectedFrom: "in_assembly",
        reasonCode: noClaim ? NO_EVIDENCED_CLAIM : "assembly_rejected",
        reasonMessage: noClaim
          ? `the validator assembly granted none of the claims (record ${assembly.recordDigest})`
          : `the validator assembly rejected the runtime (record ${assembly.recordDigest})`,
      });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
    return { result: "rejected", reason: noClaim ? NO_EVIDENCED_CLAIM : "assembly_rejected" };
  }
  return { result: assembly.status === "escalated" ? "escalated" : "open" };
}

/**
 * The decided record, recomputed from the stored rows (draws, commits,
 * reveals) and held to the stored record digest: a typed record that is
 * exactly the one the decision stored, or a refusal.
 */
async function decidedRecord(ctx: AssemblyContext, assembly: AssemblyState) {
  const rounds = await roundRecords(ctx, assembly, assembly.round);
  const { record, digest } = buildAssemblyRecord({ assemblyId: assembly.id, params: assembly.params, findings: assembly.findings, claims: assembly.claims, rounds });
  if (digest !== assembly.recordDigest) {
    throw new ConflictError("assembly_record_mismatch", `assembly ${assembly.id}: the stored rows give record ${digest}, the decision stored ${assembly.recordDigest}`);
  }
  return record;
}

export async function ensureAnchorEvent(ctx: AssemblyContext, certificateId: string): Promise<void> {
  await new RecoveryRepository(ctx.store.db).addOutbox({ topic: ANCHOR_TOPIC, payload: { certificateId }, dedupeKey: anchorDedupeKey(certificateId) });
}
