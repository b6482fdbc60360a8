import { canonicalJson } from "@assay/protocol";
import fc from "fast-check";
import {
  resolveParams,
  tallyRound,
  weightedMedian,
  type ClaimRef,
  type Commit,
  type FindingRef,
  type Reveal,
  type Seat,
  type TallyInput,
  type Vote,
} from "../src";
import { ballot, ballots, CLAIMS, PARAMS, seats, vote } from "./helpers";

const A = "asm-t";
const CRITICAL: FindingRef = { code: "SYNC_NOT_CONTAINED", scenario: "sync-containment", severity: "critical" };
const MAJOR: FindingRef = { code: "RECOVERY_SLOW", scenario: "drift-pressure", severity: "major" };

function tally(seatList: Seat[], entries: [string, ReturnType<typeof vote> | null][], extra: Partial<TallyInput> = {}) {
  const { commits, reveals } = ballots(A, extra.round ?? 1, entries);
  return tallyRound({ assemblyId: A, round: 1, params: PARAMS, seats: seatList, commits, reveals, findings: [], claims: CLAIMS, ...extra });
}

const base = (seatList: Seat[]) => ({ assemblyId: A, round: 1, params: PARAMS, seats: seatList, findings: [], claims: CLAIMS });

describe("tallyRound", () => {
  const five = seats([100, 100, 100, 100, 100]);
  const ids = five.map((s) => s.validatorId);

  it("certifies with a 2/3 supermajority of revealed weight and enough participation", () => {
    const t = tally(five, [[ids[0]!, vote("certify")], [ids[1]!, vote("certify")], [ids[2]!, vote("certify")], [ids[3]!, vote("certify")], [ids[4]!, vote("reject")]]);
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "certify", reason: null });
    expect(t.participationBps).toBe(10_000);
    expect(t.certifyWeight).toBe("400");
    expect(t.rejectWeight).toBe("100");
  });

  it("resolves at exactly 2/3 (rational threshold, no rounding)", () => {
    const three = seats([1, 1, 1]);
    const t = tally(three, [[three[0]!.validatorId, vote("reject")], [three[1]!.validatorId, vote("reject")], [three[2]!.validatorId, vote("certify")]]);
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "reject", reason: null });
  });

  it("rolls a split vote to round 2 with 2n+1 seats", () => {
    const t = tally(five, [[ids[0]!, vote("certify")], [ids[1]!, vote("certify")], [ids[2]!, vote("certify")], [ids[3]!, vote("reject")], [ids[4]!, vote("reject")]]);
    expect(t.outcome).toEqual({ kind: "roll", reason: "no_supermajority", nextRound: 2, nextSeatCount: 11 });
  });

  it("rolls when participation is below the minimum, even if unanimous", () => {
    const t = tally(five, [[ids[0]!, vote("certify")], [ids[1]!, vote("certify")]]);
    expect(t.participationBps).toBe(4_000);
    expect(t.outcome).toEqual({ kind: "roll", reason: "participation", nextRound: 2, nextSeatCount: 11 });
  });

  it("liveness: a heavy seat that never commits leaves the quorum, so it cannot stall the round", () => {
    const w = seats([10_000, 100, 100, 100, 100]);
    const t = tally(w, [[w[0]!.validatorId, null], ...w.slice(1).map((s): [string, ReturnType<typeof vote>] => [s.validatorId, vote("certify")])]);
    expect(t.participationBps).toBe(384); // revealed / seated (floored): the honest figure
    expect(t.quorumWeight).toBe("400");
    expect(t.committedSeats).toBe(4);
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "certify", reason: null });
    expect(t.ballots.find((b) => b.validatorId === w[0]!.validatorId)).toMatchObject({ status: "no_show", reason: "no_commit" });
  });

  it("liveness: a seat that commits and does not reveal still counts in the quorum", () => {
    const w = seats([10_000, 100, 100, 100, 100]);
    const heavy = ballot(A, 1, w[0]!.validatorId, vote("reject"));
    const rest = ballots(A, 1, w.slice(1).map((s) => [s.validatorId, vote("certify")]));
    const t = tallyRound({ ...base(w), commits: [heavy.commit, ...rest.commits], reveals: rest.reveals });
    expect(t.quorumWeight).toBe("10400");
    expect(t.outcome).toMatchObject({ kind: "roll", reason: "participation" });
  });

  it("liveness: fewer than half of the seats acting never resolves, however heavy they are", () => {
    const w = seats([10_000, 100, 100, 100, 100]);
    const t = tally(w, [[w[0]!.validatorId, vote("reject")], [w[1]!.validatorId, vote("reject")]]);
    expect(t.committedSeats).toBe(2);
    expect(t.outcome).toMatchObject({ kind: "roll", reason: "participation" });
  });

  it("weighs by stake: one heavy seat can outweigh several light ones", () => {
    const w = seats([1_000, 100, 100, 100]);
    const t = tally(w, [[w[0]!.validatorId, vote("reject")], [w[1]!.validatorId, vote("certify")], [w[2]!.validatorId, vote("certify")], [w[3]!.validatorId, vote("certify")]]);
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "reject", reason: null });
  });

  it("escalates to operators after the maximum round", () => {
    const split: [string, ReturnType<typeof vote>][] = ids.map((id, i) => [id, vote(i < 3 ? "certify" : "reject")]);
    const { commits, reveals } = ballots(A, 3, split);
    const t = tallyRound({ assemblyId: A, round: 3, params: PARAMS, seats: five, commits, reveals, findings: [], claims: CLAIMS });
    expect(t.outcome).toEqual({ kind: "escalate", reason: "max_rounds" });
    const one = resolveParams({ maxRounds: 1 });
    const { commits: c1, reveals: r1 } = ballots(A, 1, split);
    expect(tallyRound({ assemblyId: A, round: 1, params: one, seats: five, commits: c1, reveals: r1, findings: [], claims: CLAIMS }).outcome).toEqual({
      kind: "escalate",
      reason: "max_rounds",
    });
  });

  it("never certifies over a critical finding: a certify supermajority escalates, reject resolves", () => {
    const all = (v: "certify" | "reject") => ids.map((id): [string, ReturnType<typeof vote>] => [id, vote(v)]);
    const vetoed = tally(five, all("certify"), { findings: [CRITICAL], claims: CLAIMS });
    expect(vetoed.criticalVeto).toBe(true);
    expect(vetoed.outcome).toEqual({ kind: "escalate", reason: "critical_veto" });
    expect(tally(five, all("reject"), { findings: [CRITICAL], claims: CLAIMS }).outcome).toEqual({ kind: "resolved", verdict: "reject", reason: null });
    expect(tally(five, all("certify"), { findings: [MAJOR], claims: CLAIMS }).outcome).toEqual({ kind: "resolved", verdict: "certify", reason: null });
  });

  it("counts a void reveal as not revealed", () => {
    const { commits, reveals } = ballots(A, 1, ids.map((id) => [id, vote("certify")]));
    // Three seats change their mind after committing: their reveals no longer match.
    const tampered = reveals.map((r, i) => (i < 3 ? { ...r, verdict: "reject" as const } : r));
    const t = tallyRound({ assemblyId: A, round: 1, params: PARAMS, seats: five, commits, reveals: tampered, findings: [], claims: CLAIMS });
    expect(t.ballots.filter((b) => b.status === "void")).toHaveLength(3);
    expect(t.ballots.find((b) => b.status === "void")!.reason).toBe("commitment_mismatch");
    expect(t.revealedWeight).toBe("200");
    expect(t.rejectWeight).toBe("0");
    expect(t.outcome.kind).toBe("roll");
  });

  it("voids a seat that committed twice differently, and ignores unseated voters", () => {
    const a = ballot(A, 1, ids[0]!, vote("certify"));
    const b = ballot(A, 1, ids[0]!, vote("reject"));
    const outsider = ballot(A, 1, "outsider", vote("reject"));
    const rest = ballots(A, 1, ids.slice(1).map((id) => [id, vote("certify")]));
    const t = tallyRound({
      assemblyId: A,
      round: 1,
      params: PARAMS,
      seats: five,
      commits: [a.commit, b.commit, outsider.commit, ...rest.commits],
      reveals: [a.reveal, outsider.reveal, ...rest.reveals],
      findings: [], claims: CLAIMS,
    });
    expect(t.ballots.find((x) => x.validatorId === ids[0])).toMatchObject({ status: "void", reason: "equivocation" });
    expect(t.ballots.map((x) => x.validatorId)).not.toContain("outsider");
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "certify", reason: null });
  });

  it("does not count a commitment copied from another seat", () => {
    const alice = ballot(A, 1, ids[0]!, vote("reject"));
    // ids[1] copies alice's commitment and reveals its own guess.
    const copy: Commit = { ...alice.commit, validatorId: ids[1]! };
    const guess = ballot(A, 1, ids[1]!, vote("reject")).reveal;
    const t = tallyRound({ assemblyId: A, round: 1, params: PARAMS, seats: five, commits: [alice.commit, copy], reveals: [alice.reveal, guess], findings: [], claims: CLAIMS });
    expect(t.ballots.find((x) => x.validatorId === ids[1])!.status).toBe("void");
    expect(t.revealedWeight).toBe("100");
  });

  it("does not count a commit and reveal from another round", () => {
    const old = ballots(A, 1, ids.map((id) => [id, vote("certify")]));
    const t = tallyRound({ assemblyId: A, round: 2, params: PARAMS, seats: five, commits: old.commits, reveals: old.reveals, findings: [], claims: CLAIMS });
    expect(t.ballots.every((b) => b.status === "no_show" && b.reason === "no_commit")).toBe(true);
    const mixed = tallyRound({
      assemblyId: A,
      round: 2,
      params: PARAMS,
      seats: five,
      commits: old.commits.map((c) => ({ ...c, round: 2 })),
      reveals: old.reveals,
      findings: [], claims: CLAIMS,
    });
    expect(mixed.ballots.every((b) => b.status === "void" && b.reason === "round_mismatch")).toBe(true);
  });

  it("marks seats without commit or reveal as no-shows", () => {
    const c = ballot(A, 1, ids[0]!, vote("certify"));
    const t = tallyRound({ assemblyId: A, round: 1, params: PARAMS, seats: five, commits: [c.commit], reveals: [], findings: [], claims: CLAIMS });
    expect(t.ballots.find((b) => b.validatorId === ids[0])).toMatchObject({ status: "no_show", reason: "no_reveal" });
    expect(t.ballots.find((b) => b.validatorId === ids[1])).toMatchObject({ status: "no_show", reason: "no_commit" });
    expect(t.stabilityScore).toBeNull();
  });

  it("scores stability by weighted median and tallies finding opinions", () => {
    const w = seats([300, 100, 100]);
    const key = "RECOVERY_SLOW@drift-pressure";
    const t = tally(
      w,
      [
        [w[0]!.validatorId, vote("reject", { stabilityScore: 5_000, findingOpinions: { [key]: "confirm" } })],
        [w[1]!.validatorId, vote("reject", { stabilityScore: 9_000, findingOpinions: { [key]: "dispute" } })],
        [w[2]!.validatorId, vote("reject", { stabilityScore: 100 })],
      ],
      { findings: [MAJOR, { ...MAJOR, severity: "minor" }, { code: "CRYSTALLIZED", scenario: "stability", severity: "minor" }] },
    );
    expect(t.stabilityScore).toBe(5_000);
    expect(t.findings).toEqual([
      { key: "CRYSTALLIZED@stability", severity: "minor", confirmWeight: "0", disputeWeight: "0", consensus: "no_opinion" },
      { key, severity: "major", confirmWeight: "300", disputeWeight: "100", consensus: "confirmed" },
    ]);
  });

  it("refuses duplicate seats", () => {
    expect(() => tallyRound({ assemblyId: A, round: 1, params: PARAMS, seats: [...five, five[0]!], commits: [], reveals: [], findings: [], claims: CLAIMS })).toThrow(/twice/);
  });

  it("is a pure function: twice-run equals once-run", () => {
    const { commits, reveals } = ballots(A, 1, ids.map((id, i) => [id, vote(i % 2 ? "certify" : "reject")]));
    const input = { assemblyId: A, round: 1, params: PARAMS, seats: five, commits, reveals, findings: [MAJOR], claims: CLAIMS };
    expect(canonicalJson(tallyRound(input))).toBe(canonicalJson(tallyRound(input)));
  });
});

describe("tallyRound claims", () => {
  const five = seats([100, 100, 100, 100, 100]);
  const ids = five.map((s) => s.validatorId);
  const AUDIT: ClaimRef[] = [
    { srip: "SRIP-13", status: "not-evidenced" },
    { srip: "SRIP-03", status: "evidenced" },
    { srip: "SRIP-05", status: "evidenced" },
  ];
  const grantAll: Vote["claims"] = { "SRIP-03": "grant", "SRIP-05": "grant", "SRIP-13": "grant" };

  it("grants an evidenced claim with a grant supermajority, never a not-evidenced one", () => {
    const t = tally(
      five,
      ids.map((id, i) => [id, vote("certify", { claims: i < 2 ? { ...grantAll, "SRIP-05": "deny" } : grantAll })]),
      { claims: AUDIT },
    );
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "certify", reason: null });
    expect(t.claims).toEqual([
      { srip: "SRIP-03", grantWeight: "500", denyWeight: "0", granted: true, reason: null },
      { srip: "SRIP-05", grantWeight: "300", denyWeight: "200", granted: false, reason: "no_supermajority" },
      { srip: "SRIP-13", grantWeight: "500", denyWeight: "0", granted: false, reason: "not_evidenced" },
    ]);
  });

  it("withholds a not-tested claim and counts a missing entry as not granting", () => {
    const t = tally(
      five,
      ids.map((id, i) => [id, vote("certify", { claims: i < 2 ? { "SRIP-03": "grant" } : { "SRIP-03": "grant", "SRIP-05": "grant" } })]),
      { claims: [{ srip: "SRIP-03", status: "not-tested" }, { srip: "SRIP-05", status: "evidenced" }] },
    );
    expect(t.claims.map((c) => [c.srip, c.granted, c.reason, c.grantWeight, c.denyWeight])).toEqual([
      ["SRIP-03", false, "not_tested", "500", "0"],
      ["SRIP-05", false, "no_supermajority", "300", "0"],
    ]);
    // certify had its supermajority, but there is nothing to certify.
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "reject", reason: "no_claim_granted" });
  });

  it("resolves reject (no_claim_granted) when the only claims are not evidenced, whatever the votes", () => {
    const t = tally(five, ids.map((id) => [id, vote("certify", { claims: grantAll })]), { claims: [{ srip: "SRIP-13", status: "not-evidenced" }] });
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "reject", reason: "no_claim_granted" });
    expect(t.claims[0]).toMatchObject({ granted: false, reason: "not_evidenced" });
  });

  it("grants nothing when the round does not certify, and says so", () => {
    const t = tally(five, ids.map((id) => [id, vote("reject", { claims: grantAll })]), { claims: AUDIT });
    expect(t.outcome).toEqual({ kind: "resolved", verdict: "reject", reason: null });
    expect(t.claims.find((c) => c.srip === "SRIP-03")).toMatchObject({ granted: false, reason: "not_certified" });
    const rolled = tally(five, ids.map((id, i) => [id, vote(i < 3 ? "certify" : "reject", { claims: grantAll })]), { claims: AUDIT });
    expect(rolled.outcome.kind).toBe("roll");
    expect(rolled.claims.some((c) => c.granted)).toBe(false);
  });

  it("escalates a critical veto before looking at claims", () => {
    const t = tally(five, ids.map((id) => [id, vote("certify", { claims: grantAll })]), { claims: AUDIT, findings: [CRITICAL] });
    expect(t.outcome).toEqual({ kind: "escalate", reason: "critical_veto" });
    expect(t.claims.some((c) => c.granted)).toBe(false);
  });

  it("refuses one SRIP with two different statuses", () => {
    expect(() => tally(five, [], { claims: [{ srip: "SRIP-05", status: "evidenced" }, { srip: "SRIP-05", status: "not-tested" }] })).toThrow(/twice/);
  });
});

describe("weightedMedian", () => {
  it("is the lower weighted median, clipping a light outlier", () => {
    expect(weightedMedian([])).toBeNull();
    expect(weightedMedian([{ validatorId: "a", score: 7, weight: 1n }])).toBe(7);
    expect(weightedMedian([{ validatorId: "a", score: 1, weight: 1n }, { validatorId: "b", score: 9, weight: 1n }])).toBe(1);
    expect(
      weightedMedian([
        { validatorId: "a", score: 8_000, weight: 10n },
        { validatorId: "b", score: 8_100, weight: 10n },
        { validatorId: "c", score: 0, weight: 9n },
      ]),
    ).toBe(8_000);
  });
});

// ---- properties ----

const weightArb = fc.bigInt({ min: 1n, max: 10n ** 12n });
const verdictArb = fc.constantFrom("certify" as const, "reject" as const);
/** A round: seats with weights and what each seat does (several failed reveals per seat included). */
const SRIPS = ["SRIP-03", "SRIP-05", "SRIP-13"] as const;
const claimVotesArb: fc.Arbitrary<Vote["claims"]> = fc.dictionary(fc.constantFrom(...SRIPS), fc.constantFrom("grant" as const, "deny" as const));
const roundArb = fc
  .array(fc.record({ weight: weightArb, act: fc.constantFrom("certify", "reject", "absent", "void", "void-many"), claims: claimVotesArb }), {
    minLength: 1,
    maxLength: 15,
  })
  .map((rows) => {
    const seatList = seats(rows.map((r) => r.weight), "s");
    const commits: Commit[] = [];
    const reveals: Reveal[] = [];
    rows.forEach((r, i) => {
      if (r.act === "absent") return;
      const isVoid = r.act === "void" || r.act === "void-many";
      const b = ballot(A, 1, seatList[i]!.validatorId, vote(isVoid ? "certify" : (r.act as "certify" | "reject"), { claims: r.claims }));
      commits.push(b.commit);
      reveals.push(isVoid ? { ...b.reveal, stabilityScore: b.reveal.stabilityScore + 1 } : b.reveal);
      if (r.act === "void-many") reveals.push({ ...b.reveal, round: 2 }, { ...b.reveal, assemblyId: "elsewhere" }, { ...b.reveal, salt: "nope" } as Reveal);
    });
    return { seats: seatList, commits, reveals };
  });

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, k: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((a, b) => a.k - b.k || b.i - a.i)
    .map((x) => x.item);
}

/** The audit's claims: a status for some of the SRIPs. */
const auditClaimsArb: fc.Arbitrary<ClaimRef[]> = fc
  .subarray([...SRIPS], { minLength: 1 })
  .chain((srips) => fc.tuple(...srips.map((srip) => fc.constantFrom<ClaimRef["status"]>("evidenced", "not-evidenced", "not-tested").map((status) => ({ srip, status })))));

describe("tally properties", () => {
  it("is invariant to the order of claims, seats, commits and reveals (claims included)", () => {
    fc.assert(
      fc.property(roundArb, auditClaimsArb, fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), (round, claims, keys) => {
        const a = tallyRound({ assemblyId: A, round: 1, params: PARAMS, ...round, findings: [MAJOR], claims });
        const b = tallyRound({
          assemblyId: A,
          round: 1,
          params: PARAMS,
          seats: shuffled(round.seats, keys),
          commits: shuffled(round.commits, [...keys].reverse()),
          reveals: shuffled(round.reveals, keys.map((k) => -k)),
          findings: [MAJOR],
          claims: shuffled(claims, keys),
        });
        expect(canonicalJson(b)).toBe(canonicalJson(a));
      }),
      { numRuns: 150 },
    );
  });

  it("never grants a claim the audit did not evidence, and certifies only with a granted claim, whatever the votes", () => {
    fc.assert(
      fc.property(roundArb, auditClaimsArb, fc.integer({ min: 1, max: 3 }), (round, claims, r) => {
        const commits = round.commits.map((c) => ({ ...c, round: r }));
        const reveals = round.reveals.map((v) => ({ ...v, round: r }));
        const t = tallyRound({ assemblyId: A, round: r, params: PARAMS, ...round, commits, reveals, findings: [MAJOR], claims });
        const status = new Map(claims.map((c) => [c.srip, c.status]));
        for (const c of t.claims) {
          if (status.get(c.srip as ClaimRef["srip"]) !== "evidenced") expect(c.granted).toBe(false);
          if (c.granted) expect(BigInt(c.grantWeight) * 3n >= 2n * BigInt(t.revealedWeight)).toBe(true);
        }
        const certified = t.outcome.kind === "resolved" && t.outcome.verdict === "certify";
        expect(certified).toBe(t.claims.some((c) => c.granted));
        expect(t.claims.map((c) => c.srip)).toEqual(claims.map((c) => c.srip).sort());
      }),
      { numRuns: 300 },
    );
  });

  it("is invariant to the order of seats, commits and reveals", () => {
    fc.assert(
      fc.property(roundArb, fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), fc.boolean(), (round, keys, critical) => {
        const findings = critical ? [CRITICAL, MAJOR] : [MAJOR];
        const a = tallyRound({ assemblyId: A, round: 1, params: PARAMS, ...round, findings, claims: CLAIMS });
        const b = tallyRound({
          assemblyId: A,
          round: 1,
          params: PARAMS,
          seats: shuffled(round.seats, keys),
          commits: shuffled(round.commits, [...keys].reverse()),
          reveals: shuffled(round.reveals, keys.map((k) => -k)),
          findings: [...findings].reverse(), claims: CLAIMS,
        });
        expect(canonicalJson(b)).toBe(canonicalJson(a));
      }),
      { numRuns: 150 },
    );
  });

  it("never certifies with a critical finding, whatever the votes", () => {
    fc.assert(
      fc.property(roundArb, fc.integer({ min: 1, max: 3 }), (round, r) => {
        const commits = round.commits.map((c) => ({ ...c, round: r }));
        const t = tallyRound({ assemblyId: A, round: 1, params: PARAMS, ...round, findings: [CRITICAL], claims: CLAIMS });
        expect(t.outcome).not.toEqual({ kind: "resolved", verdict: "certify", reason: null });
        expect(tallyRound({ assemblyId: A, round: r, params: PARAMS, ...round, commits, findings: [CRITICAL], claims: CLAIMS }).outcome).not.toMatchObject({
          kind: "resolved",
          verdict: "certify",
        });
      }),
      { numRuns: 150 },
    );
  });

  it("certifies a clean submission when an honest majority of ≥ 2/3 of seated weight reveals certify", () => {
    fc.assert(
      fc.property(
        fc.array(weightArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ weight: weightArb, verdict: verdictArb, shows: fc.boolean() }), { maxLength: 8 }),
        (honest, others) => {
          const honestWeight = honest.reduce((s, w) => s + w, 0n);
          const otherWeight = others.reduce((s, o) => s + o.weight, 0n);
          fc.pre(honestWeight * 3n >= 2n * (honestWeight + otherWeight));
          // Liveness bar on seat count: at least half of the seats act.
          fc.pre((honest.length + others.filter((o) => o.shows).length) * 2 >= honest.length + others.length);
          const seatList = seats([...honest, ...others.map((o) => o.weight)], "h");
          const entries: [string, ReturnType<typeof vote> | null][] = seatList.map((s, i) =>
            i < honest.length ? [s.validatorId, vote("certify")] : [s.validatorId, others[i - honest.length]!.shows ? vote(others[i - honest.length]!.verdict) : null],
          );
          const t = tally(seatList, entries, { findings: [MAJOR], claims: CLAIMS });
          expect(t.outcome).toEqual({ kind: "resolved", verdict: "certify", reason: null });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps totals consistent: revealed = certify + reject ≤ quorum ≤ seated", () => {
    fc.assert(
      fc.property(roundArb, (round) => {
        const t = tallyRound({ assemblyId: A, round: 1, params: PARAMS, ...round, findings: [], claims: CLAIMS });
        expect(BigInt(t.certifyWeight) + BigInt(t.rejectWeight)).toBe(BigInt(t.revealedWeight));
        expect(BigInt(t.revealedWeight) <= BigInt(t.quorumWeight)).toBe(true);
        expect(BigInt(t.quorumWeight) <= BigInt(t.seatedWeight)).toBe(true);
        expect(t.committedSeats).toBe(t.ballots.filter((b) => b.reason !== "no_commit").length);
        expect(t.ballots).toHaveLength(round.seats.length);
      }),
    );
  });
});
