// Sweep (the reconciler, every interval; docs/decisions/0007): re-schedule the
// deadline job of open assemblies whose deadline passed more than `graceMs`
// ago (Redis lost the delayed job), and finish decided assemblies whose
// submission did not move. Job ids are deterministic per minute, so a sweep
// repeated within the minute adds nothing.
import { assemblyJobIds } from "../scheduler";
import { assemblyRepo, isVotingPhase, type AssemblyContext } from "./context";

const SWEEP_BATCH = 100;

export async function sweepAssemblies(ctx: AssemblyContext, graceMs: number): Promise<number> {
  const now = ctx.clock();
  const before = new Date(now.getTime() - graceMs);
  const minute = Math.floor(now.getTime() / 60_000);
  const repo = assemblyRepo(ctx);
  const overdue = await repo.overdue(before, SWEEP_BATCH);
  for (const a of overdue) {
    // A round stuck in its tally is re-run through the reveal's advance (which tallies it).
    const phase = a.phase === "tally" ? "reveal" : a.phase;
    if (phase !== "beacon" && !isVotingPhase(phase)) continue;
    await ctx.scheduler.schedule({ action: "advance", assemblyId: a.id, round: a.round, phase }, { jobId: `${assemblyJobIds.deadline(a.id, a.round, phase)}-sweep-${minute}`, delayMs: 0 });
  }
  for (const a of await repo.decidedBefore(before, SWEEP_BATCH)) {
    const submission = await ctx.store.repos.submissions.findById(a.submissionId);
    if (submission?.status === "in_assembly") await ctx.scheduler.schedule({ action: "finish", assemblyId: a.id }, { jobId: `${assemblyJobIds.finish(a.id)}-${minute}`, delayMs: 0 });
  }
  return overdue.length;
}
