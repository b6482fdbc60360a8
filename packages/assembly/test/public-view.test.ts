// The public view of a record (docs/decisions/0031): @assay/protocol's
// assemblySeatsOf / assemblyTallyOf read a real record built here by the draw,
// commitments, reveals and tally — one row per seat from the tally's ballots,
// per-claim verdicts only for revealed seats, no-shows and void reveals marked,
// two rounds kept apart — and refuse what is not a record.
import { AssemblyRecordShapeError, assemblySeatsOf, assemblyTallyOf } from "@assay/protocol";
import { buildAssemblyRecord, closeRound, openRound, snapshotEligible, type RoundRecord } from "../src";
import { ballots, CLAIMS, hex32, PARAMS, validator, vote } from "./helpers";

const ID = "asm-public-view";
const snapshot = snapshotEligible(
  Array.from({ length: 20 }, (_, i) => validator(`val-${String(i).padStart(2, "0")}`, { stake: BigInt(400_000 + i * 50_000) })),
  { params: PARAMS },
);

function rounds(): RoundRecord[] {
  const out: RoundRecord[] = [];
  for (const round of [1, 2]) {
    const opening = openRound({ assemblyId: ID, round, beacon: hex32(`b-${round}`), snapshot, params: PARAMS });
    // Round 1 splits and rolls; round 2: seat 0 stays away, seat 1 reveals a vote that does not open its commitment, the rest certify.
    const entries = opening.seats.map((s, i): [string, ReturnType<typeof vote> | null] => [s.validatorId, round === 1 ? vote(i < 3 ? "certify" : "reject") : i === 0 ? null : vote("certify")]);
    const { commits, reveals } = ballots(ID, round, entries);
    if (round === 2) (reveals[0] as { stabilityScore: number }).stabilityScore = 1; // seat 1's reveal no longer matches its commitment
    out.push(closeRound(opening, { assemblyId: ID, params: PARAMS, findings: [], claims: CLAIMS, commits, reveals }));
  }
  return out;
}

const { record } = buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: [], claims: CLAIMS, rounds: rounds() });

test("one row per ballot of every round, in round order, with the seat's weight and family", () => {
  const rows = assemblySeatsOf(record);
  const ballotsOf = record.rounds.flatMap((r) => r.tally.ballots.map((b) => ({ round: r.round, ...b })));
  expect(rows.map((r) => [r.round, r.validatorId, r.weight, r.status])).toEqual(ballotsOf.map((b) => [b.round, b.validatorId, b.weight, b.status]));
  const seatWeights = new Map(record.rounds.flatMap((r) => r.seats.map((s) => [`${r.round}|${s.validatorId}`, s.weight])));
  for (const row of rows) expect(row.weight).toBe(seatWeights.get(`${row.round}|${row.validatorId}`));
});

test("verdicts per claim only for revealed seats; no-shows and void reveals say why", () => {
  const last = assemblySeatsOf(record).filter((r) => r.round === 2);
  const byStatus = (s: string) => last.filter((r) => r.status === s);
  expect(byStatus("no_show")).toHaveLength(1);
  expect(byStatus("no_show")[0]).toMatchObject({ reason: "no_commit", verdict: null, claims: null, stabilityScoreBps: null });
  expect(byStatus("void")).toHaveLength(1);
  expect(byStatus("void")[0]).toMatchObject({ verdict: null, claims: null });
  for (const r of byStatus("revealed")) expect(r).toMatchObject({ verdict: "certify", claims: { "SRIP-05": "grant" }, stabilityScoreBps: 8_500 });
});

test("the tally view is the deciding round's, with the record's outcome", () => {
  const last = record.rounds[record.rounds.length - 1]!.tally;
  expect(assemblyTallyOf(record)).toEqual({
    rounds: 2,
    outcome: record.outcome.kind,
    seatedWeight: last.seatedWeight,
    revealedWeight: last.revealedWeight,
    certifyWeight: last.certifyWeight,
    rejectWeight: last.rejectWeight,
    participationBps: last.participationBps,
    stabilityScoreBps: last.stabilityScore,
    claims: last.claims.map((c) => ({ srip: c.srip, granted: c.granted, grantWeight: c.grantWeight, denyWeight: c.denyWeight, reason: c.reason })),
  });
});

test("what is not a record is refused", () => {
  for (const bad of [null, {}, { ...record, rounds: [] }, { ...record, rounds: [{ round: 1 }] }, "record"]) {
    expect(() => assemblySeatsOf(bad)).toThrow(AssemblyRecordShapeError);
  }
});
