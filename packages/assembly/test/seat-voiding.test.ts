// Seat voiding: replacements are recomputable (prefix-consistent, so voiding
// one seat at a time equals a replay that draws them all), a voided seat is
// not tallied, and a record with voids and replacements replays completely;
// a record without voids is unchanged.
import fc from "fast-check";
import {
  buildAssemblyRecord,
  closeRound,
  effectiveSeats,
  openRound,
  replacementSeats,
  replayAssembly,
  snapshotEligible,
  snapshotWithout,
  type AssemblyRecord,
  type VoidedSeat,
} from "../src";
import { ballots, CLAIMS, hex32, PARAMS, validator, vote } from "./helpers";

const ID = "asm-voiding";
const population = Array.from({ length: 30 }, (_, i) =>
  validator(`val-${String(i).padStart(2, "0")}`, { stake: BigInt(400_000 + i * 53_000), reputationBps: 4_000 + ((i * 389) % 6_000), kind: "agent", modelFamily: `family-${i % 7}` }),
);
const snapshot = snapshotEligible(population, { params: PARAMS });
const params = { ...PARAMS, modelFamilyDiversity: false };
const snapshotNoDiversity = snapshotEligible(population, { params });

it("replacements are prefix-consistent: k then one more equals k+1 at once (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), (beacon, k, diversity) => {
      const opening = openRound({ assemblyId: ID, round: 1, beacon: hex32(`b${beacon}`), snapshot, params: PARAMS });
      const more = replacementSeats(snapshot, opening, k + 1, { diversity });
      const fewer = replacementSeats(snapshot, opening, k, { diversity });
      expect(more.slice(0, k)).toEqual(fewer);
      const drawn = new Set(opening.seats.map((s) => s.validatorId));
      expect(more.every((s) => !drawn.has(s.validatorId))).toBe(true);
      expect(new Set(more.map((s) => s.validatorId)).size).toBe(more.length);
    }),
    { numRuns: 60 },
  );
});

it("the pool without the drawn seats keeps every other weight; an exhausted pool draws nothing", () => {
  const opening = openRound({ assemblyId: ID, round: 1, beacon: hex32("pool"), snapshot, params: PARAMS });
  const pool = snapshotWithout(snapshot, opening.seats.map((s) => s.validatorId));
  expect(pool.ids.length).toBe(snapshot.ids.length - opening.seats.length);
  expect(pool.totalWeight).toBe(snapshot.totalWeight - opening.seats.reduce((w, s) => w + BigInt(s.weight), 0n));
  const all = snapshot.ids.map((id) => ({ validatorId: id, weight: "1", family: null }));
  expect(replacementSeats(snapshot, { seed: opening.seed, seats: all }, 2)).toEqual([]);
});

function votedRound(voided: VoidedSeat[], replacementCount: number) {
  const opening = openRound({ assemblyId: ID, round: 1, beacon: hex32("voided-round"), snapshot: snapshotNoDiversity, params });
  const replacements = replacementSeats(snapshotNoDiversity, opening, replacementCount, { diversity: false });
  // Everybody votes certify, including the voided validators (their votes must not count).
  const entries = [...opening.seats, ...replacements].map((s): [string, ReturnType<typeof vote>] => [s.validatorId, vote("certify")]);
  const { commits, reveals } = ballots(ID, 1, entries);
  return { opening, replacements, round: closeRound({ ...opening, voided, replacements }, { assemblyId: ID, params, findings: [], claims: CLAIMS, commits, reveals }) };
}

it("a voided seat is not tallied; its replacement is; the record replays completely and a forged replacement does not", () => {
  const { opening } = votedRound([], 0);
  const gone = opening.seats[1]!.validatorId;
  const { round, replacements } = votedRound([{ validatorId: gone, reason: "validator_suspended" }], 1);
  expect(round.voided).toEqual([{ validatorId: gone, reason: "validator_suspended" }]);
  expect(round.replacements).toEqual(replacements);
  expect(round.tally.ballots.map((b) => b.validatorId)).not.toContain(gone);
  expect(round.tally.ballots.map((b) => b.validatorId)).toContain(replacements[0]!.validatorId);
  expect(round.tally.ballots).toHaveLength(opening.seats.length);
  const seated = effectiveSeats(opening.seats, replacements, round.voided).reduce((w, s) => w + BigInt(s.weight), 0n);
  expect(BigInt(round.tally.seatedWeight)).toBe(seated);

  const { record, digest } = buildAssemblyRecord({ assemblyId: ID, params, findings: [], claims: CLAIMS, rounds: [round] });
  const replay = replayAssembly(record, { snapshots: [snapshotNoDiversity], expectedDigest: digest });
  expect(replay.checks.filter((c) => !c.ok)).toEqual([]);
  expect(replay.complete).toBe(true);
  expect(replay.checks.map((c) => c.name)).toEqual(expect.arrayContaining(["round 1: replacements", "round 1: voided"]));

  const forged = JSON.parse(JSON.stringify(record)) as AssemblyRecord;
  forged.rounds[0]!.replacements = [{ ...forged.rounds[0]!.replacements![0]!, validatorId: opening.seats[0]!.validatorId }];
  expect(replayAssembly(forged, { snapshots: [snapshotNoDiversity] }).ok).toBe(false);
  const stray = JSON.parse(JSON.stringify(record)) as AssemblyRecord;
  stray.rounds[0]!.voided = [{ validatorId: "val-nobody", reason: "x" }];
  expect(replayAssembly(stray, { snapshots: [snapshotNoDiversity] }).checks.find((c) => c.name === "round 1: voided")?.ok).toBe(false);
});

it("a round without voids has no voided or replacements field (records and digests as before)", () => {
  const { round } = votedRound([], 0);
  expect(Object.keys(round)).not.toContain("voided");
  expect(Object.keys(round)).not.toContain("replacements");
});

it("voids are stored sorted by validator, whatever the order they happened in", () => {
  const { opening } = votedRound([], 0);
  const [a, b] = [opening.seats[0]!.validatorId, opening.seats[2]!.validatorId].sort();
  const first = votedRound([{ validatorId: b!, reason: "r" }, { validatorId: a!, reason: "r" }], 2).round;
  const second = votedRound([{ validatorId: a!, reason: "r" }, { validatorId: b!, reason: "r" }], 2).round;
  expect(first).toEqual(second);
  expect(first.voided!.map((v) => v.validatorId)).toEqual([a, b]);
});
