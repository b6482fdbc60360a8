// Persistence of seat voiding (docs/decisions/0009, "Seat voiding"): the
// current-round seats of a validator, a seat voided once (compare-and-set on
// voided_at), replacement seats after the drawn ones, and the assembly's
// revision as the guard against two voidings (or a voiding and a phase move)
// interleaving.
import type { Seat } from "@assay/assembly";
import type { DbClient } from "../repositories/types";
import { UsageRepository } from "../repositories/effect-repositories";
import type { SeatRow } from "./assembly-repository";

export type SeatVoid = { validatorId: string; reason: string };

export class SeatRepository {
  constructor(private readonly db: DbClient) {}

  /** Seats of the validator in the current round of open assemblies, not voided. */
  async liveSeatsOf(validatorId: string): Promise<SeatRow[]> {
    const seats = await this.db.assemblySeat.findMany({
      where: { validatorId, voidedAt: null, assembly: { status: "open" } },
      include: { assembly: { select: { round: true } } },
      orderBy: { createdAt: "asc" },
    });
    return seats.filter((s) => s.round === s.assembly.round).map(({ assembly: _assembly, ...seat }) => seat);
  }

  /** The round's seed and seat count (the drawn seats hold positions below it, replacements from it on). */
  round(assemblyId: string, round: number) {
    return this.db.assemblyRound.findUnique({ where: { assemblyId_round: { assemblyId, round } }, select: { seed: true, seatCount: true } });
  }

  /** Claims the assembly for one change: true when its revision was still `revision` (and it is open). */
  async claimRevision(assemblyId: string, revision: number): Promise<boolean> {
    const result = await this.db.assembly.updateMany({ where: { id: assemblyId, revision, status: "open" }, data: { revision: { increment: 1 } } });
    return result.count === 1;
  }

  /** Voids one seat; false when it was voided already. */
  async voidSeat(assemblyId: string, round: number, validatorId: string, reason: string, at: Date): Promise<boolean> {
    const result = await this.db.assemblySeat.updateMany({ where: { assemblyId, round, validatorId, voidedAt: null }, data: { voidedAt: at, voidReason: reason } });
    return result.count === 1;
  }

  async addReplacement(assemblyId: string, round: number, position: number, seat: Seat): Promise<void> {
    await this.db.assemblySeat.create({ data: { assemblyId, round, position, validatorId: seat.validatorId, weight: seat.weight, family: seat.family } });
    // A replacement is a seat drawn for the submission: metered like the round's seats.
    await new UsageRepository(this.db).recordSeats(assemblyId, round, [position]);
  }

  /** Which of these validators are suspended now (a replacement or a new round must not seat them). */
  async suspendedAmong(validatorIds: readonly string[]): Promise<Set<string>> {
    if (validatorIds.length === 0) return new Set();
    const rows = await this.db.validator.findMany({ where: { id: { in: [...validatorIds] }, standing: "suspended" }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }
}
