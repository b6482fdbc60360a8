import { digestOf } from "@assay/protocol";
import {
  buildAssemblyRecord,
  closeRound,
  openRound,
  replayAssembly,
  snapshotEligible,
  type AssemblyRecord,
  type FindingRef,
  type RoundRecord,
} from "../src";
import { ballots, CLAIMS, hex32, PARAMS, validator, vote } from "./helpers";

const ID = "asm-record";
const FINDINGS: FindingRef[] = [{ code: "RECOVERY_SLOW", scenario: "drift-pressure", severity: "major" }];
const population = Array.from({ length: 40 }, (_, i) =>
  validator(`val-${String(i).padStart(2, "0")}`, {
    stake: BigInt(500_000 + i * 37_000),
    reputationBps: 3_000 + ((i * 613) % 7_000),
    kind: i % 3 === 0 ? "person" : "agent",
    modelFamily: i % 3 === 0 ? null : ["gpt", "claude", "gemini", "llama"][i % 4]!,
  }),
);
const snapshot = snapshotEligible(population, { conflicts: ["val-07"], params: PARAMS });

/** Round 1 splits 3–2 and rolls; round 2 certifies. */
function twoRounds(reorder = false): RoundRecord[] {
  const rounds: RoundRecord[] = [];
  for (const round of [1, 2]) {
    const opening = openRound({ assemblyId: ID, round, beacon: hex32(`beacon-${round}`), snapshot, params: PARAMS });
    const entries = opening.seats.map((s, i): [string, ReturnType<typeof vote> | null] => {
      if (round === 1) return [s.validatorId, vote(i < 3 ? "certify" : "reject")];
      return [s.validatorId, i === 0 ? null : vote(i < 9 ? "certify" : "reject", { findingOpinions: { "RECOVERY_SLOW@drift-pressure": "confirm" } })];
    });
    const { commits, reveals } = ballots(ID, round, entries);
    rounds.push(
      closeRound(opening, {
        assemblyId: ID,
        params: PARAMS,
        findings: FINDINGS,
        claims: CLAIMS,
        commits: reorder ? [...commits].reverse() : commits,
        reveals: reorder ? [...reveals].reverse() : reveals,
      }),
    );
  }
  return rounds;
}

describe("assembly record", () => {
  const { record, digest } = buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: FINDINGS, claims: CLAIMS, rounds: twoRounds() });

  it("records each round's draw and tally and the outcome", () => {
    expect(record.rounds.map((r) => r.seats.length)).toEqual([5, 11]);
    expect(record.rounds[0]!.tally.outcome).toEqual({ kind: "roll", reason: "no_supermajority", nextRound: 2, nextSeatCount: 11 });
    expect(record.outcome).toMatchObject({ kind: "certify", reason: null, rounds: 2 });
    expect(record.rounds.flatMap((r) => r.seats.map((s) => s.validatorId))).not.toContain("val-07");
    expect(digest).toBe(digestOf(record));
  });

  it("does not depend on the order commits and reveals arrived in", () => {
    expect(buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: [...FINDINGS], claims: [...CLAIMS], rounds: twoRounds(true) }).digest).toBe(digest);
  });

  it("replays completely with the snapshots, and partially without", () => {
    const full = replayAssembly(JSON.parse(JSON.stringify(record)), { snapshots: [snapshot], expectedDigest: digest });
    expect(full.checks.filter((c) => !c.ok)).toEqual([]);
    expect(full).toMatchObject({ ok: true, complete: true, digest });
    const partial = replayAssembly(record);
    expect(partial.ok).toBe(true);
    expect(partial.complete).toBe(false);
    expect(partial.checks.filter((c) => c.skipped).map((c) => c.name)).toEqual(["round 1: seats", "round 2: seats"]);
  });

  const tamper = (edit: (r: AssemblyRecord) => void) => {
    const copy = JSON.parse(JSON.stringify(record)) as AssemblyRecord;
    edit(copy);
    return replayAssembly(copy, { snapshots: [snapshot] });
  };
  const failed = (report: ReturnType<typeof replayAssembly>) => report.checks.filter((c) => !c.ok).map((c) => c.name);

  it.each<[string, (r: AssemblyRecord) => void, string]>([
    ["a swapped seat", (r) => (r.rounds[0]!.seats[0]!.validatorId = "val-07"), "round 1: seats"],
    ["another beacon", (r) => (r.rounds[1]!.beacon = hex32("other")), "round 2: seed"],
    ["an edited reveal", (r) => ((r.rounds[1]!.reveals[1] as { verdict: string }).verdict = "reject"), "round 2: tally"],
    ["an edited tally", (r) => (r.rounds[1]!.tally.certifyWeight = "1"), "round 2: tally"],
    ["an edited outcome", (r) => (r.outcome.kind = "reject"), "outcome"],
    ["a dropped round", (r) => r.rounds.splice(1, 1), "round 1: final"],
    ["a wrong seat count", (r) => (r.rounds[0]!.seatCount = 7), "round 1: seat count"],
    ["a claim status rewritten", (r) => (r.claims[0]!.status = "not-evidenced"), "round 2: tally"],
    ["a granted claim added to the tally", (r) => r.rounds[1]!.tally.claims.push({ srip: "SRIP-13", grantWeight: "1", denyWeight: "0", granted: true, reason: null }), "round 2: tally"],
  ])("detects %s", (_, edit, check) => {
    const report = tamper(edit);
    expect(report.ok).toBe(false);
    expect(failed(report)).toContain(check);
  });

  it("detects a digest that is not the record's, and a malformed record", () => {
    expect(failed(replayAssembly(record, { expectedDigest: hex32("x") }))).toEqual(["digest"]);
    expect(replayAssembly({ format: "nope" })).toMatchObject({ ok: false, digest: null });
    expect(failed(replayAssembly({ ...record, params: { ...record.params, seatCount: 0 } }))).toEqual(["params"]);
  });

  it("refuses to build a record whose rounds do not chain", () => {
    const rounds = twoRounds();
    expect(() => buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: FINDINGS, claims: CLAIMS, rounds: [rounds[0]!] })).toThrow(/not finished/);
    expect(() => buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: FINDINGS, claims: CLAIMS, rounds: [rounds[1]!] })).toThrow(/numbered/);
  });

  it("refuses a snapshot weighed under other parameters, when opening and when replaying", () => {
    const other = snapshotEligible(population, { conflicts: ["val-07"], params: { ...PARAMS, reputationFloorBps: 0 } });
    expect(() => openRound({ assemblyId: ID, round: 1, beacon: hex32("b"), snapshot: other, params: PARAMS })).toThrow(/other parameters/);
    const forged = JSON.parse(JSON.stringify(record)) as AssemblyRecord;
    forged.rounds[0]!.snapshotDigest = other.digest;
    expect(failed(replayAssembly(forged, { snapshots: [snapshot, other] }))).toEqual(["round 1: seats"]);
  });

  it("carries the audit's claims and refuses rounds tallied against other claims", () => {
    expect(record.claims).toEqual([{ srip: "SRIP-05", status: "evidenced" }]);
    expect(record.rounds[1]!.tally.claims).toMatchObject([{ srip: "SRIP-05", granted: true, reason: null }]);
    const other = { assemblyId: ID, params: PARAMS, findings: FINDINGS, rounds: twoRounds() };
    expect(() => buildAssemblyRecord({ ...other, claims: [{ srip: "SRIP-05", status: "not-tested" }] })).toThrow(/other claims/);
    expect(() => buildAssemblyRecord({ ...other, claims: [...CLAIMS, { srip: "SRIP-13", status: "evidenced" }] })).toThrow(/other claims/);
    expect(() => buildAssemblyRecord({ ...other, claims: [...CLAIMS, ...CLAIMS] })).toThrow(/twice/);
  });

  it("replays twice to the same report (pure)", () => {
    expect(replayAssembly(record, { snapshots: [snapshot] })).toEqual(replayAssembly(record, { snapshots: [snapshot] }));
  });
});

describe("certificateAssembly and grantedClaims", () => {
  const { certificateAssembly, grantedClaims } = require("../src") as typeof import("../src");
  it("gives the claims the deciding round granted, and none without certify", () => {
    const { record } = buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: FINDINGS, claims: CLAIMS, rounds: twoRounds() });
    expect(grantedClaims(record)).toEqual(["SRIP-05"]);
    expect(grantedClaims({ ...record, outcome: { ...record.outcome, kind: "reject" } })).toEqual([]);
  });
  it("summarises a certify record for the certificate payload", () => {
    const { record, digest } = buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: FINDINGS, claims: CLAIMS, rounds: twoRounds() });
    const last = record.rounds[1]!.tally;
    const summary = certificateAssembly(record);
    expect(summary).toEqual({
      recordDigest: digest,
      rounds: 2,
      seats: 11,
      tally: {
        verdict: "certify",
        certifyWeightBps: Number((BigInt(last.certifyWeight) * 10_000n) / BigInt(last.revealedWeight)),
        participationBps: last.participationBps,
        stabilityScoreBps: last.stabilityScore,
      },
    });
    expect(summary.tally.certifyWeightBps).toBeGreaterThanOrEqual(6_667);
  });
  it("refuses a record that did not certify", () => {
    const { record } = buildAssemblyRecord({ assemblyId: ID, params: PARAMS, findings: FINDINGS, claims: CLAIMS, rounds: twoRounds() });
    expect(() => certificateAssembly({ ...record, outcome: { ...record.outcome, kind: "reject" } })).toThrow(/not certify/);
  });
});
