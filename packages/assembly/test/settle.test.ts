import fc from "fast-check";
import { finalVerdictOf, resolveParams, roundFeeShares, settleRound, tallyRound, type RoundTally } from "../src";
import { ballots, CLAIMS, PARAMS, seats, vote } from "./helpers";

const A = "asm-s";

function roundWith(weights: number[], acts: ("certify" | "reject" | null | "void")[]): RoundTally {
  const seatList = seats(weights);
  const { commits, reveals } = ballots(
    A,
    1,
    seatList.map((s, i) => [s.validatorId, acts[i] === null ? null : vote(acts[i] === "void" ? "certify" : (acts[i] as "certify" | "reject"))]),
  );
  const tampered = reveals.map((r) => (acts[seatList.findIndex((s) => s.validatorId === r.validatorId)] === "void" ? { ...r, stabilityScore: 1 } : r));
  return tallyRound({ assemblyId: A, round: 1, params: PARAMS, seats: seatList, commits, reveals: tampered, findings: [], claims: CLAIMS });
}

const states = (t: RoundTally, stake = 1_000_000n, reputationBps = 5_000) => t.ballots.map((b) => ({ id: b.validatorId, stake, reputationBps }));

describe("settleRound", () => {
  const t = roundWith([100, 100, 100, 100, 100], ["certify", "certify", "reject", null, "void"]);
  const s = settleRound({ tally: t, finalVerdict: "certify", validators: states(t), fee: 100_000n, params: PARAMS });
  const by = new Map(s.entries.map((e) => [e.validatorId, e]));

  it("moves coherent voters up, incoherent down, no-shows and void reveals down more", () => {
    expect(by.get("v000")).toMatchObject({ role: "coherent", reputationBefore: 5_000, reputationAfter: 5_500, stakeSlashed: 0n });
    expect(by.get("v002")).toMatchObject({ role: "incoherent", reputationAfter: 4_500, stakeSlashed: 5_000n });
    expect(by.get("v003")).toMatchObject({ role: "no_show", reputationAfter: 4_000, stakeSlashed: 10_000n });
    expect(by.get("v004")).toMatchObject({ role: "void", reputationAfter: 4_000, stakeSlashed: 10_000n });
  });

  it("pays the fee share plus slashes to coherent voters by weight, exactly", () => {
    expect(s.platformFee).toBe(30_000n);
    expect(s.slashed).toBe(25_000n);
    expect(s.rewardPool).toBe(95_000n);
    expect(by.get("v000")!.reward).toBe(47_500n);
    expect(by.get("v001")!.reward).toBe(47_500n);
    expect(s.rewardsPaid).toBe(95_000n);
    expect(s.unallocated).toBe(0n);
    expect(by.get("v003")!.stakeDelta).toBe(-10_000n);
  });

  it("gives indivisible remainders to the largest fractional shares, ties by validator id", () => {
    const t3 = roundWith([1, 1, 1], ["reject", "reject", "reject"]);
    const r = settleRound({ tally: t3, finalVerdict: "reject", validators: states(t3), fee: 14n, params: resolveParams({ feeRewardShareBps: 10_000 }) });
    expect(r.entries.map((e) => e.reward)).toEqual([5n, 5n, 4n]);
  });

  it("leaves voters unjudged when the assembly ended without a verdict; no-shows still pay", () => {
    const e = settleRound({ tally: t, finalVerdict: null, validators: states(t), fee: 100_000n, params: PARAMS });
    const roles = e.entries.map((x) => x.role);
    expect(roles).toEqual(["unjudged", "unjudged", "unjudged", "no_show", "void"]);
    expect(e.entries[0]).toMatchObject({ reputationAfter: 5_000, reward: 0n, stakeDelta: 0n });
    expect(e.rewardsPaid).toBe(0n);
    expect(e.unallocated).toBe(e.rewardPool);
  });

  it("keeps slashes out of the pool when so configured", () => {
    const e = settleRound({ tally: t, finalVerdict: "certify", validators: states(t), fee: 100_000n, params: resolveParams({ slashesToRewardPool: false }) });
    expect(e.rewardPool).toBe(70_000n);
  });

  it("refuses to settle a seat without its validator's state", () => {
    expect(() => settleRound({ tally: t, finalVerdict: "certify", validators: states(t).slice(1), fee: 0n, params: PARAMS })).toThrow(/no state/);
  });

  it("conserves value: stake deltas sum to fee share when someone was coherent (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ w: fc.integer({ min: 1, max: 10_000 }), act: fc.constantFrom("certify" as const, "reject" as const, null, "void" as const) }), { minLength: 1, maxLength: 9 }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.constantFrom("certify" as const, "reject" as const),
        (rows, fee, verdict) => {
          const tally = roundWith(rows.map((r) => r.w), rows.map((r) => r.act));
          const r = settleRound({ tally, finalVerdict: verdict, validators: states(tally, 10n ** 9n, 7_000), fee, params: PARAMS });
          const deltas = r.entries.reduce((sum, e) => sum + e.stakeDelta, 0n);
          const feeShare = fee - r.platformFee;
          expect(deltas).toBe(r.unallocated === 0n ? feeShare : -r.slashed);
          for (const e of r.entries) expect(e.reputationAfter >= 0 && e.reputationAfter <= 10_000).toBe(true);
          expect(settleRound({ tally, finalVerdict: verdict, validators: states(tally, 10n ** 9n, 7_000), fee, params: PARAMS })).toEqual(r);
        },
      ),
    );
  });
});

describe("roundFeeShares and finalVerdictOf", () => {
  it("splits a fee across rounds by seat count, exactly", () => {
    expect(roundFeeShares(39n, [5, 11, 23])).toEqual([5n, 11n, 23n]);
    expect(roundFeeShares("100", [5, 11]).reduce((a, b) => a + b, 0n)).toBe(100n);
  });
  it("maps outcomes to the verdict settled against", () => {
    expect(finalVerdictOf({ kind: "resolved", verdict: "reject" })).toBe("reject");
    expect(finalVerdictOf({ kind: "escalate" })).toBeNull();
  });
});
