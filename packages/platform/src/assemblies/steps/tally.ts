// Tally: close the current round over its stored seats, commitments and
// reveals. A roll opens round r+1 (2n+1 seats, same snapshot and beacon, seed
// by round) in one transaction with the phase move; a decision (certify,
// reject, escalate) is written with the whole record, its digest and the
// settlement in one transaction (a compare-and-set from the tally phase),
// then finished.
import { buildAssemblyRecord } from "@assay/assembly";
import { ConflictError } from "../../errors";
import { LedgerService } from "../../money";
import type { AssemblyState } from "../assembly-repository";
import { assemblyRepo, secondsAfter, type AssemblyContext, type AssemblyJobResult } from "./context";
import { drawRound } from "./draw";
import { finishAssembly } from "./finish";
import { refreshProgress } from "./progress";
import { roundRecords } from "./round-records";
import { scheduleDeadline } from "./schedule";
import { settleAssembly } from "./settle";
import { voidSuspendedSeats } from "./void-seats";

export async function tallyRound(ctx: AssemblyContext, assembly: AssemblyState): Promise<AssemblyJobResult> {
  const round = assembly.round;
  const records = await roundRecords(ctx, assembly, round);
  const last = records[records.length - 1];
  if (!last) throw new ConflictError("assembly_has_no_round", `assembly ${assembly.id} has no round ${round}`);
  const outcome = last.tally.outcome;
  const now = ctx.clock();

  if (outcome.kind === "roll") {
    const beacon = assembly.beacon;
    const snapshot = await assemblyRepo(ctx).snapshotOf(assembly.id);
    if (beacon === null || !snapshot) throw new ConflictError("assembly_incomplete", `assembly ${assembly.id} has no beacon or snapshot`);
    const endsAt = secondsAfter(now, assembly.params.reviewSeconds);
    const seats = await ctx.store.db.$transaction(async (tx) => {
      const repo = assemblyRepo(ctx, tx);
      if (!(await repo.movePhase({ id: assembly.id, round, from: "tally", to: "review", startedAt: now, endsAt, nextRound: outcome.nextRound }))) return null;
      await repo.closeRound(assembly.id, round, last.tally, now);
      const opening = await drawRound(repo, { assemblyId: assembly.id, round: outcome.nextRound, beacon, snapshot, params: assembly.params, at: now });
      // The snapshot is frozen at open; a validator suspended since then does not sit in the new round.
      await voidSuspendedSeats(tx, { assemblyId: assembly.id, round: outcome.nextRound, params: assembly.params }, snapshot, now);
      return opening.seats.length;
    });
    if (seats === null) return { result: "noop", phase: "tally" };
    await scheduleDeadline(ctx, assembly.id, outcome.nextRound, "review", endsAt, now);
    await refreshProgress(ctx, assembly.id);
    ctx.log("info", `assembly ${assembly.id} rolled to round ${outcome.nextRound} (${seats} seats): ${outcome.reason}`);
    return { result: "rolled", round: outcome.nextRound, seats, reason: outcome.reason };
  }

  const { record, digest } = buildAssemblyRecord({ assemblyId: assembly.id, params: assembly.params, findings: assembly.findings, claims: assembly.claims, rounds: records });
  const status = record.outcome.kind === "certify" ? "certified" : record.outcome.kind === "reject" ? "rejected" : "escalated";
  const decided = await ctx.store.db.$transaction(async (tx) => {
    const repo = assemblyRepo(ctx, tx);
    if (!(await repo.decide({ id: assembly.id, round, status, record, recordDigest: digest, at: now }))) return false;
    await repo.closeRound(assembly.id, round, last.tally, now);
    await settleAssembly(tx, assembly, record, new LedgerService(ctx.store));
    return true;
  });
  if (!decided) return { result: "noop", phase: "tally" };
  ctx.log("info", `assembly ${assembly.id} decided ${status} after ${records.length} round(s)`);
  const finished = await finishAssembly(ctx, assembly.id);
  return { ...finished, result: "decided", status, recordDigest: digest, effect: finished.result };
}
