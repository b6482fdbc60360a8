// Assembly progress for watchers (docs/decisions/0009, "Progress for
// watchers"): merged into the submission's progress column on every phase
// move, commit and reveal.
import { readProgress, type SubmissionProgress } from "../../services/submission-progress";
import { jsonColumn } from "../columns";
import { assemblyRepo, type AssemblyContext } from "./context";
import { liveValidators } from "./round-seats";

export type AssemblyProgress = NonNullable<SubmissionProgress["assembly"]>;

export async function progressOf(ctx: AssemblyContext, assemblyId: string): Promise<AssemblyProgress | null> {
  const repo = assemblyRepo(ctx);
  const a = await repo.findById(assemblyId);
  if (!a) return null;
  // Counts over the live seats: a voided seat no longer counts, nor does anything it sent.
  const live = liveValidators(await repo.seats(a.id, a.round));
  const commits = (await repo.commitments(a.id, a.round)).filter((c) => live.has(c.validatorId));
  const reveals = (await repo.reveals(a.id, a.round)).filter((r) => live.has(r.validatorId));
  return {
    id: a.id,
    round: a.round,
    phase: a.status === "open" ? a.phase : a.status,
    phaseEndsAt: a.status === "open" ? a.phaseEndsAt.toISOString() : null,
    seats: live.size,
    committed: commits.length,
    revealed: reveals.length,
    escalated: a.escalated,
  };
}

export async function refreshProgress(ctx: AssemblyContext, assemblyId: string): Promise<void> {
  const progress = await progressOf(ctx, assemblyId);
  if (!progress) return;
  const a = await assemblyRepo(ctx).findById(assemblyId);
  if (!a) return;
  const submission = await ctx.store.repos.submissions.findById(a.submissionId);
  if (!submission) return;
  const merged: SubmissionProgress = { ...readProgress(submission.progress), assemblyRound: progress.round, assembly: progress };
  await ctx.store.repos.submissions.setProgress(a.submissionId, jsonColumn(merged));
}
