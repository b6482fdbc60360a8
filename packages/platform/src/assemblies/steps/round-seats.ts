// A round's seats as stored, split the way the record holds them: the drawn
// seats (positions below the round's seat count), the replacements (from the
// seat count on, in draw order), the voided ones, and the effective seats
// that vote and are tallied.
import { effectiveSeats, type Seat, type VoidedSeat } from "@assay/assembly";
import type { SeatRow } from "../assembly-repository";

export type RoundSeats = { drawn: Seat[]; replacements: Seat[]; voided: VoidedSeat[]; effective: Seat[] };

const seatOf = (s: SeatRow): Seat => ({ validatorId: s.validatorId, weight: s.weight, family: s.family });

export function roundSeats(rows: readonly SeatRow[], seatCount: number): RoundSeats {
  const ordered = [...rows].sort((a, b) => a.position - b.position);
  const drawn = ordered.filter((s) => s.position < seatCount).map(seatOf);
  const replacements = ordered.filter((s) => s.position >= seatCount).map(seatOf);
  const voided = ordered.filter((s) => s.voidedAt !== null).map((s) => ({ validatorId: s.validatorId, reason: s.voidReason ?? "voided" }));
  return { drawn, replacements, voided, effective: effectiveSeats(drawn, replacements, voided) };
}

/** The validators whose seats count (not voided), from rows of one round. */
export function liveValidators(rows: readonly SeatRow[]): Set<string> {
  return new Set(rows.filter((s) => s.voidedAt === null).map((s) => s.validatorId));
}
