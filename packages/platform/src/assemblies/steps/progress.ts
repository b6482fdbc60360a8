// Assembly progress for watchers (docs/decisions/0009, "Progress for
// watchers"): merged into the submission's progress column on every phase
// move, commit and reveal.
import { readProgress, type SubmissionProgress } from "../../services/submission-progress";
import { jsonColumn } from "../columns";
import { assemblyRepo, type AssemblyContext } from "./context";

export type AssemblyProgress = NonNullable<SubmissionProgress["assembly"]>;

export async function progressOf(ctx: AssemblyContext, assemblyId: string): Promise<AssemblyProgress | null> {
  const repo = assemblyRepo(ctx);
  const a = await repo.findById(assemblyId);
  if (!a) return null;
  const seats = await repo.seats(a.id, a.round);
  const commits = await repo.commitments(a.id, a.round);
  const reveals = await repo.reveals(a.id, a.round);
  return {
    id: a.id,
    round: a.round,
    phase: a.status === "open" ? a.phase : a.status,
    phaseEndsAt: a.status === "open" ? a.phaseEndsAt.toISOString() : null,
    seats: seats.length,
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
