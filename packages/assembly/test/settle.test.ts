import fc from "fast-check";
import { finalVerdictOf, resolveParams, roundFeeShares, settleRound, splitFeeRewards, tallyRound, type RoundTally } from "../src";
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

describe("splitFeeRewards (the reward rule in credits)", () => {
  const t = roundWith([100, 100, 100, 100, 100], ["certify", "certify", "reject", null, "void"]);
  const record = (tallies: RoundTally[], kind: "certify" | "reject" | "escalate", params = PARAMS) => ({ rounds: tallies.map((tally) => ({ tally })), outcome: { kind }, params });

  it("pays coherent voters feeRewardShareBps of the fee by weight; incoherent, no-show and void seats nothing; the rest to the platform", () => {
    const split = splitFeeRewards(record([t], "certify"), 30n);
    // pool = floor(30 × 0.7) = 21 → 11 + 10 (the tie's extra unit to the first id); platform 30 − 21 = 9.
    expect(split.rewards).toEqual([
      { validatorId: "v000", amount: 11n },
      { validatorId: "v001", amount: 10n },
    ]);
    expect(split.platform).toBe(9n);
    expect(split.rounds).toEqual([{ round: 1, fee: 30n, pool: 21n, paid: 21n }]);
  });

  it("slashed stake never enters the credits split (stake is not credits)", () => {
    const withSlashes = splitFeeRewards(record([t], "certify", resolveParams({ slashesToRewardPool: true })), 1_000n);
    const without = splitFeeRewards(record([t], "certify", resolveParams({ slashesToRewardPool: false })), 1_000n);
    expect(withSlashes).toEqual(without);
  });

  it("an escalated assembly judged nobody: the whole fee goes to the platform", () => {
    const split = splitFeeRewards(record([t], "escalate"), 50n);
    expect(split.rewards).toEqual([]);
    expect(split.platform).toBe(50n);
  });

  it("agrees with settleRound's fee part, and rewards + platform = fee exactly, for any fee and votes", () => {
    const act = fc.constantFrom<"certify" | "reject" | null | "void">("certify", "reject", null, "void");
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 7 }), fc.array(act, { minLength: 7, maxLength: 7 }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom<"certify" | "reject">("certify", "reject"), fc.integer({ min: 0, max: 10_000 }), (weights, acts, fee, verdict, bps) => {
        const params = resolveParams({ feeRewardShareBps: bps, slashesToRewardPool: false });
        const tally = roundWith(weights, acts.slice(0, weights.length));
        const split = splitFeeRewards(record([tally], verdict, params), fee);
        expect(split.rewards.reduce((s, r) => s + r.amount, 0n) + split.platform).toBe(fee);
        expect(split.rewards.every((r) => r.amount > 0n)).toBe(true);
        const settled = settleRound({ tally, finalVerdict: verdict, validators: states(tally), fee, params });
        const paid = new Map(split.rewards.map((r) => [r.validatorId, r.amount]));
        for (const e of settled.entries) expect(paid.get(e.validatorId) ?? 0n).toBe(e.reward);
        expect(splitFeeRewards(record([tally], verdict, params), fee)).toEqual(split);
      }),
      { numRuns: 200 },
    );
  });

  it("splits across rounds by seat count and sums a validator's rounds", () => {
    const r1 = roundWith([1, 1, 1], ["certify", "reject", "certify"]);
    const r2 = { ...roundWith([1, 1, 1, 1, 1, 1, 1], ["certify", "certify", "certify", "certify", "reject", null, "certify"]), round: 2 };
    const split = splitFeeRewards(record([r1, r2], "certify", resolveParams({ feeRewardShareBps: 10_000 })), 100n);
    // round fees 30 / 70 (3:7 seats); round 1: v000, v002 → 15 + 15; round 2: five coherent → 14 each.
    expect(split.rounds.map((r) => r.fee)).toEqual([30n, 70n]);
    expect(Object.fromEntries(split.rewards.map((r) => [r.validatorId, r.amount]))).toEqual({ v000: 29n, v001: 14n, v002: 29n, v003: 14n, v006: 14n });
    expect(split.platform).toBe(0n);
  });
});
