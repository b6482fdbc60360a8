// Resolve: an operator's decision on an escalated assembly. Reject rejects the
// submission; certify issues an audit-only certificate (the assembly did not
// certify, so its record cannot stand in a certificate as a certify tally),
// which the certificate schema refuses over a critical finding. Audit-logged.
import { ConflictError, NotFoundError } from "../../errors";
import { assemblyRepo, type AssemblyContext } from "./context";
import { ensureAnchorEvent } from "./finish";

export type ResolveInput = { decision: "certify" | "reject"; reason: string; actor: string };

export async function resolveEscalation(ctx: AssemblyContext, id: string, input: ResolveInput): Promise<{ status: string; certificateId: string | null }> {
  const repo = assemblyRepo(ctx);
  const a = await repo.findById(id);
  if (!a) throw new NotFoundError("assembly_not_found", `no assembly ${id}`);
  if (!a.escalated || a.status !== "escalated") throw new ConflictError("assembly_not_escalated", `assembly ${id} is ${a.status}, not escalated`);
  const submission = await ctx.store.repos.submissions.findById(a.submissionId);
  if (!submission || submission.status !== "in_assembly") throw new ConflictError("submission_state_changed", "the submission is no longer in assembly");
  let certificateId: string | null = null;
  if (input.decision === "certify") {
    const unsigned = await ctx.issuing.unsignedFor(submission);
    const document = await ctx.certificates.issue(submission.id, unsigned, input.actor);
    certificateId = document.id;
    await ensureAnchorEvent(ctx, document.id);
  } else {
    await ctx.submissions.transition(submission.id, "rejected", { actor: input.actor, expectedFrom: "in_assembly", reasonCode: "operator_rejected", reasonMessage: input.reason });
  }
  await repo.resolveEscalation(id, { decision: input.decision, reason: input.reason, actor: input.actor, at: ctx.clock().toISOString(), certificateId });
  await ctx.store.repos.auditLog.record({ actor: input.actor, action: "assembly.resolve", target: id, before: null, after: { decision: input.decision, reason: input.reason, certificateId } });
  return { status: input.decision === "certify" ? "certified" : "rejected", certificateId };
}
