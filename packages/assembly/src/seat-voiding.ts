// Seat voiding (docs/decisions/0009, "Seat voiding"): a seat stops counting
// when its validator is suspended while the round is open. The void is a fact
// the platform records (who, why); a replacement may be drawn for it. The
// replacements are a pure function of the snapshot, the round's seed and
// drawn seats, and how many were drawn, so anyone recomputes them:
//
//   replacements = drawSeats(snapshot − the round's drawn seats,
//                            SHA-256(JCS({format, seed})), count)
//
// drawSeats is sequential, so the first k of k+1 replacements are the k
// replacements: drawing one at a time as voids happen gives the same seats as
// a replay that draws them all at once. A voided seat (drawn or replacement)
// is not tallied — no ballot, no weight, no settlement; the suspension is the
// operator's sanction.
import { digestOf, type Digest } from "@assay/protocol";
import { z } from "zod";
import { amountText } from "./arith";
import { drawSeats, type DrawOptions, type Seat } from "./draw";
import { parseOrThrow } from "./errors";
import { snapshotFromDocument, type EligibleSnapshot } from "./snapshot";
import { ValidatorId } from "./validator";

export const REPLACEMENT_SEED_FORMAT = "assay.replacement-seed/v1";

export const VoidedSeatSchema = z.object({ validatorId: ValidatorId, reason: z.string().min(1).max(200) }).strict();
export type VoidedSeat = z.infer<typeof VoidedSeatSchema>;

export function replacementSeed(roundSeed: string): Digest {
  return digestOf({ format: REPLACEMENT_SEED_FORMAT, seed: roundSeed });
}

/** The snapshot without the given validators, indexed anew (weights unchanged). */
export function snapshotWithout(snapshot: EligibleSnapshot, excluded: Iterable<string>): EligibleSnapshot {
  const out = new Set(excluded);
  const validators = snapshot.document.validators.filter((v) => !out.has(v.id));
  const total = validators.reduce((sum, v) => sum + BigInt(v.weight), 0n);
  return snapshotFromDocument({ ...snapshot.document, validators, totalWeight: amountText(total) });
}

/** The first `count` replacement seats of a round (fewer when the rest of the snapshot is smaller). */
export function replacementSeats(snapshot: EligibleSnapshot, round: { seed: string; seats: readonly Seat[] }, count: number, options: DrawOptions = {}): Seat[] {
  if (count <= 0) return [];
  const pool = snapshotWithout(
    snapshot,
    round.seats.map((s) => s.validatorId),
  );
  if (pool.ids.length === 0) return [];
  return drawSeats(pool, replacementSeed(round.seed), count, options);
}

/** The seats a round's tally counts: drawn seats and replacements, minus the voided ones. */
export function effectiveSeats(seats: readonly Seat[], replacements: readonly Seat[] = [], voided: readonly VoidedSeat[] = []): Seat[] {
  const out = new Set(voided.map((v) => v.validatorId));
  return [...seats, ...replacements].filter((s) => !out.has(s.validatorId));
}

const compareIds = (a: VoidedSeat, b: VoidedSeat) => (a.validatorId < b.validatorId ? -1 : a.validatorId > b.validatorId ? 1 : 0);

/** Voids as the record stores them: sorted by validator (arrival order does not change the digest). */
export function normaliseVoided(voided: readonly VoidedSeat[]): VoidedSeat[] {
  return voided.map((v) => parseOrThrow(VoidedSeatSchema, { validatorId: v.validatorId, reason: v.reason }, "voided seat")).sort(compareIds);
}
