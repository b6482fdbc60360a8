// The draw of a round's seats from the frozen snapshot and the beacon
// (openRound: seed = SHA-256(beacon ‖ assembly id ‖ round)), stored with the
// round row in the caller's transaction. Kept apart from opening so a step
// that fixes the beacon later (a beacon phase) draws the same way.
import { openRound, type AssemblyParams, type EligibleSnapshot, type RoundOpening } from "@assay/assembly";
import type { AssemblyRepository } from "../assembly-repository";

export async function drawRound(
  repo: AssemblyRepository,
  args: { assemblyId: string; round: number; beacon: string; snapshot: EligibleSnapshot; params: AssemblyParams; at: Date },
): Promise<RoundOpening> {
  const opening = openRound({ assemblyId: args.assemblyId, round: args.round, beacon: args.beacon, snapshot: args.snapshot, params: args.params });
  await repo.createRound({ assemblyId: args.assemblyId, round: opening.round, seed: opening.seed, seatCount: opening.seatCount, openedAt: args.at });
  await repo.createSeats(args.assemblyId, opening.round, opening.seats);
  return opening;
}
