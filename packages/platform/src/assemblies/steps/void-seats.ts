// Seat voiding (docs/decisions/0009, "Seat voiding"): when an operator
// suspends a validator, its seats in the current round of every open assembly
// stop counting (voided_at, void_reason) and, while commits are still open,
// each is replaced by a seat drawn from the assembly's frozen snapshot minus
// the round's drawn seats (replacementSeats in @assay/assembly, recomputed on
// replay). A replacement whose validator is suspended too is voided at once
// and the next one drawn. A round drawn later (a roll) voids and replaces
// suspended validators the same way.
//
// Concurrency: each voiding claims the assembly's revision (compare-and-set,
// also bumped by every phase move), so two voidings, or a voiding and a
// phase move, never interleave on one round; the loser re-reads and retries.
import { replacementSeats, type AssemblyParams, type EligibleSnapshot } from "@assay/assembly";
import { ConflictError } from "../../errors";
import type { DbClient } from "../../repositories/types";
import { AssemblyRepository, type AssemblyState } from "../assembly-repository";
import { assemblyJobIds } from "../scheduler";
import { SeatRepository } from "../seat-repository";
import { allActed } from "./advance";
import { assemblyRepo, isVotingPhase, type AssemblyContext } from "./context";
import { refreshProgress } from "./progress";
import { roundSeats } from "./round-seats";

/** How many suspended replacements in a row one voiding skips before it leaves the seat empty. */
const MAX_REPLACEMENT_DRAWS = 16;
const MAX_ATTEMPTS = 5;
export const SUSPENDED_REASON = "validator_suspended";

/** Voids the validator's seats in open assemblies; returns how many seats this call voided. */
export async function voidSeatsOf(ctx: AssemblyContext, validatorId: string, reason: string): Promise<number> {
  let voided = 0;
  for (const seat of await new SeatRepository(ctx.store.db).liveSeatsOf(validatorId)) {
    if (await voidSeat(ctx, seat.assemblyId, seat.round, validatorId, reason)) voided++;
  }
  return voided;
}

async function voidSeat(ctx: AssemblyContext, assemblyId: string, round: number, validatorId: string, reason: string): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const a = await assemblyRepo(ctx).findById(assemblyId);
    if (!a || a.status !== "open" || a.round !== round) return false;
    const snapshot = commitsOpen(a) ? await assemblyRepo(ctx).snapshotOf(assemblyId) : null;
    const outcome = await ctx.store.db.$transaction(async (tx) => {
      const seats = new SeatRepository(tx);
      if (!(await seats.claimRevision(assemblyId, a.revision))) return "moved";
      const at = ctx.clock();
      if (!(await seats.voidSeat(assemblyId, round, validatorId, reason, at))) return "already";
      if (snapshot) await drawReplacement(tx, { assemblyId, round, params: a.params }, snapshot, at);
      return "voided";
    });
    if (outcome === "moved") continue;
    if (outcome === "already") return false;
    ctx.log("info", `assembly ${assemblyId} round ${round}: seat of ${validatorId} voided (${reason})${snapshot ? ", replacement drawn" : ""}`);
    await afterVoid(ctx, a, validatorId);
    return true;
  }
  throw new ConflictError("assembly_busy", `assembly ${assemblyId} kept changing while a seat was being voided; try again`);
}

/** Replacements only while a replacement can still commit. */
function commitsOpen(a: AssemblyState): boolean {
  return a.phase === "review" || a.phase === "commit";
}

/**
 * Draws the round's next replacement seat (position seatCount + k), voiding
 * and skipping replacements whose validator is suspended now. Nothing when
 * the rest of the snapshot is exhausted.
 */
export async function drawReplacement(tx: DbClient, round: { assemblyId: string; round: number; params: AssemblyParams }, snapshot: EligibleSnapshot, at: Date): Promise<void> {
  const seats = new SeatRepository(tx);
  const row = await seats.round(round.assemblyId, round.round);
  if (!row) return;
  const { drawn, replacements } = roundSeats(await new AssemblyRepository(tx).seats(round.assemblyId, round.round), row.seatCount);
  for (let k = replacements.length + 1; k <= replacements.length + MAX_REPLACEMENT_DRAWS; k++) {
    const fresh = replacementSeats(snapshot, { seed: row.seed, seats: drawn }, k, { diversity: round.params.modelFamilyDiversity })[k - 1];
    if (!fresh) return;
    await seats.addReplacement(round.assemblyId, round.round, row.seatCount + k - 1, fresh);
    if (!(await seats.suspendedAmong([fresh.validatorId])).has(fresh.validatorId)) return;
    await seats.voidSeat(round.assemblyId, round.round, fresh.validatorId, SUSPENDED_REASON, at);
  }
}

/** In a freshly drawn round (inside its transaction): void and replace the seats of validators suspended since the open. */
export async function voidSuspendedSeats(tx: DbClient, round: { assemblyId: string; round: number; params: AssemblyParams }, snapshot: EligibleSnapshot, at: Date): Promise<number> {
  const seats = new SeatRepository(tx);
  const rows = await new AssemblyRepository(tx).seats(round.assemblyId, round.round);
  const suspended = await seats.suspendedAmong(rows.map((s) => s.validatorId));
  for (const id of suspended) {
    if (await seats.voidSeat(round.assemblyId, round.round, id, SUSPENDED_REASON, at)) await drawReplacement(tx, round, snapshot, at);
  }
  return suspended.size;
}

/** Progress for watchers, and an early close when the seats left have all acted. */
async function afterVoid(ctx: AssemblyContext, a: AssemblyState, validatorId: string): Promise<void> {
  await refreshProgress(ctx, a.id);
  const now = await assemblyRepo(ctx).findById(a.id);
  if (!now || now.status !== "open" || now.round !== a.round || !isVotingPhase(now.phase)) return;
  if (await allActed(ctx, a.id, a.round, now.phase)) {
    await ctx.scheduler
      .schedule({ action: "advance", assemblyId: a.id, round: a.round, phase: now.phase }, { jobId: assemblyJobIds.afterVoid(a.id, a.round, now.phase, validatorId), delayMs: 0 })
      .catch(() => undefined);
  }
}
