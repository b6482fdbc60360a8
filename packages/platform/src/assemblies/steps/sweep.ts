// Sweep (the reconciler, every interval; docs/decisions/0007): re-schedule the
// deadline job of open assemblies whose deadline passed more than `graceMs`
// ago (Redis lost the delayed job), close early a phase every seat has acted
// in (the vote that completed it scheduled that close, but Redis may have been
// down then: without this the phase would wait for its deadline, 30 min by
// default — seen in the fault matrix, docs/decisions/0023), and finish decided
// assemblies whose submission did not move. Job ids are deterministic per minute, so a sweep
// repeated within the minute adds nothing.
import { assemblyJobIds } from "../scheduler";
import { allActed } from "./advance";
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
  let closed = 0;
  for (const a of await repo.openVotingNotDue(now, SWEEP_BATCH)) {
    if (!isVotingPhase(a.phase) || !(await allActed(ctx, a.id, a.round, a.phase))) continue;
    // The same move as the vote's early close (a compare-and-set: a duplicate is a no-op).
    await ctx.scheduler.schedule({ action: "advance", assemblyId: a.id, round: a.round, phase: a.phase }, { jobId: `${assemblyJobIds.early(a.id, a.round, a.phase)}-sweep-${minute}`, delayMs: 0 });
    closed += 1;
  }
  for (const a of await repo.decidedBefore(before, SWEEP_BATCH)) {
    const submission = await ctx.store.repos.submissions.findById(a.submissionId);
    if (submission?.status === "in_assembly") await ctx.scheduler.schedule({ action: "finish", assemblyId: a.id }, { jobId: `${assemblyJobIds.finish(a.id)}-${minute}`, delayMs: 0 });
  }
  return overdue.length + closed;
}
