// Round settlement: reputation and stake after a round (SPEC §5; Kleros
// coherence, Yuma EMA). Pure: it returns deltas, the caller applies them.
//
// Coherence is judged against the assembly's *final* verdict (Kleros judges
// every appeal round by the final ruling):
//   coherent   (revealed, voted the final verdict)  reputation EMA → 1 (α), share of the reward pool
//   incoherent (revealed, voted the other verdict)  reputation EMA → 0 (α), loses incoherentStakeSlashBps of stake
//   no-show / void (did not validly reveal)         reputation EMA → 0 (α_noshow > α), loses noShowStakeSlashBps
//   unjudged   (revealed, assembly ended without a verdict: escalated)  unchanged
// Reward pool = feeRewardShareBps of the round's fee, plus the round's slashed
// stake when slashesToRewardPool. It is split among coherent voters in
// proportion to their seat weight with integers (largest remainder, ties by
// validator id); with no coherent voter it stays unallocated (the treasury keeps it).
import { z } from "zod";
import { applyBps, emaBps, splitProportionally } from "./arith";
import { AssemblyError, parseOrThrow } from "./errors";
import type { AssemblyParams } from "./params";
import type { RoundTally } from "./tally";
import { StakeAmount, ValidatorId } from "./validator";
import type { Verdict } from "./vote";

export type SettlementRole = "coherent" | "incoherent" | "unjudged" | "no_show" | "void";

export type SettlementEntry = {
  validatorId: string;
  role: SettlementRole;
  reputationBefore: number;
  reputationAfter: number;
  stakeBefore: bigint;
  stakeSlashed: bigint;
  reward: bigint;
  /** reward − stakeSlashed. */
  stakeDelta: bigint;
};

export type RoundSettlement = {
  assemblyId: string;
  round: number;
  finalVerdict: Verdict | null;
  /** Part of the fee the platform keeps (fee − validators' share). */
  platformFee: bigint;
  slashed: bigint;
  rewardPool: bigint;
  rewardsPaid: bigint;
  /** Pool left when nobody was coherent. */
  unallocated: bigint;
  /** One entry per seat, sorted by validator id. */
  entries: SettlementEntry[];
};

const ValidatorState = z.object({ id: ValidatorId, stake: StakeAmount, reputationBps: z.number().int().min(0).max(10_000) });
export type ValidatorStateInput = z.input<typeof ValidatorState>;

export type SettleInput = {
  tally: RoundTally;
  /** The assembly's final verdict; null when it ended without one (escalated). */
  finalVerdict: Verdict | null;
  /** Current stake and reputation of (at least) every seated validator. */
  validators: readonly ValidatorStateInput[];
  /** The part of the submission's fee attributed to this round (see roundFeeShares). */
  fee: bigint | string;
  params: AssemblyParams;
};

function roleOf(status: string, verdict: Verdict | null, finalVerdict: Verdict | null): SettlementRole {
  if (status === "no_show") return "no_show";
  if (status === "void") return "void";
  if (finalVerdict === null) return "unjudged";
  return verdict === finalVerdict ? "coherent" : "incoherent";
}

export function settleRound(input: SettleInput): RoundSettlement {
  const { tally, finalVerdict, params } = input;
  const fee = parseOrThrow(StakeAmount, input.fee, "fee");
  const states = new Map(parseOrThrow(z.array(ValidatorState), input.validators, "validators").map((v) => [v.id, v]));

  const drafts = tally.ballots.map((ballot) => {
    const state = states.get(ballot.validatorId);
    if (!state) throw new AssemblyError("INVALID_INPUT", `no state for seated validator ${ballot.validatorId}`);
    const role = roleOf(ballot.status, ballot.verdict, finalVerdict);
    let reputationAfter = state.reputationBps;
    let stakeSlashed = 0n;
    if (role === "coherent") reputationAfter = emaBps(state.reputationBps, 10_000, params.reputationAlphaBps);
    else if (role === "incoherent") {
      reputationAfter = emaBps(state.reputationBps, 0, params.reputationAlphaBps);
      stakeSlashed = applyBps(state.stake, params.incoherentStakeSlashBps);
    } else if (role === "no_show" || role === "void") {
      reputationAfter = emaBps(state.reputationBps, 0, params.noShowAlphaBps);
      stakeSlashed = applyBps(state.stake, params.noShowStakeSlashBps);
    }
    return { ballot, state, role, reputationAfter, stakeSlashed };
  });

  const slashed = drafts.reduce((s, d) => s + d.stakeSlashed, 0n);
  const feeReward = applyBps(fee, params.feeRewardShareBps);
  const rewardPool = feeReward + (params.slashesToRewardPool ? slashed : 0n);
  const rewardOf = splitAmongCoherent(tally, finalVerdict, rewardPool);
  const rewardsPaid = [...rewardOf.values()].reduce((s, x) => s + x, 0n);

  return {
    assemblyId: tally.assemblyId,
    round: tally.round,
    finalVerdict,
    platformFee: fee - feeReward,
    slashed,
    rewardPool,
    rewardsPaid,
    unallocated: rewardPool - rewardsPaid,
    entries: drafts.map((d) => {
      const reward = rewardOf.get(d.ballot.validatorId) ?? 0n;
      return {
        validatorId: d.ballot.validatorId,
        role: d.role,
        reputationBefore: d.state.reputationBps,
        reputationAfter: d.reputationAfter,
        stakeBefore: d.state.stake,
        stakeSlashed: d.stakeSlashed,
        reward,
        stakeDelta: reward - d.stakeSlashed,
      };
    }),
  };
}

/**
 * The reward rule's split of a round's pool: coherent voters (revealed the final
 * verdict) in proportion to seat weight, Hamilton's method with ties by
 * validator id (ballots are sorted by id). Empty when nobody was coherent.
 */
export function splitAmongCoherent(tally: Pick<RoundTally, "ballots">, finalVerdict: Verdict | null, pool: bigint): Map<string, bigint> {
  const coherent = tally.ballots.filter((b) => roleOf(b.status, b.verdict, finalVerdict) === "coherent");
  const shares = splitProportionally(pool, coherent.map((b) => BigInt(b.weight)));
  return new Map(coherent.map((b, i) => [b.validatorId, shares[i]!]));
}

export type FeeRewardRound = { round: number; fee: bigint; pool: bigint; paid: bigint };

/** A submission's fee (credits) split by the reward rule: what each seated validator earns and what the platform keeps. */
export type FeeRewardSplit = {
  fee: bigint;
  /** Validators with a non-zero reward, summed over the rounds they sat in, sorted by validator id. */
  rewards: { validatorId: string; amount: bigint }[];
  /** fee − Σ rewards: the (10 000 − feeRewardShareBps) part of every round, and the whole pool of a round nobody was coherent in. */
  platform: bigint;
  rounds: FeeRewardRound[];
};

/**
 * The fee half of the reward rule, in credits (docs/money.md "Validator
 * rewards"): the fee is split across rounds by seat count (roundFeeShares);
 * each round's pool is feeRewardShareBps of its part (floor), split among its
 * coherent voters by seat weight (splitAmongCoherent). Slashed stake is stake,
 * not credits: it never enters this split (slashesToRewardPool acts on stake
 * only, in settleRound). Every remainder (the floor of the bps, a round without
 * a coherent voter, an escalated assembly that judged nobody) goes to the
 * platform, so rewards + platform = fee exactly, and the same record and fee
 * give the same split on every machine.
 */
export function splitFeeRewards(record: { rounds: readonly { tally: Pick<RoundTally, "round" | "seatCount" | "ballots"> }[]; outcome: { kind: Verdict | "escalate" }; params: Pick<AssemblyParams, "feeRewardShareBps"> }, fee: bigint | string): FeeRewardSplit {
  const total = parseOrThrow(StakeAmount, fee, "fee");
  const finalVerdict = record.outcome.kind === "escalate" ? null : record.outcome.kind;
  const parts = roundFeeShares(total, record.rounds.map((r) => r.tally.seatCount));
  const byValidator = new Map<string, bigint>();
  const rounds = record.rounds.map((r, i) => {
    const roundFee = parts[i] ?? 0n;
    const pool = applyBps(roundFee, record.params.feeRewardShareBps);
    let paid = 0n;
    for (const [id, amount] of splitAmongCoherent(r.tally, finalVerdict, pool)) {
      paid += amount;
      if (amount > 0n) byValidator.set(id, (byValidator.get(id) ?? 0n) + amount);
    }
    return { round: r.tally.round, fee: roundFee, pool, paid };
  });
  const rewards = [...byValidator.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([validatorId, amount]) => ({ validatorId, amount }));
  const paid = rewards.reduce((s, r) => s + r.amount, 0n);
  return { fee: total, rewards, platform: total - paid, rounds };
}

/**
 * Split a submission's fee among the rounds its assembly held, in proportion to
 * their seat counts (an appeal round with 2n+1 seats did more work), exactly.
 */
export function roundFeeShares(fee: bigint | string, seatCounts: readonly number[]): bigint[] {
  const total = parseOrThrow(StakeAmount, fee, "fee");
  return splitProportionally(total, seatCounts.map((s) => BigInt(s)));
}

/** The final verdict an assembly outcome settles against (null when escalated). */
export function finalVerdictOf(outcome: { kind: string; verdict?: Verdict }): Verdict | null {
  return outcome.kind === "resolved" ? (outcome.verdict ?? null) : null;
}
