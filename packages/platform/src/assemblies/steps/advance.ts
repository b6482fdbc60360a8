// Advance: end `phase` of `round` (its deadline fired, or every seat acted).
// Only moves from exactly that round and phase of an open assembly (a
// compare-and-set), so a duplicate, a late deadline after an early close, or a
// redelivery is a no-op — except that a round already in its tally (a crash
// after the move) is tallied. Phases whose seats have all acted already are
// skipped straight through (early close).
import type { AssemblyPhase } from "../../repositories";
import { assemblyRepo, isVotingPhase, NEXT_PHASE, phaseSeconds, secondsAfter, type AssemblyContext, type AssemblyJobResult, type VotingPhase } from "./context";
import { closeBeaconWindow } from "./beacon";
import { refreshProgress } from "./progress";
import { liveValidators } from "./round-seats";
import { scheduleDeadline } from "./schedule";
import { tallyRound } from "./tally";

export async function advancePhase(ctx: AssemblyContext, assemblyId: string, round: number, phase: VotingPhase | "beacon"): Promise<AssemblyJobResult> {
  // The beacon window's close and the draw of round 1 (steps/beacon.ts).
  if (phase === "beacon") return closeBeaconWindow(ctx, assemblyId);
  const repo = assemblyRepo(ctx);
  const assembly = await repo.findById(assemblyId);
  if (!assembly) return { result: "unknown_assembly" };
  if (assembly.status !== "open" || assembly.round !== round) return { result: "noop", status: assembly.status, round: assembly.round, phase: assembly.phase };
  if (assembly.phase === phase) {
    let current: VotingPhase = phase;
    for (;;) {
      const to = NEXT_PHASE[current];
      const now = ctx.clock();
      const endsAt = secondsAfter(now, phaseSeconds(assembly.params, to));
      if (!(await repo.movePhase({ id: assemblyId, round, from: current, to, startedAt: now, endsAt }))) {
        return { result: "noop", phase: (await repo.findById(assemblyId))?.phase ?? null };
      }
      if (!isVotingPhase(to)) break;
      current = to;
      if (await allActed(ctx, assemblyId, round, to)) continue;
      await scheduleDeadline(ctx, assemblyId, round, to, endsAt, now);
      await refreshProgress(ctx, assemblyId);
      return { result: "advanced", round, phase: to };
    }
  } else if (assembly.phase !== "tally") {
    return { result: "noop", phase: assembly.phase };
  }
  const inTally = await repo.findById(assemblyId);
  if (!inTally) return { result: "unknown_assembly" };
  return tallyRound(ctx, inTally);
}

/** Whether every live (not voided) seat has acted in `phase`: committed (review, commit) or, of those who committed, revealed. */
export async function allActed(ctx: AssemblyContext, assemblyId: string, round: number, phase: AssemblyPhase): Promise<boolean> {
  const repo = assemblyRepo(ctx);
  const live = liveValidators(await repo.seats(assemblyId, round));
  const committed = new Set((await repo.commitments(assemblyId, round)).map((c) => c.validatorId).filter((id) => live.has(id)));
  if (phase === "review" || phase === "commit") return live.size > 0 && committed.size >= live.size;
  if (phase === "reveal") {
    const revealed = (await repo.reveals(assemblyId, round)).filter((r) => committed.has(r.validatorId));
    return committed.size > 0 && revealed.length >= committed.size;
  }
  return false;
}
