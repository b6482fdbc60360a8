// The round records of an assembly rebuilt from its rows: each round's draw
// (stored seed and seats, voided seats and replacements), its commitments and
// its reveals, closed by the pure tally. The tally and the record are always recomputed from these rows, never
// read back from a stored tally.
import { closeRound, type Commit, type RoundOpening, type RoundRecord } from "@assay/assembly";
import type { AssemblyState } from "../assembly-repository";
import { assemblyRepo, type AssemblyContext } from "./context";
import { roundSeats } from "./round-seats";

export async function roundRecords(ctx: AssemblyContext, assembly: AssemblyState, upTo: number): Promise<RoundRecord[]> {
  const repo = assemblyRepo(ctx);
  const beacon = assembly.beacon;
  if (beacon === null) throw new Error(`assembly ${assembly.id} has no beacon yet, so it has no rounds to tally`);
  const rounds = await repo.rounds(assembly.id);
  const seats = await repo.seats(assembly.id);
  const commits = await repo.commitments(assembly.id);
  const reveals = await repo.reveals(assembly.id);
  return rounds
    .filter((r) => r.round <= upTo)
    .map((r) => {
      const { drawn, replacements, voided } = roundSeats(
        seats.filter((s) => s.round === r.round),
        r.seatCount,
      );
      const opening: RoundOpening = { round: r.round, snapshotDigest: assembly.snapshotDigest, beacon, seed: r.seed, seatCount: r.seatCount, seats: drawn, voided, replacements };
      return closeRound(opening, {
        assemblyId: assembly.id,
        params: assembly.params,
        findings: assembly.findings,
        claims: assembly.claims,
        commits: commits.filter((c) => c.round === r.round).map((c): Commit => ({ assemblyId: c.assemblyId, round: c.round, validatorId: c.validatorId, commitment: c.commitment })),
        reveals: reveals.filter((v) => v.round === r.round).map((v) => v.reveal),
      });
    });
}
